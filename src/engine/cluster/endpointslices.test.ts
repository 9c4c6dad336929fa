import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointSlice, Pod } from '../k8s/types.ts';
import type { SimNode } from './types.ts';
import { endpointSlicesFor, simulateCluster } from './index.ts';
import { createRng } from '../util/rng.ts';
import { reconcileSlices } from './endpointslices.ts';
import { LabelIndex } from './labels.ts';
import { nsOf } from './pods.ts';
import { input, node, obj, pod, service } from './builders.ts';

const N1 = obj(node('n1', 'za', '10.0.0.1', '10.244.1.0/24'));

function conds(slices: EndpointSlice[]): Record<string, Endpoint['conditions']> {
  return Object.fromEntries(slices.flatMap((s) => s.endpoints ?? []).map((e) => [e.addresses[0], e.conditions]));
}

describe('EndpointSlice controller', () => {
  it('sets ready / serving / terminating per the truth table (publishNotReadyAddresses off and on)', () => {
    const pods = [
      pod('rt', { app: 'x' }, 'n1', '10.244.1.2'),
      pod('nt', { app: 'x' }, 'n1', '10.244.1.3', { ready: false }),
      pod('rT', { app: 'x' }, 'n1', '10.244.1.4', { terminating: true }),
      pod('nT', { app: 'x' }, 'n1', '10.244.1.5', { ready: false, terminating: true }),
    ].map((p) => obj(p));
    const off = simulateCluster(input(N1, ...pods, obj(service('s', { selector: { app: 'x' }, ports: [{ port: 80 }] }))));
    expect(conds(off.endpointSlices)).toEqual({
      '10.244.1.2': { ready: true, serving: true, terminating: false },
      '10.244.1.3': { ready: false, serving: false, terminating: false },
      '10.244.1.4': { ready: false, serving: true, terminating: true },
      '10.244.1.5': { ready: false, serving: false, terminating: true },
    });
    const on = simulateCluster(input(N1, ...pods, obj(service('s', { selector: { app: 'x' }, publishNotReadyAddresses: true, ports: [{ port: 80 }] }))));
    expect(conds(on.endpointSlices)).toEqual({
      '10.244.1.2': { ready: true, serving: true, terminating: false },
      '10.244.1.3': { ready: true, serving: false, terminating: false },
      '10.244.1.4': { ready: true, serving: true, terminating: true },
      '10.244.1.5': { ready: true, serving: false, terminating: true },
    });
  });

  it('fills endpoint fields: nodeName, zone, targetRef, hostname only with subdomain = service', () => {
    const s = simulateCluster(
      input(
        N1,
        obj(pod('a', { app: 'x' }, 'n1', '10.244.1.2', { hostname: 'a0', subdomain: 's' })),
        obj(pod('b', { app: 'x' }, 'n1', '10.244.1.3', { hostname: 'b0', subdomain: 'other' })),
        obj(service('s', { selector: { app: 'x' }, ports: [{ port: 80 }] })),
      ),
    );
    const [a, b] = s.endpointSlices[0].endpoints ?? [];
    expect(a).toMatchObject({ hostname: 'a0', nodeName: 'n1', zone: 'za', targetRef: { kind: 'Pod', namespace: 'default', name: 'a' } });
    expect(a.targetRef?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.hostname).toBeUndefined();
  });

  it('labels, owner, name and the port list with an empty name for an unnamed port', () => {
    const s = simulateCluster(
      input(N1, obj(pod('a', { app: 'x' }, 'n1', '10.244.1.2')), obj(service('web', { selector: { app: 'x' }, ports: [{ port: 80, targetPort: 8080 }] }, { labels: { team: 'a', 'kubernetes.io/service-name': 'spoof' } }))),
    );
    const sl = s.endpointSlices[0];
    expect(sl.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(sl.metadata.generateName).toBe('web-');
    expect(sl.metadata.labels).toEqual({
      team: 'a',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(sl.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: s.services[0].metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(sl.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    expect(sl.addressType).toBe('IPv4');
  });

  it('resolves named targetPorts per pod and protocol; pods that cannot resolve land in another slice', () => {
    const web = (n: number) => [{ name: 'c', image: 'i', ports: [{ name: 'web', containerPort: n }] }];
    const udpOnly = [{ name: 'c', image: 'i', ports: [{ name: 'web', containerPort: 7000, protocol: 'UDP' as const }] }];
    const s = simulateCluster(
      input(
        N1,
        obj(pod('a', { app: 'x' }, 'n1', '10.244.1.2', { containers: web(8080) })),
        obj(pod('b', { app: 'x' }, 'n1', '10.244.1.3', { containers: web(9090) })),
        obj(pod('c', { app: 'x' }, 'n1', '10.244.1.4', { containers: web(8080) })),
        obj(pod('d', { app: 'x' }, 'n1', '10.244.1.5', { containers: udpOnly })),
        obj(service('s', { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }] })),
      ),
    );
    const summary = s.endpointSlices.map((sl) => [sl.ports?.map((p) => p.port), sl.endpoints?.map((e) => e.addresses[0])]);
    expect(summary).toEqual([
      [[8080], ['10.244.1.2', '10.244.1.4']],
      [[9090], ['10.244.1.3']],
      [[], ['10.244.1.5']],
    ]);
    // the legacy Endpoints drop the pod entirely and split the rest into two subsets
    expect(s.endpoints[0].subsets?.map((ss) => [ss.ports?.map((p) => p.port), ss.addresses?.map((a) => a.ip)])).toEqual([
      [[8080], ['10.244.1.2', '10.244.1.4']],
      [[9090], ['10.244.1.3']],
    ]);
  });

  it('puts at most 100 endpoints in a slice (configurable)', () => {
    const pods = Array.from({ length: 250 }, (_, i) => obj(pod(`p${i}`, { app: 'x' }, 'n1', `10.244.${1 + Math.floor(i / 200)}.${(i % 200) + 2}`)));
    const s = simulateCluster(input(N1, ...pods, obj(service('s', { selector: { app: 'x' }, ports: [{ port: 80 }] }))));
    expect(s.endpointSlices.map((x) => x.endpoints?.length)).toEqual([100, 100, 50]);
    expect(new Set(s.endpointSlices.map((x) => x.metadata.name)).size).toBe(3);
    const small = simulateCluster(input(N1, ...pods.slice(0, 5), obj(service('s', { selector: { app: 'x' }, ports: [{ port: 80 }] }))), { maxEndpointsPerSlice: 2 });
    expect(small.endpointSlices.map((x) => x.endpoints?.length)).toEqual([2, 2, 1]);
  });

  it('keeps one empty placeholder slice for a Service that selects nothing; none without a selector or for ExternalName', () => {
    const s = simulateCluster(
      input(
        obj(service('empty', { selector: { app: 'nothing' }, ports: [{ port: 80 }] })),
        obj(service('manual', { ports: [{ port: 80 }] })),
        obj(service('ext', { type: 'ExternalName', externalName: 'x.example.com', selector: { app: 'x' } })),
      ),
    );
    expect(s.endpointSlices).toHaveLength(1);
    expect(s.endpointSlices[0]).toMatchObject({ endpoints: [], ports: [], addressType: 'IPv4' });
    expect(s.endpoints.map((e) => e.metadata.name)).toEqual(['empty']);
  });

  it('selector {} selects every pod of the namespace (not others)', () => {
    const s = simulateCluster(
      input(
        N1,
        obj(pod('a', { app: 'x' }, 'n1', '10.244.1.2')),
        obj(pod('b', {}, 'n1', '10.244.1.3')),
        obj(pod('c', { app: 'x' }, 'n1', '10.244.1.4', { namespace: 'other' })),
        obj(service('all', { selector: {}, ports: [{ port: 80 }] })),
      ),
    );
    expect(s.endpointSlices[0].endpoints?.map((e) => e.addresses[0])).toEqual(['10.244.1.2', '10.244.1.3']);
  });

  it('one slice family per address type for dual-stack Services, headless label for headless', () => {
    const p = pod('a', { app: 'x' }, 'n1', '10.244.1.2');
    p.status = { ...p.status, podIPs: [{ ip: '10.244.1.2' }, { ip: 'fd00:10:244:1::2' }] };
    const s = simulateCluster(input(N1, obj(p), obj(service('h', { clusterIP: 'None', selector: { app: 'x' }, ipFamilyPolicy: 'PreferDualStack', ports: [{ port: 80 }] }))), {
      serviceClusterIPRange: '10.96.0.0/16,fd00:10:96::/112',
    });
    expect(s.endpointSlices.map((x) => [x.addressType, x.endpoints?.[0].addresses[0]])).toEqual([
      ['IPv4', '10.244.1.2'],
      ['IPv6', 'fd00:10:244:1::2'],
    ]);
    expect(s.endpointSlices[0].metadata.labels?.['service.kubernetes.io/headless']).toBe('');
  });

  it('reuses the names of pasted controller slices and leaves other slices alone', () => {
    const mine: EndpointSlice & { kind: string } = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 's-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 's', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.1.1.1'] }],
    };
    const custom: EndpointSlice & { kind: string } = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 's-extra', namespace: 'default', labels: { 'kubernetes.io/service-name': 's', 'endpointslice.kubernetes.io/managed-by': 'me' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.9.9.9'] }],
    };
    const s = simulateCluster(input(N1, obj(pod('a', { app: 'x' }, 'n1', '10.244.1.2')), obj(service('s', { selector: { app: 'x' }, ports: [{ port: 80 }] })), obj(mine), obj(custom)));
    const slices = endpointSlicesFor(s, 'default', 's');
    expect(slices.map((x) => [x.metadata.name, x.endpoints?.map((e) => e.addresses[0])])).toEqual([
      ['s-abcde', ['10.244.1.2']],
      ['s-extra', ['10.9.9.9']],
    ]);
  });

  it('skips pods whose node does not exist unless publishNotReadyAddresses (controller level)', () => {
    const p = pod('ghost', { app: 'x' }, 'gone', '10.244.1.9');
    p.metadata.uid = 'u1';
    const ctx = {
      pods: new LabelIndex<Pod>([p], nsOf, (x) => x.metadata.labels),
      nodes: new Map<string, SimNode>(),
      nodeList: [] as SimNode[],
      primaryFamily: 'IPv4' as const,
      maxEndpointsPerSlice: 100,
      rng: createRng(1),
      takenNames: () => new Set<string>(),
      existing: new Map<string, EndpointSlice[]>(),
      events: [] as string[],
      warnings: [] as string[],
    };
    const svc = service('s', { selector: { app: 'x' }, ports: [{ port: 80 }] });
    expect(reconcileSlices(svc, ctx)[0].endpoints).toEqual([]);
    expect(ctx.warnings).toEqual(['skipping Pod ghost for Service default/s: Node gone Not Found']);
    const pnra = service('s', { selector: { app: 'x' }, publishNotReadyAddresses: true, ports: [{ port: 80 }] });
    const eps = reconcileSlices(pnra, ctx)[0].endpoints ?? [];
    expect(eps.map((e) => [e.addresses[0], e.nodeName, e.zone])).toEqual([['10.244.1.9', 'gone', undefined]]);
  });
});

describe('EndpointSlice eras (kubernetesVersion)', () => {
  const objs = () =>
    input(
      obj(node('n1', 'za', '10.0.0.1', '10.244.1.0/24', undefined, { 'topology.kubernetes.io/region': 'r1' })),
      obj(pod('a', { app: 'x' }, 'n1', '10.244.1.2')),
      obj(pod('t', { app: 'x' }, 'n1', '10.244.1.3', { terminating: true })),
      obj(service('s', { selector: { app: 'x' }, ports: [{ port: 80 }], trafficDistribution: 'PreferClose' })),
    );

  it('before 1.22: no terminating pods, only `ready`, and the v1beta1 topology map', () => {
    const s = simulateCluster(objs(), { kubernetesVersion: '1.20' });
    expect(s.endpointSlices[0].endpoints).toEqual([
      expect.objectContaining({
        addresses: ['10.244.1.2'],
        conditions: { ready: true },
        topology: { 'kubernetes.io/hostname': 'n1', 'topology.kubernetes.io/zone': 'za', 'topology.kubernetes.io/region': 'r1' },
      }),
    ]);
    expect(s.endpointSlices[0].endpoints?.[0].hints).toBeUndefined();
  });

  it('trafficDistribution acts from 1.31 (PreferClose)', () => {
    expect(simulateCluster(objs(), { kubernetesVersion: '1.30' }).endpointSlices[0].endpoints?.[0].hints).toBeUndefined();
    expect(simulateCluster(objs(), { kubernetesVersion: '1.31' }).endpointSlices[0].endpoints?.[0].hints).toEqual({ forZones: [{ name: 'za' }] });
  });
});
