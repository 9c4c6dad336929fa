import { describe, expect, it } from 'vitest';
import { runPipeline } from '../pipeline.ts';
import { findScenario } from '../scenario/scenarios.ts';
import { parseDump } from './parse.ts';
import { trace } from './evaluate.ts';
import { secondConnection } from './again.ts';
import type { TraceInput } from './trace-types.ts';
import { createRng } from '../util/rng.ts';

function input(id: string): TraceInput {
  const s = findScenario(id)!;
  const r = runPipeline({ yaml: s.yaml, mode: 'iptables', node: s.node, config: s.config, cluster: s.cluster });
  const [host, port] = s.packet.dst.split(':');
  return { ruleset: parseDump(r.dataplane!.iptables!.save).ruleset, node: { localIPs: [r.config!.nodeIP] }, packet: { src: s.packet.src, sport: 40000, dst: host!, dport: Number(port), proto: 'tcp' } };
}

describe('secondConnection: ClientIP session affinity', () => {
  it('with affinity, the second connection from the same client sticks, whatever the random draws', () => {
    const inp = input('session-affinity');
    for (const seed of [1, 2, 3, 4, 5]) {
      const first = trace({ ...inp, rng: createRng(seed) });
      const again = secondConnection({ ...inp, rng: createRng(seed * 7919) }, first)!;
      expect(again).not.toBeNull();
      expect(again.sport).toBe(40001);
      expect(again.sticks).toBe(true);
      expect(again.result.outcome.dnat).toBe(first.outcome.dnat);
      expect(again.byRule?.chain).toMatch(/^KUBE-SVC-/);
    }
  });

  it('without affinity nothing carries over between connections: no second-connection story', () => {
    const inp = input('nginx-clusterip');
    expect(secondConnection(inp, trace(inp))).toBeNull();
  });

  it('after the affinity timeout the second connection is a fresh draw again', () => {
    const inp = input('session-affinity');
    const first = trace({ ...inp, rng: createRng(1) });
    const late = secondConnection({ ...inp, rng: createRng(99) }, first, 10801)!;
    expect(late.byRule).toBeNull();
  });
});
