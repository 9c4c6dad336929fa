import { describe, expect, it } from 'vitest';
import { layoutMap } from './layout.ts';
import type { MapModel } from '../../engine/scenario/mapModel.ts';

const model = (pods: number): MapModel => ({
  nodes: [
    { name: 'k8s-node-02', zone: 'zone-b', region: 'r', ip: '192.168.56.12' },
    { name: 'k8s-master', zone: 'zone-a', region: 'r', ip: '192.168.56.10' },
    { name: 'k8s-node-01', zone: 'zone-a', region: 'r', ip: '192.168.56.11' },
  ],
  pods: Array.from({ length: pods }, (_, i) => ({ key: `default/p${i}`, name: `p${i}`, ip: `10.244.0.${i}`, node: i % 2 ? 'k8s-node-01' : 'k8s-master', readiness: 'ready' as const })),
  services: [],
  truncated: false,
});

describe('layoutMap', () => {
  it('groups nodes by zone and keeps every box inside the width', () => {
    const l = layoutMap(model(3), 400, 200);
    expect(l.nodes.map((n) => n.name)).toEqual(['k8s-master', 'k8s-node-01', 'k8s-node-02']);
    expect(l.zones.map((z) => z.name)).toEqual(['zone-a', 'zone-b']);
    for (const n of l.nodes) expect(n.x + n.w).toBeLessThanOrEqual(400);
  });
  it('puts each pod inside its node box, even 300 of them', () => {
    for (const count of [3, 300]) {
      const l = layoutMap(model(count), 400, 200);
      expect(l.pods).toHaveLength(count);
      const box = new Map(l.nodes.map((n) => [n.name, n]));
      for (const d of l.pods) {
        const b = box.get(d.pod.node!)!;
        expect(d.x - d.r).toBeGreaterThanOrEqual(b.x);
        expect(d.x + d.r).toBeLessThanOrEqual(b.x + b.w);
        expect(d.y + d.r).toBeLessThanOrEqual(b.y + b.h + 0.001);
      }
    }
  });
});
