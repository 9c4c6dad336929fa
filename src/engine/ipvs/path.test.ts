import { describe, expect, it } from 'vitest';
import { ipvsPath, kernelOrder, makeIpvsHook } from './path.ts';
import { buildMhTable, mhLookup, MH_FLAG_PORT } from './maglev.ts';
import type { VirtualServer } from './types.ts';

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
    expect(r.choice?.address).toBe('10.180.0.1');
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
