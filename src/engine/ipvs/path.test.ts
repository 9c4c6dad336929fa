import { describe, expect, it } from 'vitest';
import { ipvsPath, kernelOrder, makeIpvsHook } from './path.ts';
import { buildMhTable, mhLookup, MH_FLAG_PORT } from './maglev.ts';
import type { VirtualServer } from './types.ts';
import { simulateConnections } from './connections.ts';
import { outcomes, sample } from '../netfilter/outcomes.ts';
import { parseDump } from '../netfilter/parse.ts';
import type { TraceInput } from '../netfilter/trace-types.ts';

const rs = (o: number, weight = 1, activeConns = 0) => ({ address: `10.180.0.${o}`, port: 80, weight, activeConns });
const vs = (scheduler: string, realServers: ReturnType<typeof rs>[], flags = 0): VirtualServer => ({
  address: '172.30.0.41', port: 80, protocol: 'TCP', scheduler, flags, timeout: 0, realServers,
});
const pkt = { src: '10.0.0.2', sport: 40000, dst: '172.30.0.41', dport: 80, proto: 'tcp' };

describe('ipvsPath', () => {
  it('no virtual server for the address:port', () => {
    const r = ipvsPath({ virtualServers: [vs('rr', [rs(1)])] }, { ...pkt, dport: 81 });
    expect(r.key).toBe('ipvs.no-virtual-server');
    expect(r.outcomes).toEqual([]);
  });
  it('a virtual server without real servers answers ICMP unreachable', () => {
    expect(ipvsPath({ virtualServers: [vs('rr', [])] }, pkt).key).toBe('ipvs.no-real-server');
  });
  it('rr: equal shares over weight > 0; weight 0 (graceful termination) gets nothing', () => {
    const r = ipvsPath({ virtualServers: [vs('rr', [rs(1), rs(2, 0), rs(3, 5)])] }, pkt);
    expect(r.outcomes.map((o) => [o.realServer.address, o.probability])).toEqual([['10.180.0.1', 0.5], ['10.180.0.3', 0.5]]);
    // the kernel list is newest first (list_add_rcu at the head) and rr starts after the head:
    // with ascending adds the first pick is the last real server ipvsadm lists
    expect(r.choice?.address).toBe('10.180.0.3');
  });
  it('wrr shares follow weights', () => {
    const r = ipvsPath({ virtualServers: [vs('wrr', [rs(1, 1), rs(2, 3)])] }, pkt);
    expect(r.outcomes.map((o) => o.probability)).toEqual([0.25, 0.75]);
  });
  it('mh with mh-port: the kernel table (reversed sorted add order) decides, with probability 1', () => {
    const servers = [rs(1), rs(2), rs(3)];
    const r = ipvsPath({ virtualServers: [vs('mh', servers, MH_FLAG_PORT)] }, pkt);
    const t = buildMhTable(kernelOrder(vs('mh', servers)));
    const expected = t.dests[mhLookup(t, { address: '10.0.0.2', port: 40000 }, MH_FLAG_PORT).dest!]!;
    expect(r.key).toBe('ipvs.choice.hash');
    expect(r.outcomes).toEqual([{ realServer: servers.find((s) => s.address === expected.address), probability: 1 }]);
    // the mh-maglev-derived vector: this client lands on 10.180.0.2 for the ascending add order
    expect(r.choice?.address).toBe('10.180.0.2');
  });
  it('lc: the fewest connections now, flagged as unpredictable over time', () => {
    const r = ipvsPath({ virtualServers: [vs('lc', [rs(1, 1, 4), rs(2, 1, 1)])] }, pkt);
    expect(r.choice?.address).toBe('10.180.0.2');
    expect(r.unpredictable).toBe(true);
  });
  it('hook: a virtual server with no destination is ip_vs_leave: REJECT (ICMP port unreachable), DROP for ICMP; no virtual server is null', () => {
    const never = () => {
      throw new Error('no choice to make');
    };
    const empty = makeIpvsHook({ virtualServers: [vs('rr', [])] });
    expect(empty(pkt, never)).toMatchObject({ verdict: 'REJECT', label: 'ipvs.no-real-server' });
    expect(empty({ ...pkt, proto: 'icmp' }, never)).toBeNull();
    const drained = makeIpvsHook({ virtualServers: [vs('wrr', [rs(1, 0), rs(2, 0)])] });
    expect(drained(pkt, never)).toMatchObject({ verdict: 'REJECT', label: 'ipvs.no-destination' });
    expect(makeIpvsHook({ virtualServers: [vs('rr', [rs(1)])] })({ ...pkt, dport: 81 }, never)).toBeNull();
  });
  it('hook cascades rr shares through decide', () => {
    const hook = makeIpvsHook({ virtualServers: [vs('rr', [rs(1), rs(2), rs(3)])] });
    const asked: number[] = [];
    const got = hook(pkt, (p) => {
      asked.push(p);
      return false;
    });
    expect(asked.map((p) => Math.round(p * 1e6) / 1e6)).toEqual([0.333333, 0.5]);
    expect(got && 'address' in got ? got.address : null).toBe('10.180.0.3');
  });
});

describe('least-connection schedulers on the packet path', () => {
  const counted = (scheduler: string, conns: [number, number][], flags = 0): VirtualServer => ({
    address: '172.30.0.41', port: 80, protocol: 'TCP', scheduler, flags, timeout: flags ? 10800 : 0,
    realServers: conns.map(([a, i], k) => ({ address: `10.180.0.${k + 1}`, port: 80, weight: 1, activeConns: a, inactConns: i })),
  });
  const input = (v: VirtualServer): TraceInput => ({
    ruleset: parseDump('*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n').ruleset,
    node: { localIPs: ['172.30.0.41'] },
    packet: { src: '10.0.0.2', sport: 40000, dst: '172.30.0.41', dport: 80 },
    ipvs: makeIpvsHook({ virtualServers: [v] }),
  });

  it('one packet: the next pick under the given counts, the only outcome, with probability 1', () => {
    const v = counted('lc', [[5, 0], [2, 100], [2, 0]]);
    const r = ipvsPath({ virtualServers: [v] }, pkt);
    expect(r.choice?.address).toBe('10.180.0.3');
    expect(r.outcomes).toEqual([{ realServer: v.realServers[2], probability: 1 }]);
    expect(r.reason).toContain('probability 1');
    const o = outcomes(input(v));
    expect(o.fates.map((f) => [f.dnat, f.probability])).toEqual([['10.180.0.3:80', 1]]);
  });

  it('ties go to the first real server in the kernel list, i.e. the newest added (the last one ipvsadm lists)', () => {
    const r = ipvsPath({ virtualServers: [counted('wlc', [[0, 0], [0, 0], [0, 0]])] }, pkt);
    expect(r.choice?.address).toBe('10.180.0.3');
  });

  it('a burst: each new connection stays open and counts, so the picks move on as the kernel\'s would', () => {
    const v = counted('lc', [[3, 0], [0, 0], [1, 0]]);
    const s = sample(input(v), 100, 1);
    const got = Object.fromEntries(s.counts.map((c) => [c.dnat, c.count]));
    // the engine's own simulation, on the kernel list (newest first), gives the same totals
    const sim = simulateConnections('lc', kernelOrder(v).map((r) => ({ ...r })), 100);
    const want = Object.fromEntries(kernelOrder(v).map((r, i) => [`${r.address}:80`, sim.after[i]!.active - (r.activeConns ?? 0)]));
    expect(got).toEqual(want);
    // and by hand: 104 active in all, level at 35/35/34 with the extra ones on the newest-first list's head
    expect(got).toEqual({ '10.180.0.3:80': 34, '10.180.0.2:80': 35, '10.180.0.1:80': 31 });
    // the burst has its own counters: the dataplane keeps what the user set, and a second burst starts again
    expect(v.realServers.map((r) => r.activeConns)).toEqual([3, 0, 1]);
    expect(sample(input(v), 100, 1)).toEqual(s);
    // the arrival order is kept for the animation: the first connection is the single next pick
    expect(s.counts[sample(input(v), 100, 1, { order: true }).order![0]!]!.dnat).toBe('10.180.0.2:80');
  });

  it('a burst to a persistent virtual server (ClientIP affinity) stays on the first pick', () => {
    const s = sample(input(counted('lc', [[3, 0], [0, 0], [1, 0]], 1)), 50, 1);
    expect(s.counts.map((c) => [c.dnat, c.count])).toEqual([['10.180.0.2:80', 50]]);
  });

  it('a burst with every real server drained is refused every time; only hashing dataplanes keep the decision tree', () => {
    const s = sample(input({ ...counted('nq', [[0, 0]]), realServers: [{ address: '10.180.0.1', port: 80, weight: 0 }] }), 10, 1);
    expect(s.counts).toEqual([{ verdict: 'REJECT', dnat: null, masquerade: false, count: 10 }]);
    expect(makeIpvsHook({ virtualServers: [vs('sh', [rs(1)])] }).burst).toBeUndefined();
    expect(makeIpvsHook({ virtualServers: [vs('rr', [rs(1)])] }).burst).toBeTypeOf('function');
    expect(makeIpvsHook({ virtualServers: [counted('sed', [[0, 0]])] }).burst).toBeTypeOf('function');
  });

  it('rr over a burst is the kernel\'s rotation: newest first, then round, exact counts', () => {
    const three = vs('rr', [rs(1), rs(2), rs(3)]);
    const s = sample(input(three), 10, 1, { order: true });
    const byDnat = Object.fromEntries(s.counts.map((c) => [c.dnat, c.count]));
    // the kernel list runs newest first (the last added, here the highest address), then wraps
    const names = [...three.realServers].reverse().map((r) => `${r.address}:${r.port}`);
    expect(s.order!.map((i) => s.counts[i]!.dnat)).toEqual(Array.from({ length: 10 }, (_, k) => names[k % 3]));
    expect(byDnat).toEqual({ [names[0]!]: 4, [names[1]!]: 3, [names[2]!]: 3 });
  });
});
