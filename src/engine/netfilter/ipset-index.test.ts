import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ipsetMember, type IpsetPacket } from './ipset-index.ts';
import { cidrContains, parseAddr, parseCidr } from './addr.ts';
import type { IpsetModel } from './trace-types.ts';

const pkt = (src: string, dst: string, sport: number | null, dport: number | null, proto = 'tcp'): IpsetPacket => ({ srcA: parseAddr(src), dstA: parseAddr(dst), sport, dport, proto });

describe('ipsetMember', () => {
  it('hash:ip,port: address and protocol:port, no protocol meaning tcp', () => {
    const s: IpsetModel = { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', entries: ['10.96.0.10,udp:53', '10.96.0.10,tcp:53', '10.96.0.50,80'] };
    expect(ipsetMember(s, pkt('10.244.1.1', '10.96.0.10', 1, 53, 'udp'), ['dst', 'dst'])).toBe(true);
    expect(ipsetMember(s, pkt('10.244.1.1', '10.96.0.50', 1, 80), ['dst', 'dst'])).toBe(true);
    expect(ipsetMember(s, pkt('10.244.1.1', '10.96.0.50', 1, 80, 'udp'), ['dst', 'dst'])).toBe(false);
    expect(ipsetMember(s, pkt('10.244.1.1', '10.96.0.50', 1, 81), ['dst', 'dst'])).toBe(false);
    expect(ipsetMember(s, pkt('10.244.1.1', '10.96.0.50', 1, null), ['dst', 'dst'])).toBeNull();
  });
  it('hash:ip,port,ip (KUBE-LOOP-BACK): a pod reaching itself through its Service', () => {
    const s: IpsetModel = { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', entries: ['10.244.1.5,tcp:8080,10.244.1.5'] };
    expect(ipsetMember(s, pkt('10.244.1.5', '10.244.1.5', 4000, 8080), ['dst', 'dst', 'src'])).toBe(true);
    expect(ipsetMember(s, pkt('10.244.1.6', '10.244.1.5', 4000, 8080), ['dst', 'dst', 'src'])).toBe(false);
  });
  it('hash:ip,port,net and hash:net: prefix buckets, most specific first, nomatch carves out', () => {
    const s: IpsetModel = { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', entries: ['1.2.3.4,tcp:80,10.0.0.0/8', '1.2.3.4,tcp:80,192.168.1.0/24'] };
    expect(ipsetMember(s, pkt('10.9.9.9', '1.2.3.4', 1, 80), ['dst', 'dst', 'src'])).toBe(true);
    expect(ipsetMember(s, pkt('192.168.1.77', '1.2.3.4', 1, 80), ['dst', 'dst', 'src'])).toBe(true);
    expect(ipsetMember(s, pkt('192.168.2.77', '1.2.3.4', 1, 80), ['dst', 'dst', 'src'])).toBe(false);
    const n: IpsetModel = { name: 'N', type: 'hash:net', entries: ['10.0.0.0/8', '10.1.0.0/16 nomatch', 'fd00::/64'] };
    expect(ipsetMember(n, pkt('10.2.0.1', '0.0.0.0', 1, 1), ['src'])).toBe(true);
    expect(ipsetMember(n, pkt('10.1.0.1', '0.0.0.0', 1, 1), ['src'])).toBe(false);
    expect(ipsetMember(n, pkt('fd00::9', '::', 1, 1), ['src'])).toBe(true);
    expect(ipsetMember(n, pkt('fd01::9', '::', 1, 1), ['src'])).toBe(false);
  });
  it('bitmap:port matches TCP and UDP by port alone, nothing else', () => {
    const s: IpsetModel = { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', entries: ['30053'] };
    expect(ipsetMember(s, pkt('1.1.1.1', '2.2.2.2', 1, 30053, 'udp'), ['dst'])).toBe(true);
    expect(ipsetMember(s, pkt('1.1.1.1', '2.2.2.2', 1, 30053, 'tcp'), ['dst'])).toBe(true);
    expect(ipsetMember(s, pkt('1.1.1.1', '2.2.2.2', 1, 30053, 'sctp'), ['dst'])).toBe(false);
    expect(ipsetMember(s, pkt('1.1.1.1', '2.2.2.2', 1, 30054, 'udp'), ['dst'])).toBe(false);
  });
  it('a type it does not model is unknown, not a guess', () => {
    expect(ipsetMember({ name: 'M', type: 'hash:mac', entries: ['aa:bb:cc:dd:ee:ff'] }, pkt('1.1.1.1', '2.2.2.2', 1, 1), ['src'])).toBeNull();
  });
  it('agrees with a linear scan of CIDR containment (property)', () => {
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    fc.assert(
      fc.property(fc.array(fc.tuple(v4, fc.integer({ min: 0, max: 32 })), { minLength: 1, maxLength: 30 }), v4, (nets, probe) => {
        const entries = nets.map(([a, l]) => `${a}/${l}`);
        const linear = entries.some((c) => cidrContains(parseCidr(c)!, parseAddr(probe)!));
        expect(ipsetMember({ name: 'P', type: 'hash:net', entries }, pkt(probe, '0.0.0.0', 1, 1), ['src'])).toBe(linear);
      }),
      { numRuns: 500 },
    );
  });
});
