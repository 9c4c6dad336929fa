// Shape and scaling checks for the bench inputs (no timing: the lead's bench does that).
import { describe, expect, it } from 'vitest';
import { makeLargeCluster } from './bench.ts';
import { syncIptables } from './proxier.ts';

describe('makeLargeCluster', () => {
  it('builds the requested services and endpoints, deterministically', () => {
    const a = makeLargeCluster(30, 250);
    expect(a.services).toHaveLength(30);
    expect(a.slices).toHaveLength(90);
    expect(a.slices.reduce((n, s) => n + (s.endpoints?.length ?? 0), 0)).toBe(7500);
    expect(makeLargeCluster(30, 250)).toEqual(a);
  });
  it('gives unique cluster IPs and endpoint addresses', () => {
    const { services, slices } = makeLargeCluster(2000, 3);
    expect(new Set(services.map((s) => s.spec.clusterIP)).size).toBe(2000);
    expect(new Set(slices.flatMap((s) => s.endpoints!.map((e) => e.addresses[0]))).size).toBe(6000);
  });
  it('generates rules linear in the input and drops comments in large-cluster mode', () => {
    const small = syncIptables(...args(100, 2));
    const big = syncIptables(...args(1000, 2));
    const nat = (s: ReturnType<typeof syncIptables>) => s.tables[1].rules.length;
    expect(nat(big)).toBeGreaterThan(9 * nat(small));
    expect(nat(big)).toBeLessThan(11 * nat(small));
    expect(small.largeClusterMode).toBe(false);
    expect(big.largeClusterMode).toBe(true);
    expect(big.tables[1].rules.filter((r) => r.startsWith('-A KUBE-SEP-') && r.includes('--comment'))).toEqual([]);
    expect(big.tables[1].rules.some((r) => r.startsWith('-A KUBE-SERVICES') && r.includes('cluster IP'))).toBe(true);
  });
});

function args(n: number, e: number): Parameters<typeof syncIptables> {
  const { services, slices } = makeLargeCluster(n, e);
  return [services, slices, { nodeName: 'node-1' }];
}
