import { describe, expect, it } from 'vitest';
import { simulateCluster } from './index.ts';
import { input, node, obj, pod, service } from './builders.ts';

const N1 = obj(node('n1', 'za', '10.0.0.1', '10.244.0.0/16'));

describe('Endpoints controller (legacy v1 Endpoints)', () => {
  it('ready pods in addresses, unready in notReadyAddresses, terminating left out; labels copied', () => {
    const s = simulateCluster(
      input(
        N1,
        obj(pod('c', { app: 'x' }, 'n1', '10.244.1.10')),
        obj(pod('a', { app: 'x' }, 'n1', '10.244.1.9')),
        obj(pod('u', { app: 'x' }, 'n1', '10.244.1.11', { ready: false })),
        obj(pod('t', { app: 'x' }, 'n1', '10.244.1.12', { terminating: true })),
        obj(service('s', { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }, { labels: { team: 't' } })),
      ),
    );
    const ep = s.endpoints[0];
    expect(ep.metadata).toEqual({ name: 's', namespace: 'default', labels: { team: 't' } });
    expect(ep.subsets).toHaveLength(1);
    const [sub] = ep.subsets ?? [];
    // sorted by IP numerically: .9 before .10
    expect(sub.addresses?.map((a) => a.ip)).toEqual(['10.244.1.9', '10.244.1.10']);
    expect(sub.notReadyAddresses?.map((a) => a.ip)).toEqual(['10.244.1.11']);
    expect(sub.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(sub.addresses?.[0]).toMatchObject({ nodeName: 'n1', targetRef: { kind: 'Pod', name: 'a', namespace: 'default' } });
  });

  it('publishNotReadyAddresses publishes every non-terminal pod with an IP as ready, terminating included', () => {
    const s = simulateCluster(
      input(
        N1,
        obj(pod('u', { app: 'x' }, 'n1', '10.244.1.11', { ready: false })),
        obj(pod('t', { app: 'x' }, 'n1', '10.244.1.12', { terminating: true })),
        obj(service('s', { selector: { app: 'x' }, publishNotReadyAddresses: true, ports: [{ port: 80 }] })),
      ),
    );
    expect(s.endpoints[0].subsets?.[0].addresses?.map((a) => a.ip)).toEqual(['10.244.1.11', '10.244.1.12']);
    expect(s.endpoints[0].subsets?.[0].notReadyAddresses).toBeUndefined();
  });

  it('headless Service without ports still publishes addresses; headless label added', () => {
    const s = simulateCluster(input(N1, obj(pod('a', { app: 'x' }, 'n1', '10.244.1.2')), obj(service('h', { clusterIP: 'None', selector: { app: 'x' } }))));
    expect(s.endpoints[0].metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    expect(s.endpoints[0].subsets).toEqual([{ addresses: [expect.objectContaining({ ip: '10.244.1.2' })] }]);
  });

  it('truncates over 1000 addresses and marks the object over-capacity', () => {
    const pods = Array.from({ length: 1005 }, (_, i) => obj(pod(`p${i}`, { app: 'x' }, 'n1', `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}`)));
    const s = simulateCluster(input(N1, ...pods, obj(service('s', { selector: { app: 'x' }, ports: [{ port: 80 }] }))));
    expect(s.endpoints[0].metadata.annotations).toEqual({ 'endpoints.kubernetes.io/over-capacity': 'truncated' });
    expect(s.endpoints[0].subsets?.[0].addresses).toHaveLength(1000);
  });

  it('user Endpoints of a selectorless Service are kept and mirrored; a pasted copy for a selector Service is replaced', () => {
    const userEp = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'ext', namespace: 'default', labels: { a: 'b' }, annotations: { keep: 'me', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      subsets: [
        {
          addresses: [{ ip: '192.0.2.10' }, { ip: '2001:db8::10' }, { ip: 'not-an-ip' }],
          notReadyAddresses: [{ ip: '192.0.2.11', hostname: 'h' }],
          ports: [{ name: 'pg', port: 5432 }],
        },
      ],
    };
    const stale = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'sel', namespace: 'default' }, subsets: [{ addresses: [{ ip: '9.9.9.9' }] }] };
    const s = simulateCluster(
      input(obj(service('ext', { ports: [{ name: 'pg', port: 5432 }] })), obj(userEp), obj(service('sel', { selector: { app: 'none' }, ports: [{ port: 80 }] })), obj(stale)),
      { seed: 4 },
    );
    expect(s.endpoints.map((e) => [e.metadata.name, e.subsets?.[0]?.addresses?.[0]?.ip])).toEqual([
      ['sel', undefined],
      ['ext', '192.0.2.10'],
    ]);
    const mirrored = s.endpointSlices.filter((x) => x.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslicemirroring-controller.k8s.io');
    expect(mirrored.map((m) => [m.addressType, m.endpoints?.map((e) => [e.addresses[0], e.conditions?.ready, e.hostname])])).toEqual([
      ['IPv4', [['192.0.2.10', true, undefined], ['192.0.2.11', false, 'h']]],
      ['IPv6', [['2001:db8::10', true, undefined]]],
    ]);
    expect(mirrored[0].metadata.labels).toEqual({
      a: 'b',
      'kubernetes.io/service-name': 'ext',
      'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
    });
    expect(mirrored[0].metadata.annotations).toEqual({ keep: 'me' });
    expect(mirrored[0].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Endpoints', name: 'ext' });
    expect(mirrored[0].metadata.name).toMatch(/^ext-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(mirrored[0].ports).toEqual([{ name: 'pg', port: 5432, protocol: 'TCP' }]);
    expect(s.diagnostics.map((d) => d.message)).toContain('Skipped 1 invalid IP addresses when mirroring to EndpointSlices');
  });

  it('does not mirror with skip-mirror or without a Service', () => {
    const ep = (name: string, labels?: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
      subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 1 }] }],
    });
    const s = simulateCluster(
      input(obj(service('skip', { ports: [{ port: 1 }] })), obj(ep('skip', { 'endpointslice.kubernetes.io/skip-mirror': 'true' })), obj(ep('orphan'))),
    );
    expect(s.endpointSlices).toEqual([]);
    expect(s.endpoints).toHaveLength(2);
  });
});
