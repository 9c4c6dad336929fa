// Whatever the manifest stage lets through, the control plane answers with state and
// diagnostics, never an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateCluster } from './index.ts';

const kinds = fc.constantFrom('Service', 'Pod', 'Deployment', 'ReplicaSet', 'Node', 'EndpointSlice', 'Endpoints', 'ConfigMap');
const junk = fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.constant([]), fc.constant({}));
const name = fc.constantFrom('a', 'b', 'web', 'kubernetes');
const objArb = fc.record({
  kind: kinds,
  object: fc.record(
    {
      metadata: fc.oneof(fc.record({ name, namespace: fc.constantFrom('default', 'x') }, { requiredKeys: [] }), junk),
      spec: fc.oneof(
        junk,
        fc.record(
          {
            type: fc.oneof(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'), junk),
            clusterIP: fc.oneof(fc.constantFrom('None', '10.96.0.10', '1.2.3.4', 'fd00::1', 'bad'), junk),
            selector: fc.oneof(fc.constant({ app: 'a' }), junk),
            ports: fc.oneof(fc.array(fc.record({ port: fc.oneof(fc.integer({ min: 0, max: 70000 }), junk), nodePort: fc.oneof(fc.integer({ min: 0, max: 40000 }), junk), targetPort: fc.oneof(fc.constant('http'), fc.integer(), junk) }, { requiredKeys: [] }), { maxLength: 3 }), junk),
            replicas: fc.oneof(fc.integer({ min: -1, max: 5 }), junk),
            selectorLS: junk,
            nodeName: fc.oneof(fc.constantFrom('n1', 'node-1'), junk),
            containers: fc.oneof(fc.constant([{ name: 'c', ports: [{ name: 'http', containerPort: 80 }] }]), junk),
            template: fc.oneof(fc.constant({ metadata: { labels: { app: 'a' } }, spec: { containers: [] } }), junk),
          },
          { requiredKeys: [] },
        ),
      ),
      status: fc.oneof(junk, fc.record({ podIP: fc.oneof(fc.constantFrom('10.244.0.5', 'nope'), junk), addresses: junk, conditions: junk }, { requiredKeys: [] })),
      subsets: fc.oneof(junk, fc.constant([{ addresses: [{ ip: '1.2.3.4' }, { ip: 5 }], ports: 'x' }])),
      endpoints: fc.oneof(junk, fc.constant([{ addresses: ['1.1.1.1'] }])),
    },
    { requiredKeys: [] },
  ),
});

describe('robustness', () => {
  it('never throws on malformed objects', () => {
    fc.assert(
      fc.property(fc.array(objArb, { maxLength: 6 }), fc.boolean(), (objects, none) => {
        const s = simulateCluster({ objects }, { allocation: none ? 'none' : 'apiserver', seed: 3 });
        expect(Array.isArray(s.diagnostics)).toBe(true);
      }),
      { numRuns: 400, seed: 12345 },
    );
  });
});
