// sample(): walking the precomputed decision tree must give exactly what tracing every connection
// gives (same seeded draws, same counts, same rules evaluated), and fall back where state carries over.
import { describe, expect, it } from 'vitest';
import { decisionTree, outcomes, sample, sampleByTrace } from './outcomes.ts';
import { kubeProxySave, lastServicePacket, BENCH_NODE } from './bench.ts';
import { parseDump } from './parse.ts';
import { makeIpvsHook } from '../ipvs/path.ts';
import type { TraceInput } from './trace-types.ts';

const rs = parseDump(kubeProxySave(3, 5)).ruleset;

describe('sample through the decision tree', () => {
  it('equals tracing every connection, for several seeds and sizes', () => {
    const input: TraceInput = { ruleset: rs, node: BENCH_NODE, packet: lastServicePacket(3) };
    expect(decisionTree(input)).not.toBeNull();
    for (const [n, seed] of [[2, 1], [977, 5], [5000, 42]] as const) expect(sample(input, n, seed)).toEqual(sampleByTrace(input, n, seed));
    const s = sample(input, 5000, 42);
    expect(s.counts.map((c) => c.dnat).sort()).toEqual(outcomes(input).fates.map((f) => f.dnat).sort());
    expect(s.rulesEvaluated).toBeGreaterThan(5000);
  });

  it('keeps the arrival order on request, the same through the tree and through tracing', () => {
    const input: TraceInput = { ruleset: rs, node: BENCH_NODE, packet: lastServicePacket(3) };
    const a = sample(input, 1000, 7, { order: true });
    expect(a).toEqual(sampleByTrace(input, 1000, 7, { order: true }));
    expect(a.order).toHaveLength(1000);
    // the order tallies to the counts, and is not sorted (arrivals interleave)
    const tally = a.counts.map((_, i) => a.order!.filter((x) => x === i).length);
    expect(tally).toEqual(a.counts.map((c) => c.count));
    expect(new Set(a.order!.slice(0, 20)).size).toBeGreaterThan(1);
    expect(sample(input, 1000, 7).order).toBeUndefined();
  });

  it('an IPVS wrr burst follows the kernel rotation exactly at LOCAL_IN', () => {
    const vs = { address: '10.96.0.3', port: 80, protocol: 'TCP' as const, scheduler: 'wrr', flags: 0, timeout: 0, realServers: [1, 2, 5].map((w, i) => ({ address: `10.244.0.${i + 1}`, port: 80, weight: w })) };
    const input: TraceInput = { ruleset: parseDump('*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n').ruleset, node: { localIPs: ['10.96.0.3'] }, packet: { src: '10.1.1.1', sport: 999, dst: '10.96.0.3', dport: 80 }, ipvs: makeIpvsHook({ virtualServers: [vs] }) };
    // wrr keeps its place between connections (ip_vs_wrr_mark): a burst of 8000 is 1000 turns of
    // the 1:2:5 rotation, so the counts are exact; tracing each connection with independent
    // draws gives the same shares only on average
    const a = sample(input, 8000, 3);
    expect(Object.fromEntries(a.counts.map((c) => [c.dnat, c.count]))).toEqual({ '10.244.0.1:80': 1000, '10.244.0.2:80': 2000, '10.244.0.3:80': 5000 });
    const b = sampleByTrace(input, 8000, 3);
    const share = Object.fromEntries(b.counts.map((c) => [c.dnat, c.count / 8000]));
    expect(share['10.244.0.3:80']).toBeGreaterThan(0.55);
  });

  it('no tree when state carries over between connections (-m recent affinity)', () => {
    const text = kubeProxySave(1, 2).replace(
      /(-A KUBE-SVC-\S+ -m comment --comment "[^"]+ -> [^"]+") (-m statistic)/,
      '$1 -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-X --mask 255.255.255.255 --rsource $2',
    );
    expect(text).toContain('-m recent');
    const input: TraceInput = { ruleset: parseDump(text).ruleset, node: BENCH_NODE, packet: lastServicePacket(1) };
    expect(decisionTree(input)).toBeNull();
    expect(sample(input, 300, 2)).toEqual(sampleByTrace(input, 300, 2));
  });
});
