import { describe, expect, it } from 'vitest';
import { simulateCluster } from './index.ts';
import { deployment, input, obj, service } from './builders.ts';

describe('determinism and scale', () => {
  const build = () =>
    input(
      obj(deployment('web', 5, { app: 'web' })),
      obj(service('web', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] })),
      obj(service('other', { type: 'NodePort', ports: [{ port: 81 }] })),
    );

  it('same input and seed give identical state; another seed gives other random choices', () => {
    const a = simulateCluster(build(), { seed: 42 });
    const b = simulateCluster(build(), { seed: 42 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const c = simulateCluster(build(), { seed: 43 });
    expect(c.services[0].spec.clusterIP).not.toBe(a.services[0].spec.clusterIP);
    expect(c.pods[0].metadata.name).not.toBe(a.pods[0].metadata.name);
  });

  it('does not touch the caller’s objects', () => {
    const i = build();
    const before = JSON.stringify(i);
    simulateCluster(i, { seed: 1 });
    expect(JSON.stringify(i)).toBe(before);
  });

  it('adding a pod-creating Deployment does not move Service allocations (independent RNG streams)', () => {
    const a = simulateCluster(build(), { seed: 7 });
    const more = build();
    more.objects.unshift(obj(deployment('extra', 4, { app: 'extra' })));
    const b = simulateCluster(more, { seed: 7 });
    expect(b.services.map((x) => x.spec.clusterIP)).toEqual(a.services.map((x) => x.spec.clusterIP));
    expect(b.services.map((x) => x.spec.ports?.[0].nodePort)).toEqual(a.services.map((x) => x.spec.ports?.[0].nodePort));
  });

  it('simulates 10,000 Services with pods: every Service allocated, every slice filled (its speed is in npm run bench)', () => {
    const objects = [];
    for (let i = 0; i < 10000; i++) {
      objects.push(obj(service(`s${i}`, { selector: { app: `a${i}` }, ports: [{ port: 80 }] }, { namespace: `ns${i % 50}` })));
    }
    for (let i = 0; i < 200; i++) {
      const d = deployment(`d${i}`, 2, { app: `a${i}` });
      d.metadata.namespace = `ns${i % 50}`;
      objects.push(obj(d));
    }
    const s = simulateCluster({ objects }, { seed: 1 });
    expect(s.services).toHaveLength(10000);
    expect(s.pods).toHaveLength(400);
    expect(new Set(s.services.map((x) => x.spec.clusterIP)).size).toBe(10000);
    expect(s.endpointSlices.filter((x) => (x.endpoints ?? []).length === 2)).toHaveLength(200);
  });
});
