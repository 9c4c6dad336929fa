// The seed lecture's experiment (../shared/seed): nginx-deployment with 3 replicas whose pods the
// user pastes with their real names, nodes and IPs, plus Service nginx-basic at 10.102.249.128.
import { describe, expect, it } from 'vitest';
import { proxierConfigForNode, simulateCluster } from './index.ts';
import { deployment, input, obj, pod, service } from './builders.ts';

const labels = { app: 'nginx', 'pod-template-hash': '8f458dc5b' };
const seedInput = () =>
  input(
    obj(deployment('nginx-deployment', 3, { app: 'nginx' }, [{ name: 'nginx', image: 'nginx' }])),
    obj(service('nginx-basic', { type: 'ClusterIP', clusterIP: '10.102.249.128', ports: [{ port: 80, protocol: 'TCP', name: 'http' }], selector: { app: 'nginx' } })),
    obj(pod('nginx-deployment-8f458dc5b-jshh2', labels, 'k8s-master', '10.244.235.208')),
    obj(pod('nginx-deployment-8f458dc5b-ksrp6', labels, 'k8s-node-01', '10.244.154.195')),
    obj(pod('nginx-deployment-8f458dc5b-xpf7n', labels, 'k8s-node-01', '10.244.154.196')),
  );

describe('seed scenario: nginx-basic', () => {
  const s = simulateCluster(seedInput(), { seed: 1 });

  it('creates no extra pods and names the ReplicaSet after the pods’ hash', () => {
    expect(s.diagnostics).toEqual([]);
    expect(s.pods.map((p) => p.metadata.name)).toEqual([
      'nginx-deployment-8f458dc5b-jshh2',
      'nginx-deployment-8f458dc5b-ksrp6',
      'nginx-deployment-8f458dc5b-xpf7n',
    ]);
    expect(s.replicaSets.map((r) => r.metadata.name)).toEqual(['nginx-deployment-8f458dc5b']);
    expect(s.nodes.map((n) => [n.name, n.podCIDR])).toEqual([
      ['k8s-master', '10.244.235.0/24'],
      ['k8s-node-01', '10.244.154.0/24'],
    ]);
  });

  it('keeps the requested ClusterIP and publishes one EndpointSlice with the three endpoints', () => {
    expect(s.services[0].spec.clusterIP).toBe('10.102.249.128');
    expect(s.endpointSlices).toHaveLength(1);
    const sl = s.endpointSlices[0];
    expect(sl.metadata.labels?.['kubernetes.io/service-name']).toBe('nginx-basic');
    expect(sl.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    expect(sl.endpoints?.map((e) => [e.addresses[0], e.nodeName, e.conditions?.ready])).toEqual([
      ['10.244.235.208', 'k8s-master', true],
      ['10.244.154.195', 'k8s-node-01', true],
      ['10.244.154.196', 'k8s-node-01', true],
    ]);
    expect(s.dns[0]).toEqual({ name: 'nginx-basic.default.svc.cluster.local.', type: 'A', value: '10.102.249.128' });
  });

  it('gives kube-proxy on k8s-node-01 its node name and the cluster CIDR the seed rules use', () => {
    const cfg = proxierConfigForNode(s, 'k8s-node-01');
    expect(cfg.nodeName).toBe('k8s-node-01');
    expect(cfg.localDetector).toEqual({ mode: 'ClusterCIDR', clusterCIDR: '10.244.0.0/16' });
  });

  it('is deterministic: same input and seed, same state', () => {
    expect(JSON.stringify(simulateCluster(seedInput(), { seed: 1 }))).toBe(JSON.stringify(s));
  });
});
