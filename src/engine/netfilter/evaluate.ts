// trace(): one packet through the ruleset as netfilter walks it. Hooks and tables in the kernel's
// priority order (PREROUTING raw -300, mangle -150, nat -100; INPUT mangle, filter 0, security 50,
// nat 100; OUTPUT raw, mangle, nat, filter, security; POSTROUTING mangle, nat 100), nat consulted
// only for a connection's first packet (later packets replay conntrack's binding), routing by
// the node's own addresses, first match wins, jumps/gotos/RETURN/policies, marks and NAT.
import { createRng } from '../util/rng.ts';
import { BUILTIN_CHAINS, type Rule } from './model.ts';
import { compileRuleset, nextCandidate, type CompiledChain, type CompiledRuleset } from './compile.ts';
import { FAIL, PASS, UNKNOWN, isLocalAddr, type CompiledRule, type MatchEnv, type Why } from './match.ts';
import { parseMarkValue, hex } from './canonical.ts';
import { cidrContains, isLoopback, joinHostPort, parseAddr, parseCidr, type Addr, type Cidr } from './addr.ts';
import type { ConntrackEntry, CtState, DecisionPoint, Hook, NodeModel, Outcome, PacketView, TraceEvent, TraceInput, TraceResult, Tuple, Verdict } from './trace-types.ts';

const NO_WORDS: string[] = [];
const NO_EVENTS: readonly TraceEvent[] = Object.freeze([]);
const ACCEPTED: TableResult = { kind: 'accept' };

const HOOK_TABLES: Record<Hook, string[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'security', 'nat'],
  FORWARD: ['mangle', 'filter', 'security'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter', 'security'],
  POSTROUTING: ['mangle', 'nat'],
};

const NON_TERMINATING = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'AUDIT', 'CT', 'NOTRACK', 'CHECKSUM', 'TCPMSS', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HL', 'NFACCT', 'SET', 'CONNSECMARK', 'SECMARK', 'IDLETIMER', 'LED']);

type TableResult = { kind: 'accept' } | { kind: 'final'; verdict: 'DROP' | 'REJECT'; by: CompiledRule | null; policy: string | null };

interface State {
  input: TraceInput;
  crs: CompiledRuleset;
  env: MatchEnv;
  events: TraceEvent[];
  detail: 'all' | 'path' | 'none';
  evaluated: number;
  seq: number;
  ct: ConntrackEntry;
  ctNew: boolean;
  /** established packet: the direction it travels */
  replyDir: boolean;
  dnat: string | null;
  masquerade: boolean;
  snat: string | null;
  decisions: { point: DecisionPoint; taken: boolean }[];
  unknownOnPath: number;
  acceptedBy: CompiledRule | null;
  localSet: Set<string>;
  broadcast: Set<string>;
}

function view(e: MatchEnv): PacketView {
  return { src: e.src, dst: e.dst, sport: e.sport, dport: e.dport, proto: e.proto, inIface: e.inIface, outIface: e.outIface, mark: e.mark };
}

function snapshotCt(ct: ConntrackEntry): ConntrackEntry {
  return { ...ct, orig: { ...ct.orig }, reply: { ...ct.reply } };
}

function emit(st: State, ev: Partial<TraceEvent> & Pick<TraceEvent, 'kind' | 'reason' | 'reasonKey'>, before?: PacketView): void {
  if (st.detail === 'none') return;
  const after = view(st.env);
  st.events.push(Object.freeze({
    seq: st.seq++, hook: null, table: null, chain: null, rule: null, line: null, matched: null, action: null, unknown: [], params: {},
    packetBefore: before ?? after, packetAfter: after, conntrack: snapshotCt(st.ct), mark: st.env.mark, rulesEvaluated: st.evaluated,
    ...ev,
  }) as TraceEvent);
}

function setSrc(e: MatchEnv, s: string): void {
  e.src = s;
  e.srcA = parseAddr(s);
}
function setDst(e: MatchEnv, d: string): void {
  e.dst = d;
  e.dstA = parseAddr(d);
}

export function trace(input: TraceInput): TraceResult {
  const crs = compileRuleset(input.ruleset);
  const rng = input.rng ?? createRng(1);
  const decisions: State['decisions'] = [];
  const p = input.packet;
  const { localSet, broadcast } = nodeAddresses(input.node);
  let recent: Map<string, Map<string, { last: number; hits: number }>>;
  if (input.shareState && input.recent instanceof Map) recent = input.recent as Map<string, Map<string, { last: number; hits: number }>>;
  else {
    recent = new Map();
    for (const [n, m] of input.recent ?? []) recent.set(n, new Map(m));
  }
  const nth = input.nthCounters;
  const decideFn = (rule: Rule | null, kind: 'random' | 'nth', probability: number, label?: string): boolean => {
    const point: DecisionPoint = label === undefined ? { rule, kind, probability } : { rule, kind, probability, label };
    let taken: boolean;
    if (input.decide) taken = input.decide(point);
    else if (kind === 'nth' && nth && rule) {
      const every = Math.round(1 / probability);
      const c = nth.get(rule) ?? Number(rule.matches.find((m) => m.module === 'statistic')?.opts.find((o) => o.name === 'packet')?.values[0] ?? 0);
      taken = c >= every - 1;
      nth.set(rule, taken ? 0 : c + 1);
    } else taken = Math.floor(rng.next() * 0x80000000) < Math.round(probability * 0x80000000);
    decisions.push({ point, taken });
    return taken;
  };
  const env: MatchEnv = {
    hook: 'PREROUTING', src: '', dst: '', srcA: null, dstA: null, sport: p.sport ?? null, dport: p.dport ?? null,
    proto: (p.proto ?? 'tcp').toLowerCase(), inIface: p.inIface ?? null, outIface: null, mark: (p.mark ?? 0) >>> 0,
    bridged: p.bridged ?? false, physIn: p.physIn ?? null, physOut: p.physOut ?? null,
    ctState: 'NEW', ctDnat: false, ctSnat: false, ctMark: 0, syn: true,
    localSet, broadcast,
    ipsets: input.ipsets ? new Map(input.ipsets.map((s) => [s.name, s])) : null,
    recent, now: input.nowSeconds ?? 0, decide: decideFn,
  };
  setSrc(env, stripBrackets(p.src));
  setDst(env, stripBrackets(p.dst));

  // conntrack: is this packet part of a known connection (either direction)?
  const tuple: Tuple = { src: env.src, sport: env.sport, dst: env.dst, dport: env.dport };
  let existing: ConntrackEntry | null = null;
  let replyDir = false;
  for (const c of input.conntrack ?? []) {
    if (c.proto === env.proto && sameTuple(c.orig, tuple)) existing = c;
    else if (c.proto === env.proto && sameTuple(c.reply, tuple)) {
      existing = c;
      replyDir = true;
    }
    if (existing) break;
  }
  const ct: ConntrackEntry = existing
    ? snapshotCt(existing)
    : { id: (input.conntrack?.length ?? 0) + 1, proto: env.proto, orig: { ...tuple }, reply: { src: env.dst, sport: env.dport, dst: env.src, dport: env.sport }, dnat: false, snat: false, mark: 0 };
  env.ctState = existing ? 'ESTABLISHED' : 'NEW';
  env.syn = !existing && env.proto === 'tcp';
  env.ctMark = ct.mark;
  env.ctDnat = ct.dnat;
  env.ctSnat = ct.snat;

  const st: State = {
    input, crs, env, events: [], detail: input.detail ?? 'all', evaluated: 0, seq: 0, ct, ctNew: !existing, replyDir,
    dnat: null, masquerade: false, snat: null, decisions, unknownOnPath: 0, acceptedBy: null, localSet, broadcast,
  };

  const fromNode = input.from === 'node' || ((input.from ?? 'auto') === 'auto' && env.srcA !== null && isLocalAddr(env, env.srcA));
  if (!fromNode && env.inIface === null && input.from !== 'pod') env.inIface = ifaceFor(st, env.srcA);
  if (st.detail !== 'none') emit(st, {
    kind: 'conntrack', reason: existing ? `part of connection #${ct.id} (${replyDir ? 'reply' : 'original'} direction): ESTABLISHED` : 'first packet of a new connection: conntrack state NEW',
    reasonKey: existing ? 'trace.ct.established' : 'trace.ct.new', params: existing ? { id: ct.id, direction: replyDir ? 'reply' : 'original' } : { id: ct.id },
  });

  const finish = (verdict: Verdict, by: CompiledRule | null, policy: string | null): TraceResult => {
    const outcome: Outcome = {
      verdict, dnat: st.dnat, masquerade: st.masquerade, snat: st.snat,
      decidedBy: by ? { table: by.rule.table, chain: by.rule.chain, rule: by.rule.index, line: by.rule.line } : null,
      policy, final: view(env), reply: verdict === 'ACCEPT' || verdict === 'LOCAL' ? { ...ct.reply } : null, unknownOnPath: st.unknownOnPath,
    };
    if (st.detail !== 'none') emit(st, { kind: 'verdict', reason: verdictReason(outcome), reasonKey: `trace.verdict.${verdict.toLowerCase()}`, action: verdict, params: { dnat: st.dnat ?? '', masquerade: String(st.masquerade), policy: outcome.policy ?? '' } });
    const table = input.shareState ? [] : [...(input.conntrack ?? [])];
    if (!input.shareState && (verdict === 'ACCEPT' || verdict === 'LOCAL')) {
      if (existing) table[table.indexOf(existing)] = snapshotCt(ct);
      else table.push(snapshotCt(ct));
    }
    return { events: st.detail === 'none' ? NO_EVENTS : Object.freeze(st.events), outcome, conntrack: table, recent, rulesEvaluated: st.evaluated, decisions };
  };

  const run = (hook: Hook): TableResult | null => {
    env.hook = hook;
    for (const table of HOOK_TABLES[hook]) {
      const r = runHookTable(st, hook, table);
      if (r.kind === 'final') return r;
    }
    return null;
  };

  if (fromNode) {
    env.inIface = null;
    env.outIface = routeIface(st, env.dstA);
    const r = run('OUTPUT');
    if (r?.kind === 'final') return finish(r.verdict, r.by, r.policy);
    // a DNAT in OUTPUT re-routes the packet
    env.outIface = routeIface(st, env.dstA);
    if (st.detail !== 'none') emit(st, { kind: 'routing', reason: routingReason(st), ...routingKey(st), hook: 'OUTPUT' });
    const r2 = run('POSTROUTING');
    if (r2?.kind === 'final') return finish(r2.verdict, r2.by, r2.policy);
    confirm(st);
    if (env.dstA && isLocalAddr(env, env.dstA)) {
      env.inIface = 'lo';
      env.outIface = null;
      const r3 = run('INPUT');
      if (r3?.kind === 'final') return finish(r3.verdict, r3.by, r3.policy);
      return finish(st.dnat ? 'ACCEPT' : 'LOCAL', st.acceptedBy, null);
    }
    return finish('ACCEPT', st.acceptedBy, null);
  }

  env.outIface = null;
  const r = run('PREROUTING');
  if (r?.kind === 'final') return finish(r.verdict, r.by, r.policy);
  const local = env.dstA !== null && isLocalAddr(env, env.dstA);
  if (st.detail !== 'none') emit(st, { kind: 'routing', reason: routingReason(st), ...routingKey(st), hook: 'PREROUTING' });
  if (local) {
    // LOCAL_IN: mangle -150, filter 0, security 50, then IPVS (NAT_SRC - 2 = 98), then nat 100
    env.hook = 'INPUT';
    for (const table of ['mangle', 'filter', 'security']) {
      const ri = runHookTable(st, 'INPUT', table);
      if (ri.kind === 'final') return finish(ri.verdict, ri.by, ri.policy);
    }
    // a reply to a local client: IPVS un-NATs it at LOCAL_IN, after filter and before nat INPUT
    if (st.replyDir && ct.ipvs) ipvsUnNat(st, 'INPUT');
    if (input.ipvs && st.ctNew) {
      const before = view(env);
      const rs = input.ipvs(view(env), (prob, label) => decideFn(null, 'random', prob, label));
      if (rs && 'verdict' in rs) {
        if (st.detail !== 'none') emit(st, { kind: 'ipvs', reason: rs.reason, reasonKey: rs.verdict === 'REJECT' ? 'trace.ipvs.reject' : 'trace.ipvs.drop', action: rs.verdict, params: { ...rs.params, label: rs.label ?? '' } }, before);
        return finish(rs.verdict, null, null);
      }
      if (rs) {
        const target = joinHostPort(rs.address, rs.port);
        setDst(env, rs.address);
        env.dport = rs.port;
        st.dnat = target;
        ct.dnat = true;
        ct.ipvs = true;
        env.ctDnat = true;
        // the hook labels its choice with an i18n-style key (ipvs.choice.rr); the reader sees the scheduler's way
        const how = (rs.label ?? '').replace(/^ipvs\.choice\./, '');
        if (st.detail !== 'none') emit(st, { kind: 'ipvs', reason: `IPVS at LOCAL_IN chose real server ${target}${how ? ' (' + how + ')' : ''}`, reasonKey: 'trace.ipvs', action: `IPVS ${target}`, params: { target, label: how } }, before);
        env.inIface = null;
        env.outIface = routeIface(st, env.dstA);
        env.hook = 'OUTPUT';
        for (const table of ['mangle', 'filter', 'security']) {
          const o = runHookTable(st, 'OUTPUT', table);
          if (o.kind === 'final') return finish(o.verdict, o.by, o.policy);
        }
        const rp = run('POSTROUTING');
        if (rp?.kind === 'final') return finish(rp.verdict, rp.by, rp.policy);
        confirm(st);
        return finish('ACCEPT', st.acceptedBy, null);
      }
    }
    const rn = runHookTable(st, 'INPUT', 'nat');
    if (rn.kind === 'final') return finish(rn.verdict, rn.by, rn.policy);
    confirm(st);
    return finish(st.dnat ? 'ACCEPT' : 'LOCAL', st.acceptedBy, null);
  }
  env.outIface = routeIface(st, env.dstA);
  const rf = run('FORWARD');
  if (rf?.kind === 'final') return finish(rf.verdict, rf.by, rf.policy);
  // IPVS's reply hook for forwarded replies (ip_vs_reply4) sits in FORWARD at priority 100, after filter and security
  if (st.replyDir && ct.ipvs) ipvsUnNat(st, 'FORWARD');
  const rp = run('POSTROUTING');
  if (rp?.kind === 'final') return finish(rp.verdict, rp.by, rp.policy);
  confirm(st);
  return finish('ACCEPT', st.acceptedBy, null);
}

interface NodeAddrs {
  localSet: Set<string>;
  broadcast: Set<string>;
  /** non-loopback interface subnets, for the route of a packet (host routes are in `hosts`) */
  subnets: [string, Cidr, number][];
  /** /32 and /128 addresses (kube-ipvs0 holds one per Service IP): address -> [iface, position] */
  hosts: Map<string, [string, number]>;
}
const nodeCache = new WeakMap<NodeModel, NodeAddrs>();

function nodeAddresses(node: NodeModel): NodeAddrs {
  const hit = nodeCache.get(node);
  if (hit) return hit;
  const localSet = new Set<string>();
  for (const ip of node.localIPs) {
    const a = parseAddr(ip.split('/')[0]);
    if (a) localSet.add(a.text);
  }
  const broadcast = new Set<string>(['255.255.255.255']);
  const subnets: [string, Cidr, number][] = [];
  const hosts = new Map<string, [string, number]>();
  let pos = 0;
  for (const itf of node.interfaces ?? []) {
    for (const cidr of itf.addresses) {
      const a = parseAddr(cidr.split('/')[0]);
      if (a) localSet.add(a.text);
      const c = parseCidr(cidr);
      if (c && !c.v6 && c.len < 31) broadcast.add(ipv4((c.n | (~0 >>> c.len)) >>> 0));
      if (c && a && itf.name !== 'lo') {
        if (c.len === (c.v6 ? 128 : 32)) {
          if (!hosts.has(a.text)) hosts.set(a.text, [itf.name, pos]);
        } else subnets.push([itf.name, c, pos]);
      }
      pos++;
    }
  }
  const out = { localSet, broadcast, subnets, hosts };
  nodeCache.set(node, out);
  return out;
}

function stripBrackets(s: string): string {
  return s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
}

function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function sameTuple(a: Tuple, b: Tuple): boolean {
  return a.src === b.src && a.dst === b.dst && a.dport === b.dport && (a.sport === null || b.sport === null || a.sport === b.sport);
}

/** conntrack confirms the entry: replies will come back as the inverse of the translated tuple */
function confirm(st: State): void {
  if (!st.ctNew) return;
  const e = st.env;
  st.ct.reply = { src: e.dst, sport: e.dport, dst: e.src, dport: e.sport };
}

/** the first interface, in the node's order, whose address range holds `a` */
function ifaceFor(st: State, a: Addr | null): string | null {
  if (!a) return null;
  const { subnets, hosts } = nodeAddresses(st.input.node);
  const host = hosts.get(a.text);
  for (const [name, c, pos] of subnets) {
    if (host && host[1] < pos) break;
    if (cidrContains(c, a)) return name;
  }
  return host ? host[0] : null;
}

function routeIface(st: State, a: Addr | null): string | null {
  if (a && isLocalAddr(st.env, a)) return 'lo';
  return ifaceFor(st, a);
}

/** the routing event's i18n key and the values its template needs (src/i18n `trace.routing.*`) */
function routingKey(st: State): { reasonKey: string; params: Record<string, string> } {
  const e = st.env;
  const local = e.dstA !== null && isLocalAddr(e, e.dstA);
  return { reasonKey: local ? 'trace.routing.local' : 'trace.routing.forward', params: { dst: e.dst, iface: e.outIface ?? '' } };
}

function routingReason(st: State): string {
  const e = st.env;
  if (e.dstA && isLocalAddr(e, e.dstA)) return `routing: ${e.dst} is one of the node's own addresses, so the packet is delivered locally (INPUT)`;
  return `routing: ${e.dst} is not a local address, so the packet is forwarded${e.outIface ? ' out of ' + e.outIface : ''}`;
}

function verdictReason(o: Outcome): string {
  switch (o.verdict) {
    case 'DROP':
      return o.policy ? `dropped by the chain policy (${o.policy})` : 'dropped (DROP): the sender hears nothing';
    case 'REJECT':
      return 'rejected (REJECT): the sender gets an ICMP error or TCP reset';
    case 'LOCAL':
      return 'delivered to a process on this node';
    default:
      return o.dnat ? `accepted: forwarded to ${o.dnat}${o.masquerade ? ' with the source masqueraded' : ''}` : 'accepted and sent on';
  }
}

function runHookTable(st: State, hook: Hook, table: string): TableResult {
  const e = st.env;
  const isNat = table === 'nat';
  if (isNat && !st.ctNew) {
    replayNat(st, hook);
    return ACCEPTED;
  }
  const tableChains = st.crs.byTable.get(table);
  const start = tableChains?.get(hook);
  if (!start || !tableChains || !(BUILTIN_CHAINS[table] ?? []).includes(hook)) return ACCEPTED;
  if (st.detail !== 'none') emit(st, { kind: 'hook', hook, table, chain: hook, reason: `${hook} hook: table ${table}`, reasonKey: 'trace.hook', params: { hook, table } });
  const stack: { c: CompiledChain; pos: number }[] = [{ c: start, pos: 0 }];
  let guard = 0;
  while (stack.length) {
    if (++guard > 1_000_000) break;
    const frame = stack[stack.length - 1];
    const c = frame.c;
    if (c.byDst && frame.pos < c.rules.length) {
      const next = nextCandidate(c, frame.pos, e.dst);
      if (next > frame.pos) {
        const n = next - frame.pos;
        st.evaluated += n;
        if (st.detail !== 'none') emit(st, { kind: 'skipped', hook, table, chain: c.chain.name, rule: frame.pos + 1, line: c.rules[frame.pos].rule.line, matched: false, count: n, reason: `${n} rule(s) (${frame.pos + 1}–${next}) did not match: their destination is not ${e.dst}`, reasonKey: 'trace.skipped', params: { count: n, from: frame.pos + 1, to: next, dst: e.dst } });
        frame.pos = next;
      }
    }
    if (frame.pos >= c.rules.length) {
      stack.pop();
      if (!stack.length) {
        // after a goto the last frame is a user chain: falling off it applies the built-in chain's policy
        const policy = start.chain.policy ?? 'ACCEPT';
        if (st.detail !== 'none') emit(st, { kind: 'policy', hook, table, chain: start.chain.name, reason: `end of ${c.chain.name}${c === start ? '' : ' (reached by goto)'}: policy of ${start.chain.name} is ${policy}`, reasonKey: 'trace.policy', action: policy, params: { chain: start.chain.name, policy, end: c.chain.name } });
        if (policy === 'DROP') return { kind: 'final', verdict: 'DROP', by: null, policy: `${table} ${start.chain.name} DROP` };
        return { kind: 'accept' };
      }
      if (st.detail !== 'none') emit(st, { kind: 'return', hook, table, chain: c.chain.name, reason: `end of ${c.chain.name}: back to ${stack[stack.length - 1].c.chain.name}`, reasonKey: 'trace.return', params: { chain: c.chain.name, to: stack[stack.length - 1].c.chain.name } });
      continue;
    }
    const cr = c.rules[frame.pos];
    frame.pos++;
    st.evaluated++;
    const before = st.detail === 'none' ? undefined : view(e);
    let failedIdx = -1;
    let failedUnknown = false;
    let unknown: string[] = NO_WORDS;
    const checks = cr.checks;
    for (let i = 0; i < checks.length; i++) {
      const r = checks[i].run(e);
      if (r === PASS) continue;
      if (r === UNKNOWN) {
        if (unknown === NO_WORDS) unknown = [];
        unknown.push(checks[i].label);
        if (st.input.unknownMatches === 'match') continue;
        failedUnknown = true;
      }
      failedIdx = i;
      break;
    }
    if (failedIdx >= 0) {
      if (failedUnknown) st.unknownOnPath++;
      if (st.detail === 'all') {
        const w = checks[failedIdx].why(e, failedUnknown ? UNKNOWN : FAIL);
        const why = w.text;
        emit(st, { hook, table, chain: c.chain.name, rule: cr.rule.index, line: cr.rule.line, unknown, kind: 'rule', matched: false, reason: failedUnknown ? `not evaluated: ${why}; treated as not matching` : why, reasonKey: failedUnknown ? 'trace.rule.unknown' : 'trace.rule.nomatch', params: whyParams(w) }, before);
      }
      continue;
    }
    const ruleBase = { hook, table, chain: c.chain.name, rule: cr.rule.index, line: cr.rule.line, unknown };
    if (unknown.length) st.unknownOnPath++;
    const t = cr.rule.target;
    const prob = probabilityOf(st, cr);
    if (!t || !t.name) {
      if (st.detail !== 'none') emit(st, { ...ruleBase, kind: 'rule', matched: true, reason: 'matched; the rule has no target, so the walk goes on', reasonKey: 'trace.rule.notarget', probability: prob }, before);
      continue;
    }
    const name = t.name;
    const action = (label: string) => ({ ...ruleBase, kind: 'rule' as const, matched: true, action: label, probability: prob });
    if (name === 'ACCEPT') {
      st.acceptedBy = cr;
      if (st.detail !== 'none') emit(st, { ...action('ACCEPT'), reason: `matched: ACCEPT ends table ${table} at ${hook}`, reasonKey: 'trace.rule.accept', params: { table, hook } }, before);
      return { kind: 'accept' };
    }
    if (name === 'DROP' || name === 'REJECT') {
      if (st.detail !== 'none') emit(st, { ...action(name), reason: `matched: ${name}`, reasonKey: `trace.rule.${name.toLowerCase()}` }, before);
      return { kind: 'final', verdict: name, by: cr, policy: null };
    }
    if (name === 'RETURN') {
      stack.pop();
      if (st.detail !== 'none') emit(st, { ...action('RETURN'), reason: stack.length ? `matched: RETURN to ${stack[stack.length - 1].c.chain.name}` : 'matched: RETURN in a built-in chain applies its policy', reasonKey: 'trace.rule.return', params: { to: stack.length ? stack[stack.length - 1].c.chain.name : '' } }, before);
      if (!stack.length) {
        const policy = start.chain.policy ?? 'ACCEPT';
        if (policy === 'DROP') return { kind: 'final', verdict: 'DROP', by: null, policy: `${table} ${start.chain.name} DROP` };
        return { kind: 'accept' };
      }
      continue;
    }
    const next = tableChains.get(name);
    if (next && !isTargetExtension(name)) {
      if (st.detail !== 'none') emit(st, { ...action(`${t.goto ? 'goto' : 'jump'} ${name}`), reason: `matched: ${t.goto ? 'go to' : 'jump to'} ${name}`, reasonKey: t.goto ? 'trace.rule.goto' : 'trace.rule.jump', params: { chain: name } }, before);
      if (t.goto) stack[stack.length - 1] = { c: next, pos: 0 };
      else stack.push({ c: next, pos: 0 });
      continue;
    }
    const ct = cr.target!;
    const opt = (n: string) => ct.opts.find((o) => o.name === n)?.values[0];
    if (name === 'DNAT' || name === 'REDIRECT') {
      if (!isNat) return unknownTarget(st, cr, ruleBase, before, { text: `${name} outside the nat table`, key: 'trace.why.outsideNat', params: { target: name } });
      const to = name === 'DNAT' ? opt('to-destination') : null;
      let host: string;
      let port: number | null;
      if (name === 'REDIRECT') {
        host = hook === 'OUTPUT' ? (e.dstA?.v6 ? '::1' : '127.0.0.1') : primaryAddress(st, e.inIface) ?? e.dst;
        const tp = opt('to-ports');
        port = tp ? Number(tp.split('-')[0]) : e.dport;
      } else {
        if (!to) return unknownTarget(st, cr, ruleBase, before, { text: 'DNAT without --to-destination', key: 'trace.why.dnatNoTo', params: {} });
        ({ host, port } = cr.natTo!);
      }
      const target = name === 'DNAT' ? to! : joinHostPort(host, port ?? e.dport);
      setDst(e, host);
      if (port !== null) e.dport = port;
      st.dnat = target;
      st.ct.dnat = true;
      e.ctDnat = true;
      if (st.detail !== 'none') emit(st, { ...action(`${name} ${target}`), reason: `matched: ${name} to ${target}; conntrack remembers it for the rest of the connection`, reasonKey: 'trace.rule.dnat', params: { target, nat: name } }, before);
      return { kind: 'accept' };
    }
    if (name === 'SNAT' || name === 'MASQUERADE') {
      if (!isNat) return unknownTarget(st, cr, ruleBase, before, { text: `${name} outside the nat table`, key: 'trace.why.outsideNat', params: { target: name } });
      let host: string | null;
      let port: number | null = null;
      if (name === 'SNAT') {
        const to = opt('to-source');
        if (!to) return unknownTarget(st, cr, ruleBase, before, { text: 'SNAT without --to-source', key: 'trace.why.snatNoTo', params: {} });
        ({ host, port } = cr.natTo!);
      } else {
        host = primaryAddress(st, e.outIface) ?? st.input.node.nodeIP ?? null;
        st.masquerade = true;
      }
      if (host) {
        setSrc(e, host);
        if (port !== null) e.sport = port;
        st.snat = host;
        st.ct.snat = true;
        e.ctSnat = true;
      }
      if (st.detail !== 'none') emit(st, { ...action(name === 'SNAT' ? `SNAT ${host}` : 'MASQUERADE'), reason: name === 'SNAT' ? `matched: source rewritten to ${host}` : `matched: MASQUERADE, the source becomes ${host ?? 'the address of the outgoing interface'}`, reasonKey: name === 'SNAT' ? 'trace.rule.snat' : 'trace.rule.masquerade', params: { source: host ?? '' } }, before);
      return { kind: 'accept' };
    }
    if (name === 'MARK') {
      const xm = opt('set-xmark');
      if (!xm || !cr.markXm) return unknownTarget(st, cr, ruleBase, before, { text: 'MARK option not understood', key: 'trace.why.markOption', params: {} });
      const [v, m] = cr.markXm;
      const old = e.mark;
      e.mark = ((e.mark & ~m) ^ v) >>> 0;
      if (st.detail !== 'none') emit(st, { ...action(`MARK ${xm}`), reason: `matched: packet mark ${hex(old)} -> ${hex(e.mark)}`, reasonKey: 'trace.rule.mark', params: { from: hex(old), to: hex(e.mark) } }, before);
      continue;
    }
    if (name === 'CONNMARK') {
      const xm = t.opts.find((o) => o.name === 'set-xmark' || o.name === 'set-mark');
      if (t.opts.some((o) => o.name === 'save-mark')) st.ct.mark = e.ctMark = e.mark;
      else if (t.opts.some((o) => o.name === 'restore-mark')) e.mark = e.ctMark;
      else if (xm) {
        const [v, m] = (xm.values[0] ?? '').split('/').map((x) => parseMarkValue(x) ?? 0);
        st.ct.mark = e.ctMark = ((e.ctMark & ~(m ?? 0xffffffff)) ^ v) >>> 0;
      } else return unknownTarget(st, cr, ruleBase, before, { text: 'CONNMARK option not understood', key: 'trace.why.connmarkOption', params: {} });
      if (st.detail !== 'none') emit(st, { ...action('CONNMARK'), reason: `matched: connection mark now ${hex(e.ctMark)}, packet mark ${hex(e.mark)}`, reasonKey: 'trace.rule.connmark', params: { ctmark: hex(e.ctMark), mark: hex(e.mark) } }, before);
      continue;
    }
    if (NON_TERMINATING.has(name)) {
      if (st.detail !== 'none') emit(st, { ...action(name), reason: `matched: ${name} does not decide the packet's fate; the walk goes on`, reasonKey: 'trace.rule.nonterminating', params: { target: name } }, before);
      continue;
    }
    if (/^[A-Z][A-Z0-9_]*$/.test(name) && !name.includes('-') && !tableChains.has(name)) {
      if (!looksLikeChain(name)) return unknownTarget(st, cr, ruleBase, before, { text: `target ${name} is not modelled`, key: 'trace.why.targetNotModelled', params: { target: name } });
    }
    // a jump to a chain the paste does not contain
    st.unknownOnPath++;
    if (st.detail !== 'none') emit(st, { ...action(`jump ${name}`), kind: 'missing-chain', reason: `matched: jump to ${name}, but the dump has no chain ${name} in table ${table}; the walk goes on as if it returned`, reasonKey: 'trace.rule.missingchain', params: { chain: name, table } }, before);
  }
  return { kind: 'accept' };
}

function looksLikeChain(name: string): boolean {
  return /^(KUBE|DOCKER|CILIUM|FLANNEL|WEAVE|OPENSHIFT|cali)/i.test(name);
}

function isTargetExtension(name: string): boolean {
  return ['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'MARK', 'CONNMARK', 'ACCEPT', 'DROP', 'REJECT', 'RETURN'].includes(name);
}

/**
 * An event's params for a nested "why": the English text as `why` (as before), its i18n key as
 * `whyKey` and that key's values prefixed `w_`, so the UI can translate the sentence and its why.
 */
function whyParams(w: Why): Record<string, string | number> {
  const out: Record<string, string | number> = { why: w.text, whyKey: w.key };
  for (const [k, v] of Object.entries(w.params)) out[`w_${k}`] = v;
  return out;
}

function unknownTarget(st: State, cr: CompiledRule, base: Partial<TraceEvent>, before: PacketView | undefined, w: Why): TableResult {
  st.unknownOnPath++;
  const why = w.text;
  if (st.detail !== 'none') emit(st, { ...base, kind: 'rule', matched: true, action: cr.rule.target?.name ?? null, reason: `matched, but ${why}: the evaluator does not guess; the walk goes on`, reasonKey: 'trace.rule.unknowntarget', params: whyParams(w), unknown: [cr.rule.target?.name ?? ''] }, before);
  return { kind: 'accept' };
}

function probabilityOf(st: State, cr: CompiledRule): number | undefined {
  if (st.detail === 'none') return undefined;
  for (let k = st.decisions.length - 1; k >= 0; k--) if (st.decisions[k].point.rule === cr.rule) return st.decisions[k].point.probability;
  return undefined;
}

function primaryAddress(st: State, iface: string | null): string | null {
  const itfs = st.input.node.interfaces ?? [];
  const v6 = st.env.dstA?.v6 ?? false;
  const pick = (name: string | null) => {
    const itf = itfs.find((i) => i.name === name);
    for (const a of itf?.addresses ?? []) {
      const ad = parseAddr(a.split('/')[0]);
      if (ad && ad.v6 === v6) return ad.text;
    }
    return null;
  };
  if (iface && iface !== 'lo') {
    const a = pick(iface);
    if (a) return a;
  }
  const nodeIP = st.input.node.nodeIP;
  if (nodeIP && parseAddr(nodeIP)?.v6 === v6) return nodeIP;
  for (const ip of st.input.node.localIPs) {
    const a = parseAddr(ip.split('/')[0]);
    if (a && a.v6 === v6 && !isLoopback(a)) return a.text;
  }
  return null;
}

/** Later packets of a connection: conntrack applies the NAT decided on the first packet. */
function replayNat(st: State, hook: Hook): void {
  const e = st.env;
  const ct = st.ct;
  const before = view(e);
  const dstPoint = hook === 'PREROUTING' || hook === 'OUTPUT';
  const srcPoint = hook === 'POSTROUTING' || hook === 'INPUT';
  if (!st.replyDir) {
    if (dstPoint && ct.dnat) {
      setDst(e, ct.reply.src);
      e.dport = ct.reply.sport;
      st.dnat = joinHostPort(ct.reply.src, ct.reply.sport);
      if (st.detail !== 'none') emit(st, { kind: 'conntrack', hook, table: 'nat', reason: `conntrack replays the connection's DNAT: destination ${st.dnat} (nat rules are not consulted again)`, reasonKey: 'trace.ct.replaydnat', action: `DNAT ${st.dnat}`, params: { target: st.dnat } }, before);
    }
    if (srcPoint && ct.snat) {
      setSrc(e, ct.reply.dst);
      st.snat = ct.reply.dst;
      if (st.detail !== 'none') emit(st, { kind: 'conntrack', hook, table: 'nat', reason: `conntrack replays the connection's source NAT: source ${ct.reply.dst}`, reasonKey: 'trace.ct.replaysnat', action: `SNAT ${ct.reply.dst}`, params: { source: ct.reply.dst } }, before);
    }
    return;
  }
  // reply direction: undo SNAT on the destination side, undo DNAT on the source side (unless
  // IPVS made the DNAT: then IPVS undoes it, see ipvsUnNat)
  if (dstPoint && ct.snat) {
    setDst(e, ct.orig.src);
    e.dport = ct.orig.sport;
    if (st.detail !== 'none') emit(st, { kind: 'conntrack', hook, table: 'nat', reason: `conntrack un-NATs the reply: destination back to the client ${ct.orig.src}`, reasonKey: 'trace.ct.unsnat', params: { dst: ct.orig.src } }, before);
  }
  if (srcPoint && ct.dnat && !ct.ipvs) {
    setSrc(e, ct.orig.dst);
    e.sport = ct.orig.dport;
    if (st.detail !== 'none') emit(st, { kind: 'conntrack', hook, table: 'nat', reason: `conntrack un-NATs the reply: source back to ${joinHostPort(ct.orig.dst, ct.orig.dport)}, the address the client used`, reasonKey: 'trace.ct.undnat', params: { src: ct.orig.dst, address: joinHostPort(ct.orig.dst, ct.orig.dport) } }, before);
  }
}

/**
 * A reply of an IPVS (Masq) connection: IPVS finds the connection in its own table and rewrites
 * the source back to the virtual server (ip_vs_reply4 -> handle_response), as the client expects.
 */
function ipvsUnNat(st: State, hook: Hook): void {
  const e = st.env;
  const ct = st.ct;
  const before = view(e);
  setSrc(e, ct.orig.dst);
  e.sport = ct.orig.dport;
  const address = joinHostPort(ct.orig.dst, ct.orig.dport);
  if (st.detail !== 'none')
    emit(st, { kind: 'ipvs', hook, reason: `IPVS finds the reply's connection and rewrites its source back to the virtual server ${address}`, reasonKey: 'trace.ipvs.reply', action: `IPVS reply ${address}`, params: { address } }, before);
}

export type { CtState };
