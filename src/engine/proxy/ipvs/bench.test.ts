import { describe, expect, it } from 'vitest';
import { generateLargeIpvs, ipvsPacketCost } from './bench.ts';

describe('IPVS benchmark helpers', () => {
  it('scales virtual servers and ipsets with the cluster while the iptables text stays the same size', () => {
    const a = generateLargeIpvs(200, 10);
    const b = generateLargeIpvs(400, 10);
    // every tenth Service is a NodePort: one extra virtual server per node IP (eth0 192.168.0.2)
    expect(a.stats.virtualServers).toBe(200 + 20);
    expect(a.stats.realServers).toBe(220 * 10);
    expect(b.stats.kubeIpvs0Addresses).toBe(400);
    expect(b.stats.restoreLines).toBe(a.stats.restoreLines);
  });
  it('one packet walks the same number of rules for the first and the last Service', () => {
    const large = generateLargeIpvs(300, 3);
    const first = ipvsPacketCost(large, 1);
    const last = ipvsPacketCost(large, 299);
    expect(first.rulesEvaluated).toBe(last.rulesEvaluated);
    expect(first.dnat).not.toBeNull();
    expect(last.dnat).not.toBeNull();
  });
});
