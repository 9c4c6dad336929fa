import { describe, expect, it } from 'vitest';
import { simulateCluster } from './index.ts';
import { deployment, input, node, obj, pod, service } from './builders.ts';

const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]{5}';

describe('nodes', () => {
  it('builds the default cluster when the input names no node', () => {
    const s = simulateCluster(input());
    expect(s.defaultCluster).toBe(true);
    expect(s.nodes.map((n) => [n.name, n.zone, n.region, n.internalIP, n.podCIDR])).toEqual([
      ['node-1', 'zone-a', 'region-1', '192.168.0.2', '10.244.0.0/24'],
      ['node-2', 'zone-b', 'region-1', '192.168.0.3', '10.244.1.0/24'],
      ['node-3', 'zone-a', 'region-1', '192.168.0.4', '10.244.2.0/24'],
    ]);
    const custom = simulateCluster(input(), { defaultNodes: { count: 4, zones: ['x', 'y', 'z'], region: 'r' }, clusterCIDR: '10.8.0.0/16' });
    expect(custom.nodes.map((n) => `${n.name}:${n.zone}:${n.podCIDR}`)).toEqual(['node-1:x:10.8.0.0/24', 'node-2:y:10.8.1.0/24', 'node-3:z:10.8.2.0/24', 'node-4:x:10.8.3.0/24']);
  });

  it('takes pasted Nodes as given and carves pod CIDRs around the ones they hold', () => {
    const s = simulateCluster(input(obj(node('a', 'z1', '10.0.0.5', '10.244.0.0/24', '2')), obj(node('b', undefined, '10.0.0.6'))));
    expect(s.defaultCluster).toBe(false);
    expect(s.nodes.map((n) => [n.name, n.zone, n.internalIP, n.podCIDR, n.pasted, n.allocatableMilliCPU])).toEqual([
      ['a', 'z1', '10.0.0.5', '10.244.0.0/24', true, 2000],
      ['b', undefined, '10.0.0.6', '10.244.1.0/24', true, undefined],
    ]);
  });

  it('creates nodes named only by pods, reading their block and host IP off the pods', () => {
    const p = pod('p', { app: 'x' }, 'worker-7', '10.244.154.195');
    (p.status as { hostIP?: string }).hostIP = '172.16.0.9';
    const s = simulateCluster(input(obj(p)));
    expect(s.defaultCluster).toBe(false);
    expect(s.nodes).toEqual([
      expect.objectContaining({ name: 'worker-7', internalIP: '172.16.0.9', podCIDR: '10.244.154.0/24', pasted: false, labels: { 'kubernetes.io/hostname': 'worker-7' } }),
    ]);
  });
});

describe('Deployment -> ReplicaSet -> Pods', () => {
  it('names the ReplicaSet <deployment>-<hash> and pods <rs>-<5 random>, labels and owners as the controllers do', () => {
    const s = simulateCluster(input(obj(deployment('web', 3, { app: 'web' }))), { seed: 3 });
    expect(s.replicaSets).toHaveLength(1);
    const rs = s.replicaSets[0];
    const hash = rs.metadata.labels?.['pod-template-hash'] as string;
    expect(hash).toMatch(/^[456789bcdf]{1,10}$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas']).toBe('4');
    expect(s.pods).toHaveLength(3);
    for (const p of s.pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-${SUFFIX}$`));
      expect(p.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: rs.metadata.name });
      expect(p.status?.phase).toBe('Running');
    }
    expect(new Set(s.pods.map((p) => p.metadata.name)).size).toBe(3);
  });

  it('spreads replicas over zones, then nodes, and gives pod IPs in order from each node block', () => {
    const s = simulateCluster(input(obj(deployment('web', 6, { app: 'web' }))));
    const byNode = (n: string) => s.pods.filter((p) => p.spec.nodeName === n).map((p) => p.status?.podIP);
    // zone-a has node-1 and node-3, zone-b only node-2: zones first, so node-2 takes half
    expect(byNode('node-1')).toEqual(['10.244.0.2', '10.244.0.3'].slice(0, byNode('node-1').length));
    expect(byNode('node-2')).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4']);
    expect(byNode('node-1').length + byNode('node-3').length).toBe(3);
    expect(Math.abs(byNode('node-1').length - byNode('node-3').length)).toBeLessThanOrEqual(1);
  });

  it('counts pasted pods of the Deployment toward its replicas and keeps their real hash', () => {
    const labels = { app: 'nginx', 'pod-template-hash': '8f458dc5b' };
    const s = simulateCluster(
      input(
        obj(deployment('nginx-deployment', 3, { app: 'nginx' })),
        obj(pod('nginx-deployment-8f458dc5b-jshh2', labels, 'k8s-master', '10.244.235.208')),
      ),
      { seed: 1 },
    );
    expect(s.replicaSets.map((r) => r.metadata.name)).toEqual(['nginx-deployment-8f458dc5b']);
    expect(s.pods).toHaveLength(3);
    expect(s.pods.slice(1).every((p) => p.metadata.name?.startsWith('nginx-deployment-8f458dc5b-'))).toBe(true);
    // only node known is k8s-master (named by the pod)
    expect(s.pods.every((p) => p.spec.nodeName === 'k8s-master')).toBe(true);
    expect(s.pods.slice(1).map((p) => p.status?.podIP)).toEqual(['10.244.235.2', '10.244.235.3']);
  });

  it('reads the hash off the owner ReplicaSet name when pods carry no hash label', () => {
    const p = pod('web-abc-x1', { app: 'web' }, 'n1', '10.244.0.5');
    p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8c6b5', controller: true }];
    const s = simulateCluster(input(obj(deployment('web', 1, { app: 'web' })), obj(p)));
    expect(s.replicaSets.map((r) => r.metadata.name)).toEqual(['web-7d9f8c6b5']);
    expect(s.pods).toHaveLength(1);
  });

  it('replaces terminating pasted pods (they no longer count as active)', () => {
    const s = simulateCluster(input(obj(deployment('w', 1, { app: 'w' })), obj(pod('w-old', { app: 'w' }, 'node-x', '10.244.0.9', { terminating: true }))));
    expect(s.pods).toHaveLength(2);
    expect(s.pods[1].metadata.deletionTimestamp).toBeUndefined();
  });

  it('respects nodeSelector and taints; reports unschedulable pods with the scheduler message', () => {
    const s = simulateCluster(
      input(
        obj(node('cp', 'z', '10.0.0.1', undefined, undefined, { 'node-role.kubernetes.io/control-plane': '' })),
        obj(node('w1', 'z', '10.0.0.2')),
        obj(deployment('pinned', 2, { app: 'p' }, undefined, { nodeSelector: { 'kubernetes.io/hostname': 'w1' } })),
        obj(deployment('nowhere', 1, { app: 'n' }, undefined, { nodeSelector: { disk: 'ssd' } })),
      ),
    );
    expect(s.pods.filter((p) => p.metadata.labels?.app === 'p').map((p) => p.spec.nodeName)).toEqual(['w1', 'w1']);
    const pending = s.pods.find((p) => p.metadata.labels?.app === 'n');
    expect(pending?.status?.phase).toBe('Pending');
    expect(pending?.status?.podIP).toBeUndefined();
    expect(s.diagnostics.find((d) => d.code === 'cluster.pod.unschedulable')?.message).toContain(
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
    );
  });

  it('required pod anti-affinity on hostname leaves surplus replicas Pending', () => {
    const d = deployment('solo', 4, { app: 's' }, undefined, {
      affinity: {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 's' } }, topologyKey: 'kubernetes.io/hostname' }] },
      },
    });
    const s = simulateCluster(input(obj(d)));
    expect(s.pods.filter((p) => p.spec.nodeName).map((p) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    expect(s.diagnostics.find((d2) => d2.code === 'cluster.pod.unschedulable')?.message).toContain(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
    );
  });

  it('podReadiness overrides: notReady and terminating, by namespace/name', () => {
    const pods = [pod('a', { app: 'x' }, 'n1', '10.244.0.2'), pod('b', { app: 'x' }, 'n1', '10.244.0.3')];
    const s = simulateCluster(input(...pods.map((p) => obj(p)), obj(service('x', { selector: { app: 'x' }, ports: [{ port: 80 }] }))), {
      podReadiness: { 'default/a': 'notReady', 'default/b': 'terminating' },
    });
    const eps = s.endpointSlices[0].endpoints ?? [];
    expect(eps.map((e) => [e.addresses[0], e.conditions])).toEqual([
      ['10.244.0.2', { ready: false, serving: false, terminating: false }],
      ['10.244.0.3', { ready: false, serving: true, terminating: true }],
    ]);
  });
});
