import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.ts';
import { eventText, renderEvent, templateKey, type EventWords } from './eventText.ts';
import { analyzeDump } from '../../worker/dump.ts';
import { parseDump } from '../../engine/netfilter/parse.ts';
import { trace } from '../../engine/netfilter/evaluate.ts';
import type { TraceEvent, TraceInput } from '../../engine/netfilter/trace-types.ts';
import type { Rule, Ruleset } from '../../engine/netfilter/model.ts';
import { SEED_DUMP } from '../../engine/scenario/dumps.ts';
import { SCENARIOS, findScenario } from '../../engine/scenario/scenarios.ts';
import { resolveDestination } from '../../engine/scenario/resolve.ts';
import { runPipeline, type ProxyMode } from '../../engine/pipeline.ts';
import { ipvsPath, makeIpvsHook } from '../../engine/ipvs/path.ts';

// What the table `Packet trace` and the live region say for an event is eventText(lang, e).
// These tests run real traces and check, for every event, that the English template filled with
// the event's params is exactly the evaluator's `reason` (so the Chinese translates what the
// engine said), and that the Chinese is filled in and is not the English.

const PLACEHOLDER = /\{\w+\}/;

/** events no template tells exactly: the screen shows their English `reason` */
function untold(events: readonly EventWords[]): EventWords[] {
  return events.filter((e) => renderEvent('en', e) !== e.reason);
}

function check(events: readonly TraceEvent[], where: string): void {
  expect(events.length, where).toBeGreaterThan(0);
  for (const e of events) {
    const ctx = `${where}: event ${e.seq} ${e.reasonKey} ${JSON.stringify(e.params)}`;
    if (renderEvent('en', e) !== e.reason) {
      // only IPVS finding no destination (see below); the screen then shows the English reason
      expect(e.reasonKey, ctx).toMatch(/^trace\.ipvs\.(reject|drop)$/);
      expect(eventText('zh-CN', e), ctx).toBe(e.reason);
      continue;
    }
    const zh = renderEvent('zh-CN', e)!;
    expect(zh, ctx).not.toMatch(PLACEHOLDER);
    expect(zh, ctx).not.toBe(e.reason);
    expect(eventText('zh-CN', e), ctx).toBe(zh);
    expect(eventText('en', e), ctx).toBe(e.reason);
  }
}

function memo<T>(f: () => T): () => T {
  let v: { v: T } | null = null;
  return () => (v ??= { v: f() }).v;
}

function nodeAddresses(config: { nodeIP?: string | null; nodeInterfaces?: { addresses: string[] }[] } | null): string[] {
  const out = new Set<string>();
  if (config?.nodeIP) out.add(config.nodeIP);
  for (const i of config?.nodeInterfaces ?? []) for (const a of i.addresses) out.add(a.split('/')[0]!);
  return [...out];
}

/** a scenario's node traced as the Generate screen does: its iptables-save through the worker's analyzeDump */
function scenarioRun(id: string, mode: ProxyMode, packet?: { src: string; dst: string }) {
  const s = findScenario(id)!;
  const r = runPipeline({ yaml: s.yaml, mode, node: s.node, config: s.config, cluster: s.cluster });
  const dp = r.dataplane!;
  const want = packet ?? s.packet;
  const res = resolveDestination(want.dst, r.cluster!.dns);
  const dst = res.ok ? `${res.address}:${res.port}` : want.dst;
  const a = analyzeDump({
    text: dp.iptables!.save,
    packet: { src: want.src, dst, proto: s.packet.proto },
    localIPs: nodeAddresses(r.config),
    ...(mode === 'ipvs' && dp.ipvs ? { ipvs: dp.ipvs } : {}),
  });
  return { a, config: r.config! };
}

const NO_ENDPOINTS = 'no-endpoints';

const real = {
  seed: memo(() => analyzeDump({ text: SEED_DUMP.text, packet: SEED_DUMP.packet }).run!),
  seedExternal: memo(() => analyzeDump({ text: SEED_DUMP.text, packet: { ...SEED_DUMP.packet, src: '10.0.0.2' } }).run!),
  scenarios: memo(() =>
    SCENARIOS.flatMap((s) => (['iptables', 'ipvs'] as const).map((mode) => ({ where: `${s.id} ${mode}`, run: scenarioRun(s.id, mode).a.run }))),
  ),
  fromNode: memo(() => {
    const s = findScenario('nginx-clusterip')!;
    const { config } = scenarioRun(s.id, 'iptables');
    return scenarioRun(s.id, 'iptables', { src: config.nodeIP!, dst: s.packet.dst }).a.run!;
  }),
  conntrack: memo(() => {
    const ruleset = parseDump(SEED_DUMP.text).ruleset;
    const node = { localIPs: ['192.168.56.10'], nodeIP: '192.168.56.10' };
    const input: TraceInput = { ruleset, node, packet: { src: '10.0.0.2', sport: 40000, dst: '10.102.249.128', dport: 80, proto: 'tcp' } };
    const first = trace(input);
    const back = first.conntrack[0]!.reply;
    return {
      again: trace({ ...input, conntrack: first.conntrack }),
      reply: trace({ ...input, conntrack: first.conntrack, packet: { src: back.src, sport: back.sport, dst: back.dst, dport: back.dport, proto: 'tcp' } }),
    };
  }),
};

describe('eventText: real traces are told in both languages', () => {
  it('the seed dump: a pod dialling the ClusterIP, and the reply through conntrack', () => {
    const run = real.seed();
    expect(run.outcome.verdict).toBe('ACCEPT');
    expect(run.events.some((e) => e.reasonKey === 'trace.rule.dnat')).toBe(true);
    expect(run.events.some((e) => e.reasonKey === 'trace.ct.undnat')).toBe(true);
    check(run.events, 'seed');
  });

  it('the seed dump from outside the cluster: KUBE-MARK-MASQ is missing from the paste', () => {
    const run = real.seedExternal();
    expect(run.events.some((e) => e.reasonKey === 'trace.rule.missingchain')).toBe(true);
    check(run.events, 'seed external');
  });

  it('every built-in scenario’s suggested packet and its reply, in iptables and IPVS mode', () => {
    const runs = real.scenarios();
    expect(runs.filter((r) => r.run).length).toBeGreaterThan(SCENARIOS.length);
    for (const { where, run } of runs) if (run) check(run.events, where);
  });

  it('a NodePort packet from outside is masqueraded on its way to the endpoint', () => {
    const run = real.scenarios().find((r) => r.where === 'nginx-nodeport iptables')!.run!;
    expect(run.outcome.masquerade).toBe(true);
    check(run.events, 'nodeport');
  });

  it('a packet to a Service without endpoints is rejected, in both modes', () => {
    for (const mode of ['iptables', 'ipvs']) {
      const run = real.scenarios().find((r) => r.where === `${NO_ENDPOINTS} ${mode}`)!.run!;
      expect(run.outcome.verdict, mode).toBe('REJECT');
      check(run.events, `${NO_ENDPOINTS} ${mode}`);
    }
  });

  it('a packet from the node itself starts at OUTPUT', () => {
    const run = real.fromNode();
    expect(run.events.find((e) => e.kind === 'hook')?.hook).toBe('OUTPUT');
    check(run.events, 'from node');
  });

  it('the second packet and the reply of a connection replay its NAT from conntrack', () => {
    const { again, reply } = real.conntrack();
    expect(again.events.map((e) => e.reasonKey)).toContain('trace.ct.replaydnat');
    expect(reply.events.map((e) => templateKey(e))).toContain('trace.ct.established.reply');
    check(again.events, 'second packet');
    check(reply.events, 'reply');
  });
});

// Every way a match can fail (netfilter/match.ts) and every target the evaluator will not guess
// at, each in a rule of its own, so that each gives an event; LOG lets the walk go on.
const ODD = `*raw
:PREROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -j SNAT --to-source 192.0.2.9
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:USER - [0:0]
:GONE - [0:0]
:FWD - [0:0]
-A PREROUTING -s 10.9.0.0/16 -j LOG
-A PREROUTING ! -s 203.0.113.0/24 -j LOG
-A PREROUTING -d 10.9.0.0/16 -j LOG
-A PREROUTING ! -d 192.168.0.0/24 -j LOG
-A PREROUTING -s foo.example.com -j LOG
-A PREROUTING -i eth9 -j LOG
-A PREROUTING ! -i eth0 -j LOG
-A PREROUTING -o eth9 -j LOG
-A PREROUTING -p udp -j LOG
-A PREROUTING ! -p tcp -j LOG
-A PREROUTING -p tcp -m tcp --dport 81 -j LOG
-A PREROUTING -p tcp -m tcp ! --dport 80 -j LOG
-A PREROUTING -p tcp -m tcp --sport 1 -j LOG
-A PREROUTING -p tcp -m tcp ! --sport 40000 -j LOG
-A PREROUTING -p tcp -m tcp --dport nosuchport -j LOG
-A PREROUTING -m udp --dport 53 -j LOG
-A PREROUTING -m sctp -j LOG
-A PREROUTING -m conntrack --ctstate ESTABLISHED -j LOG
-A PREROUTING -m conntrack ! --ctstate NEW -j LOG
-A PREROUTING -m conntrack --ctstatus CONFIRMED -j LOG
-A PREROUTING -m state --state ESTABLISHED -j LOG
-A PREROUTING -m state --foo 1 -j LOG
-A PREROUTING -m mark --mark 0x4000/0x4000 -j LOG
-A PREROUTING -m mark ! --mark 0x0 -j LOG
-A PREROUTING -m mark --mark zz -j LOG
-A PREROUTING -m connmark --mark 0x1 -j LOG
-A PREROUTING -m connmark ! --mark 0x0 -j LOG
-A PREROUTING -m addrtype --src-type LOCAL -j LOG
-A PREROUTING -m addrtype ! --dst-type LOCAL -j LOG
-A PREROUTING -m addrtype --dst-type UNICAST -j LOG
-A PREROUTING -m addrtype ! --src-type UNICAST -j LOG
-A PREROUTING -m addrtype --dst-type BLACKHOLE -j LOG
-A PREROUTING -m addrtype --dst-type LOCAL --limit-iface-in -j LOG
-A PREROUTING -m statistic --mode random --probability 0.5 -j LOG
-A PREROUTING -m statistic --mode nth --every 3 -j LOG
-A PREROUTING -m statistic --mode random -j LOG
-A PREROUTING -m statistic --mode nth -j LOG
-A PREROUTING -m statistic --mode foo -j LOG
-A PREROUTING -m statistic --probability 0.5 -j LOG
-A PREROUTING -m recent --rcheck --seconds 60 --name SEEN -j LOG
-A PREROUTING -m recent --rcheck --name SEEN -j LOG
-A PREROUTING -m recent --name SEEN -j LOG
-A PREROUTING -m recent --rcheck --name SEEN --mask 255.255.0.0 -j LOG
-A PREROUTING -m set --match-set NOPE src -j LOG
-A PREROUTING -m set --match-set KUBE-A src -j LOG
-A PREROUTING -m set ! --match-set KUBE-B src -j LOG
-A PREROUTING -m set --match-set KUBE-ODD src -j LOG
-A PREROUTING -m set --return-nomatch --match-set KUBE-A src -j LOG
-A PREROUTING -m physdev --physdev-in veth9 -j LOG
-A PREROUTING -m physdev --physdev-is-bridged -j LOG
-A PREROUTING -p tcp -m tcp ! --syn -j LOG
-A PREROUTING -p tcp -m tcp --syn -j LOG
-A PREROUTING -p tcp -m tcp --tcp-flags SYN,ACK SYN,ACK -j LOG
-A PREROUTING -p tcp -m tcp --tcp-flags SYN -j LOG
-A PREROUTING -p tcp -m tcp --tcp-option 2 -j LOG
-A PREROUTING -m foo --bar 1 -j LOG
-A PREROUTING -f -j LOG
-A PREROUTING -m comment --comment "no target"
-A PREROUTING -j CONNMARK --save-mark
-A PREROUTING -j USER
-A PREROUTING -j KUBE-NOT-PASTED
-A PREROUTING -j MARK --foo 1
-A USER -j MARK --set-xmark 0x10/0x10
-A USER -s 203.0.113.0/24 -j RETURN
-A INPUT -j GONE
-A INPUT -j CONNMARK --foo 1
-A GONE -s 10.9.0.0/16 -j ACCEPT
-A FORWARD -g FWD
-A FWD -s 10.9.0.0/16 -j ACCEPT
-A POSTROUTING -o eth9 -j LOG
-A POSTROUTING ! -o eth0 -j LOG
-A POSTROUTING -j RETURN
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -d 192.168.0.2/32 -j DNAT
-A INPUT -p tcp -j SNAT
-A POSTROUTING -s 192.168.0.2/32 -j SNAT --to-source 192.168.0.3
-A POSTROUTING -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:ODD - [0:0]
:MANY - [0:0]
-A INPUT -j MANY
-A INPUT -p tcp -j ODD
-A FORWARD -d 198.51.100.8/32 -j DROP
-A FORWARD -s 203.0.113.99/32 -j ACCEPT
-A ODD -j FOOBAR
${Array.from({ length: 33 }, (_, i) => `-A MANY -d 10.96.0.${i + 1}/32 -p tcp -j DROP`).join('\n')}
COMMIT
`;

const oddNode = { localIPs: ['192.168.0.2'], nodeIP: '192.168.0.2', interfaces: [{ name: 'eth0', addresses: ['192.168.0.2/24'] }] };
const oddBase: TraceInput = {
  ruleset: parseDump(ODD).ruleset,
  node: oddNode,
  ipsets: [
    { name: 'KUBE-A', type: 'hash:ip', entries: ['10.1.1.1'] },
    { name: 'KUBE-B', type: 'hash:ip', entries: ['203.0.113.10'] },
    { name: 'KUBE-ODD', type: 'list:set', entries: [] },
  ],
  decide: () => false,
  packet: { src: '203.0.113.10', sport: 40000, dst: '192.168.0.2', dport: 80, proto: 'tcp', inIface: 'eth0' },
};
const withPacket = (p: Partial<TraceInput['packet']>): TraceInput => ({ ...oddBase, packet: { ...oddBase.packet, ...p } });
const fromNodePacket = { src: '192.168.0.2', sport: 40000, dst: '192.168.0.9', dport: 80, proto: 'tcp' };

const odd = {
  local: memo(() => {
    const first = trace(oddBase);
    return {
      odd: first,
      'odd established': trace({ ...oddBase, conntrack: first.conntrack }),
      'odd no sport': trace(withPacket({ sport: null })),
      'odd no dport': trace(withPacket({ dport: null })),
      'odd no input interface': trace(withPacket({ inIface: null })),
      'odd source not an address': trace(withPacket({ src: 'client.example' })),
      'odd bridged': trace(withPacket({ bridged: true, physIn: 'veth1' })),
    };
  }),
  forward: memo(() => ({
    dropped: trace(withPacket({ dst: '198.51.100.8' })),
    policy: trace(withPacket({ dst: '198.51.100.7' })),
    masq: trace(withPacket({ src: '203.0.113.99', dst: '198.51.100.7' })),
    // a node with no address of its own: MASQUERADE cannot name the source
    bare: trace({ ...withPacket({ src: '203.0.113.99', dst: '198.51.100.7' }), node: { localIPs: [] } }),
  })),
  fromNode: memo(() => {
    const out = trace({ ...oddBase, from: 'node', packet: fromNodePacket });
    return { out, again: trace({ ...oddBase, from: 'node', conntrack: out.conntrack, packet: fromNodePacket }) };
  }),
  // -m state takes only --state from the parser; a rule built by a program can carry another option
  stateOption: memo(() => {
    const parsed = parseDump('*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m state --state NEW -j LOG\nCOMMIT\n').ruleset;
    const t = parsed.tables[0]!;
    const c = t.chains.find((x) => x.name === 'PREROUTING')!;
    const rule: Rule = { ...c.rules[0]!, matches: [{ module: 'state', implicit: false, opts: [{ name: 'foo', values: ['1'], negated: false }] }] };
    const rs: Ruleset = { ...parsed, tables: [{ ...t, chains: [{ ...c, rules: [rule] }] }] };
    return trace({ ...oddBase, ruleset: rs });
  }),
};

describe('eventText: every why and every target the evaluator names', () => {
  it('a new connection to the node, its second packet, and packets the evaluator knows less about', () => {
    for (const [where, r] of Object.entries(odd.local())) check(r.events, where);
  });

  it('forwarded packets: dropped by a rule, by FORWARD’s policy, or accepted and masqueraded', () => {
    const f = odd.forward();
    expect(f.dropped.outcome).toMatchObject({ verdict: 'DROP', policy: null });
    expect(f.policy.outcome.policy).toBe('filter FORWARD DROP');
    expect(f.masq.outcome).toMatchObject({ verdict: 'ACCEPT', masquerade: true });
    expect(f.bare.outcome).toMatchObject({ verdict: 'ACCEPT', masquerade: true, snat: null });
    for (const [where, r] of Object.entries(f)) check(r.events, `odd forward ${where}`);
  });

  it('a connection from the node itself leaves by an interface with its source NATed, and its next packet replays it', () => {
    const { out, again } = odd.fromNode();
    expect(out.outcome.snat).toBe('192.168.0.3');
    check(out.events, 'odd from node');
    check(again.events, 'odd from node, second packet');
  });

  it('a match option the parser never hands -m state (a rule built by a program)', () => {
    const r = odd.stateOption();
    expect(r.events.find((e) => e.kind === 'rule')?.params.whyKey).toBe('trace.why.notModelled');
    check(r.events, 'state --foo');
  });
});

const vsOf = (realServers: { address: string; port: number; weight: number }[], protocol = 'TCP') => ({
  virtualServers: [{ address: '10.96.0.10', port: 80, protocol, scheduler: 'rr', flags: 0, timeout: 0, realServers }],
});

const ipvs = {
  noLabel: memo(() =>
    trace({
      ruleset: parseDump('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n').ruleset,
      node: { localIPs: ['10.96.0.10'] },
      ipvs: () => ({ address: '10.244.1.5', port: 8080 }),
      packet: { src: '10.244.2.7', sport: 40000, dst: '10.96.0.10', dport: 80, proto: 'tcp' },
    }),
  ),
  /**
   * The hook's REJECT / DROP as events would carry them with the path's params (vs, scheduler).
   * The evaluator's events carry only the label today: IpvsHookResult has no params to pass on.
   */
  leave: memo(() =>
    [
      { dp: vsOf([]), proto: 'tcp', reasonKey: 'trace.ipvs.reject' },
      { dp: vsOf([{ address: '10.244.1.5', port: 80, weight: 0 }]), proto: 'tcp', reasonKey: 'trace.ipvs.reject' },
      { dp: vsOf([], 'ICMP'), proto: 'icmp', reasonKey: 'trace.ipvs.drop' },
    ].map((c) => {
      const p = { src: '10.244.2.7', sport: 40000, dst: '10.96.0.10', dport: 80, proto: c.proto };
      const hook = makeIpvsHook(c.dp as never)(p, () => false);
      if (!hook || !('verdict' in hook)) throw new Error(`no verdict for ${JSON.stringify(c)}`);
      return { reason: hook.reason, reasonKey: c.reasonKey, params: { label: hook.label ?? '', ...ipvsPath(c.dp as never, p).params } };
    }),
  ),
};

describe('eventText: IPVS', () => {
  it('tells a real server chosen by a hook that gives no label', () => {
    const r = ipvs.noLabel();
    expect(r.outcome.dnat).toBe('10.244.1.5:8080');
    expect(r.events.map((e) => templateKey(e))).toContain('trace.ipvs');
    check(r.events, 'ipvs without label');
  });

  it('tells the hook’s REJECT and DROP given the path’s params', () => {
    const events = ipvs.leave();
    expect(events.map((e) => templateKey(e))).toEqual(['trace.ipvs.reject.noRealServer', 'trace.ipvs.reject.noDestination', 'trace.ipvs.drop.icmp']);
    for (const e of events) {
      expect(renderEvent('en', e)).toBe(e.reason);
      const zh = eventText('zh-CN', e);
      expect(zh).not.toBe(e.reason);
      expect(zh).not.toMatch(PLACEHOLDER);
    }
  });
});

describe('eventText: when no template tells an event exactly', () => {
  it('shows the engine’s English reason in every language', () => {
    const stale = { reasonKey: 'trace.hook', params: { hook: 'INPUT', table: 'nat' }, reason: 'INPUT hook: table nat (as a newer engine says it)' };
    expect(renderEvent('en', stale)).toBe('INPUT hook: table nat');
    expect(eventText('zh-CN', stale)).toBe(stale.reason);
    const unknown = { reasonKey: 'trace.somethingNew', params: {}, reason: 'something new' };
    expect(renderEvent('zh-CN', unknown)).toBeNull();
    expect(eventText('zh-CN', unknown)).toBe('something new');
    expect(eventText('zh-CN', { ...stale, reason: 'INPUT hook: table nat' })).toBe('INPUT 钩子：nat 表');
  });
});

describe('eventText: coverage', () => {
  const all = (): EventWords[] => [
    ...real.seed().events,
    ...real.seedExternal().events,
    ...real.scenarios().flatMap((r) => r.run?.events ?? []),
    ...real.fromNode().events,
    ...Object.values(real.conntrack()).flatMap((r) => r.events),
    ...Object.values(odd.local()).flatMap((r) => r.events),
    ...Object.values(odd.forward()).flatMap((r) => r.events),
    ...Object.values(odd.fromNode()).flatMap((r) => r.events),
    ...odd.stateOption().events,
    ...ipvs.noLabel().events,
    ...ipvs.leave(),
  ];

  it('every template of the i18n-trace block tells at least one event above', () => {
    const told = new Set<string>();
    for (const e of all()) {
      if (renderEvent('en', e) !== e.reason) continue;
      told.add(templateKey(e));
      if (typeof e.params.whyKey === 'string') told.add(e.params.whyKey);
    }
    // the base IPVS REJECT / DROP sentences are not templates: the label picks a precise one
    const mine = Object.keys(en).filter((k) => /^trace\.(ct|hook|skipped|policy|return|routing|rule|verdict|why|ipvs)\b/.test(k) && k !== 'trace.ipvs.reject' && k !== 'trace.ipvs.drop');
    expect(mine.length).toBeGreaterThan(100);
    expect(mine.filter((k) => !told.has(k))).toEqual([]);
  });

  it('leaves untold only the evaluator’s IPVS REJECT / DROP events, which lack the virtual server’s name', () => {
    expect([...new Set(untold(all()).map((e) => e.reasonKey))].filter((k) => k !== 'trace.ipvs.reject' && k !== 'trace.ipvs.drop')).toEqual([]);
  });
});
