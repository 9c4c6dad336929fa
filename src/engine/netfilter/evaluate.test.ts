import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDump } from './index.ts';
import { trace } from './evaluate.ts';
import { outcomes, sample } from './outcomes.ts';
import { kubeProxyNode } from './kube-jumps.ts';
import { kernelProbability } from './canonical.ts';
import type { NodeModel, TraceInput } from './trace-types.ts';

const fixtures = join(new URL('.', import.meta.url).pathname, 'fixtures');
const seedText = readFileSync(join(fixtures, '../../../../../shared/seed/000_43e922ef28b17eb5.txt'), 'utf8');
const node: NodeModel = { localIPs: ['192.168.0.2'], interfaces: [{ name: 'lo', addresses: ['127.0.0.1/8'] }, { name: 'eth0', addresses: ['192.168.0.2/24'] }], nodeIP: '192.168.0.2' };
const rs = (text: string) => parseDump(text).ruleset;

describe('trace: the seed dump (three endpoints, one third each)', () => {
  const ruleset = rs(seedText);
  const input: TraceInput = { ruleset, node, packet: { src: '10.0.0.2', dst: '10.102.249.128', dport: 80, proto: 'tcp' } };

  it('walks PREROUTING nat into KUBE-SERVICES, the SVC chain and one SEP chain, ending in DNAT', () => {
    const r = trace({ ...input, decide: () => true });
    const matched = r.events.filter((e) => e.kind === 'rule' && e.matched).map((e) => `${e.hook} ${e.table} ${e.chain} ${e.rule} ${e.action}`);
    expect(matched).toEqual([
      'PREROUTING nat PREROUTING 1 jump KUBE-SERVICES',
      'PREROUTING nat KUBE-SERVICES 1 jump KUBE-SVC-WWRFY3PZ7W3FGMQW',
      'PREROUTING nat KUBE-SVC-WWRFY3PZ7W3FGMQW 2 jump KUBE-SEP-TPL3DXVO5A7FMTEY',
      'PREROUTING nat KUBE-SEP-TPL3DXVO5A7FMTEY 1 DNAT 10.244.154.195:80',
    ]);
    // the masquerade rule matched (source outside 10.244.0.0/16) but its chain is not in the paste
    expect(r.events.find((e) => e.kind === 'missing-chain')?.action).toBe('jump KUBE-MARK-MASQ');
    expect(r.outcome).toMatchObject({ verdict: 'ACCEPT', dnat: '10.244.154.195:80' });
    expect(r.outcome.final.dst).toBe('10.244.154.195');
    const dnatEvent = r.events.find((e) => e.action?.startsWith('DNAT'))!;
    expect(dnatEvent.packetBefore.dst).toBe('10.102.249.128');
    expect(dnatEvent.packetAfter.dst).toBe('10.244.154.195');
    expect(dnatEvent.line).toBe(246);
    expect(Object.isFrozen(r.events)).toBe(true);
  });

  it('gives each endpoint its exact kernel probability, summing to 1', () => {
    const o = outcomes(input);
    expect(o.truncated).toBe(false);
    expect(o.fates.map((f) => f.dnat)).toEqual(['10.244.154.195:80', '10.244.154.196:80', '10.244.235.208:80']);
    const p1 = kernelProbability(1 / 3);
    expect(o.fates[0].probability).toBeCloseTo(p1, 15);
    expect(o.fates[1].probability).toBeCloseTo((1 - p1) * 0.5, 15);
    expect(o.fates[2].probability).toBeCloseTo((1 - p1) * 0.5, 15);
    expect(o.fates.reduce((s, f) => s + f.probability, 0)).toBeCloseTo(1, 12);
  });

  it('samples N connections with the seeded RNG, reproducibly', () => {
    const a = sample(input, 20000, 7);
    const b = sample(input, 20000, 7);
    const c = sample(input, 20000, 8);
    expect(a).toEqual(b);
    expect(a.counts).not.toEqual(c.counts);
    expect(a.counts).toHaveLength(3);
    for (const x of a.counts) expect(Math.abs(x.count / 20000 - 1 / 3)).toBeLessThan(0.02);
  });

  it('a packet to another port of the ClusterIP is not DNATed (no rule for it)', () => {
    const r = trace({ ...input, packet: { ...input.packet, dport: 81 } });
    expect(r.outcome).toMatchObject({ verdict: 'ACCEPT', dnat: null, masquerade: false });
  });
});

const KUBE = `*nat
:KUBE-SERVICES - [0:0]
:KUBE-SVC-AAAA - [0:0]
:KUBE-SEP-A1 - [0:0]
:KUBE-SEP-A2 - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
-A KUBE-SERVICES -m comment --comment "ns/a:http cluster IP" -m tcp -p tcp -d 10.96.0.50 --dport 80 -j KUBE-SVC-AAAA
-A KUBE-SVC-AAAA -m comment --comment "ns/a:http cluster IP" -m tcp -p tcp -d 10.96.0.50 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-AAAA -m comment --comment "ns/a:http -> 10.244.1.5:8080" -m recent --name KUBE-SEP-A1 --rcheck --seconds 10800 --reap -j KUBE-SEP-A1
-A KUBE-SVC-AAAA -m comment --comment "ns/a:http -> 10.244.2.6:8080" -m recent --name KUBE-SEP-A2 --rcheck --seconds 10800 --reap -j KUBE-SEP-A2
-A KUBE-SVC-AAAA -m comment --comment "ns/a:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-A1
-A KUBE-SVC-AAAA -m comment --comment "ns/a:http -> 10.244.2.6:8080" -j KUBE-SEP-A2
-A KUBE-SEP-A1 -m comment --comment ns/a:http -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-A1 -m comment --comment ns/a:http -m recent --name KUBE-SEP-A1 --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080
-A KUBE-SEP-A2 -m comment --comment ns/a:http -s 10.244.2.6 -j KUBE-MARK-MASQ
-A KUBE-SEP-A2 -m comment --comment ns/a:http -m recent --name KUBE-SEP-A2 --set -m tcp -p tcp -j DNAT --to-destination 10.244.2.6:8080
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
COMMIT
`;

describe('trace: kernel mechanics', () => {
  const kube = kubeProxyNode(KUBE);
  const ext: TraceInput = { ruleset: kube, node, packet: { src: '192.168.0.77', sport: 40000, dst: '10.96.0.50', dport: 80, proto: 'tcp' } };

  it('masquerades a marked connection in POSTROUTING, and clears the mark first', () => {
    const r = trace({ ...ext, decide: () => true });
    expect(r.outcome).toMatchObject({ verdict: 'ACCEPT', dnat: '10.244.1.5:8080', masquerade: true, snat: '192.168.0.2' });
    const hooks = [...new Set(r.events.filter((e) => e.kind === 'hook').map((e) => `${e.hook}/${e.table}`))];
    expect(hooks).toEqual(['PREROUTING/nat', 'FORWARD/filter', 'POSTROUTING/nat']);
    expect(r.events.find((e) => e.action === 'MASQUERADE')!.mark).toBe(0);
    expect(r.outcome.final).toMatchObject({ src: '192.168.0.2', dst: '10.244.1.5', dport: 8080 });
  });

  it('replays NAT from conntrack for later packets, and un-NATs the reply', () => {
    const first = trace({ ...ext, decide: () => false });
    expect(first.outcome.dnat).toBe('10.244.2.6:8080');
    expect(first.conntrack).toHaveLength(1);
    const second = trace({ ...ext, conntrack: first.conntrack, decide: () => true });
    expect(second.outcome.dnat).toBe('10.244.2.6:8080');
    expect(second.events.some((e) => e.kind === 'rule' && e.table === 'nat')).toBe(false);
    expect(second.events.filter((e) => e.kind === 'conntrack').map((e) => e.reasonKey)).toEqual(['trace.ct.established', 'trace.ct.replaydnat', 'trace.ct.replaysnat']);
    const reply = trace({ ruleset: kube, node, conntrack: first.conntrack, packet: { src: '10.244.2.6', sport: 8080, dst: '192.168.0.2', dport: 40000, proto: 'tcp' } });
    expect(reply.outcome.final).toMatchObject({ src: '10.96.0.50', sport: 80, dst: '192.168.0.77', dport: 40000 });
  });

  it('ClientIP affinity: once a client was sent somewhere, -m recent keeps it there until the timeout', () => {
    const s = sample({ ...ext, nowSeconds: 100 }, 200, 3);
    expect(s.counts).toHaveLength(1);
    const first = trace({ ...ext, nowSeconds: 100, decide: () => false });
    expect(first.outcome.dnat).toBe('10.244.2.6:8080');
    const again = trace({ ...ext, recent: first.recent, nowSeconds: 200, decide: () => true });
    expect(again.outcome.dnat).toBe('10.244.2.6:8080');
    const later = trace({ ...ext, recent: first.recent, nowSeconds: 100 + 10801, decide: () => true });
    expect(later.outcome.dnat).toBe('10.244.1.5:8080');
  });

  it('starts node-originated packets at OUTPUT and delivers local ones through INPUT', () => {
    const r = trace({ ruleset: kube, node, packet: { src: '192.168.0.2', dst: '10.96.0.50', dport: 80, proto: 'tcp' }, decide: () => true });
    expect(r.events.find((e) => e.kind === 'hook')?.hook).toBe('OUTPUT');
    expect(r.outcome.masquerade).toBe(true);
    const local = trace({ ruleset: kube, node, packet: { src: '10.1.1.1', dst: '192.168.0.2', dport: 22, proto: 'tcp' } });
    expect(local.outcome.verdict).toBe('LOCAL');
    expect(local.events.filter((e) => e.kind === 'hook').map((e) => e.hook)).toContain('INPUT');
  });

  const FILTER = `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:A - [0:0]
:B - [0:0]
-A FORWARD -s 10.0.0.0/8 -g A
-A FORWARD -s 172.16.0.0/12 -j A
-A FORWARD -j ACCEPT
-A A -p udp -j RETURN
-A A -d 192.168.5.5/32 -j REJECT
-A A -d 192.168.6.6/32 -j DROP
-A A -j B
-A B -j RETURN
COMMIT
`;
  const f = rs(FILTER);
  const fwd = (src: string, dst = '192.168.9.9', proto = 'tcp') => trace({ ruleset: f, node, packet: { src, dst, dport: 80, proto } });

  it('goto: the end of the target chain applies the policy; jump: it returns to the caller', () => {
    expect(fwd('10.1.1.1').outcome).toMatchObject({ verdict: 'DROP', policy: 'filter FORWARD DROP' });
    expect(fwd('172.16.1.1').outcome.verdict).toBe('ACCEPT');
    // RETURN from a goto'd chain also falls to the policy
    expect(fwd('10.1.1.1', '192.168.9.9', 'udp').outcome.verdict).toBe('DROP');
    expect(fwd('172.16.1.1', '192.168.9.9', 'udp').outcome.verdict).toBe('ACCEPT');
  });

  it('REJECT and DROP are different verdicts and name the rule', () => {
    const rej = fwd('172.16.1.1', '192.168.5.5').outcome;
    expect(rej.verdict).toBe('REJECT');
    expect(rej.decidedBy).toEqual({ table: 'filter', chain: 'A', rule: 2, line: 11 });
    expect(fwd('172.16.1.1', '192.168.6.6').outcome.verdict).toBe('DROP');
  });

  it('counts every rule the kernel walks', () => {
    // FORWARD 1 (no), FORWARD 2 (jump), A 1..4, B 1 (RETURN), FORWARD 3 (ACCEPT)
    expect(fwd('172.16.1.1').rulesEvaluated).toBe(8);
  });

  it('reports a match it does not know as unknown, never guesses', () => {
    const u = rs('*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m frobnicate --level 3 -j DROP\nCOMMIT\n');
    const r = trace({ ruleset: u, node, packet: { src: '1.1.1.1', dst: '2.2.2.2', dport: 1, proto: 'tcp' } });
    const ev = r.events.find((e) => e.kind === 'rule')!;
    expect(ev.matched).toBe(false);
    expect(ev.unknown).toEqual(['-m frobnicate']);
    expect(ev.reasonKey).toBe('trace.rule.unknown');
    expect(r.outcome).toMatchObject({ verdict: 'ACCEPT', unknownOnPath: 1 });
    expect(trace({ ruleset: u, node, unknownMatches: 'match', packet: { src: '1.1.1.1', dst: '2.2.2.2', dport: 1, proto: 'tcp' } }).outcome.verdict).toBe('DROP');
  });

  it('matches interfaces with + wildcards, addrtype from the node addresses, physdev and marks', () => {
    const t = rs(`*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
-A INPUT -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 9 -j REJECT
-A FORWARD -m physdev --physdev-is-bridged -j DROP
-A FORWARD -i cali+ -p udp -j REJECT
COMMIT
`);
    expect(trace({ ruleset: t, node, packet: { src: '8.8.8.8', dst: '192.168.0.2', dport: 9 } }).outcome.verdict).toBe('REJECT');
    expect(trace({ ruleset: t, node, packet: { src: '8.8.8.8', dst: '192.168.0.2', dport: 10 } }).outcome.verdict).toBe('LOCAL');
    expect(trace({ ruleset: t, node, packet: { src: '10.0.0.1', dst: '10.0.0.9', dport: 1, bridged: true } }).outcome.verdict).toBe('DROP');
    expect(trace({ ruleset: t, node, packet: { src: '10.0.0.1', dst: '10.0.0.9', dport: 1, proto: 'udp', inIface: 'cali12ab' } }).outcome.verdict).toBe('REJECT');
    expect(trace({ ruleset: t, node, packet: { src: '10.0.0.1', dst: '10.0.0.9', dport: 1, proto: 'udp', inIface: 'eth1' } }).outcome.verdict).toBe('ACCEPT');
  });

  it('checks ipset membership from an ipset model (IPVS mode), unknown without one', () => {
    const t = rs('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j DROP\nCOMMIT\n');
    const ipsets = [{ name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', entries: ['10.96.0.10,udp:53'] }];
    const local: NodeModel = { ...node, localIPs: [...node.localIPs, '10.96.0.10'] };
    const go = (proto: string, withSets: boolean) => trace({ ruleset: t, node: local, ipsets: withSets ? ipsets : undefined, packet: { src: '10.244.1.1', dst: '10.96.0.10', dport: 53, proto } });
    expect(go('udp', true).outcome.verdict).toBe('DROP');
    expect(go('tcp', true).outcome.verdict).toBe('LOCAL');
    expect(go('udp', false).events.find((e) => e.kind === 'rule')?.reasonKey).toBe('trace.rule.unknown');
  });

  it('statistic nth: a per-rule counter, exactly 1 in N when sampling; 1/N in outcomes', () => {
    const t = rs('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m statistic --mode nth --every 3 --packet 0 -j DNAT --to-destination 10.1.1.1:80\n-A PREROUTING -j DNAT --to-destination 10.2.2.2:80\nCOMMIT\n');
    const input: TraceInput = { ruleset: t, node, packet: { src: '8.8.8.8', dst: '9.9.9.9', dport: 80 } };
    const s = sample(input, 300, 1);
    expect(s.counts.find((c) => c.dnat === '10.1.1.1:80')?.count).toBe(100);
    const o = outcomes(input).fates;
    expect(o.map((x) => x.dnat)).toEqual(['10.1.1.1:80', '10.2.2.2:80']);
    expect(o[0].probability).toBeCloseTo(1 / 3, 12);
    expect(o[1].probability).toBeCloseTo(2 / 3, 12);
  });

  it('offers IPVS an extension point at LOCAL_IN', () => {
    const t = rs('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n');
    const local: NodeModel = { ...node, localIPs: [...node.localIPs, '10.96.0.10'] };
    const r = trace({ ruleset: t, node: local, packet: { src: '10.244.1.1', dst: '10.96.0.10', dport: 53, proto: 'udp' }, ipvs: (p) => (p.dst === '10.96.0.10' ? { address: '10.244.3.3', port: 53 } : null) });
    expect(r.outcome).toMatchObject({ verdict: 'ACCEPT', dnat: '10.244.3.3:53' });
    expect(r.events.find((e) => e.kind === 'ipvs')?.packetAfter.dst).toBe('10.244.3.3');
  });

  it('skips rules by destination but still counts and reports them as evaluated', () => {
    const lines = ['*nat', ':PREROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', '-A PREROUTING -j KUBE-SERVICES'];
    for (let i = 0; i < 200; i++) lines.push(`-A KUBE-SERVICES -d 10.96.${i >> 8}.${i & 255}/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.0.${i % 250}:80`);
    lines.push('COMMIT');
    const big = rs(lines.join('\n'));
    const r = trace({ ruleset: big, node, packet: { src: '8.8.8.8', dst: '10.96.0.150', dport: 80 } });
    expect(r.outcome.dnat).toBe('10.244.0.150:80');
    expect(r.rulesEvaluated).toBe(1 + 151);
    const skipped = r.events.filter((e) => e.kind === 'skipped');
    expect(skipped.reduce((s, e) => s + (e.count ?? 0), 0)).toBe(150);
    const miss = trace({ ruleset: big, node, packet: { src: '8.8.8.8', dst: '10.96.9.9', dport: 80 } });
    expect(miss.rulesEvaluated).toBe(1 + 200);
  });
});
