import { describe, expect, it } from 'vitest';
import { proxierConfigForNode, simulateCluster } from './index.ts';
import { input, node, obj } from './builders.ts';

describe('proxierConfigForNode', () => {
  const state = simulateCluster(input(obj(node('a', 'z1', '10.0.0.5', '10.244.7.0/24')), obj(node('b', 'z2', '10.0.0.6'))), { clusterCIDR: '10.244.0.0/16' });

  it('fills node name, IP, interfaces, ClusterCIDR detector and topology labels from the node', () => {
    const cfg = proxierConfigForNode(state, 'a');
    expect(cfg.nodeName).toBe('a');
    expect(cfg.nodeIP).toBe('10.0.0.5');
    expect(cfg.nodeInterfaces).toEqual([
      { name: 'lo', addresses: ['127.0.0.1/8', '::1/128'] },
      { name: 'eth0', addresses: ['10.0.0.5/24'] },
    ]);
    expect(cfg.localDetector).toEqual({ mode: 'ClusterCIDR', clusterCIDR: '10.244.0.0/16' });
    expect(cfg.topologyLabels).toEqual({ 'topology.kubernetes.io/zone': 'z1', 'kubernetes.io/hostname': 'a' });
    expect(cfg.masqueradeBit).toBe(14);
  });

  it('an explicit config for the same node wins; one written for another node keeps only its general settings', () => {
    const same = proxierConfigForNode(state, 'a', { nodeName: 'a', nodeIP: '1.2.3.4', masqueradeAll: true });
    expect(same.nodeIP).toBe('1.2.3.4');
    expect(same.masqueradeAll).toBe(true);
    const other = proxierConfigForNode(state, 'b', { nodeName: 'a', nodeIP: '1.2.3.4', masqueradeAll: true });
    expect(other.nodeIP).toBe('10.0.0.6');
    expect(other.nodeName).toBe('b');
    expect(other.masqueradeAll).toBe(true);
  });

  it('a node unknown to the cluster (a vector’s test-node) takes the config as given', () => {
    const cfg = proxierConfigForNode(state, 'test-node', { nodeName: 'test-node', nodeIP: '192.168.0.2' });
    expect(cfg.nodeName).toBe('test-node');
    expect(cfg.nodeIP).toBe('192.168.0.2');
    expect(cfg.localDetector).toEqual({ mode: 'ClusterCIDR', clusterCIDR: '10.244.0.0/16' });
  });
});
