// kube-proxy's settings on one simulated node. Node-specific fields (nodeIP, interfaces, topology
// labels) come from the node unless `base` was written for that same node (or the node is not
// in the cluster, e.g. a conformance vector's "test-node"): an explicit config wins for its node.
import { resolveProxierConfig, type ProxierConfig } from '../proxy/config.ts';
import { REGION_LABEL, ZONE_LABEL } from './nodes.ts';
import type { ClusterState } from './types.ts';

export function proxierConfigForNode(state: ClusterState, nodeName: string, base: Partial<ProxierConfig> = {}): ProxierConfig {
  const node = state.nodes.find((n) => n.name === nodeName);
  const baseIsForThisNode = base.nodeName === undefined || base.nodeName === nodeName;
  const fromNode: Partial<ProxierConfig> = {};
  if (node) {
    const topologyLabels: Record<string, string> = {};
    if (node.labels[ZONE_LABEL]) topologyLabels[ZONE_LABEL] = node.labels[ZONE_LABEL];
    if (node.labels[REGION_LABEL]) topologyLabels[REGION_LABEL] = node.labels[REGION_LABEL];
    topologyLabels['kubernetes.io/hostname'] = node.labels['kubernetes.io/hostname'] ?? node.name;
    fromNode.nodeIP = node.internalIP;
    fromNode.nodeInterfaces = [
      { name: 'lo', addresses: ['127.0.0.1/8', '::1/128'] },
      { name: 'eth0', addresses: [`${node.internalIP}/${node.internalIP.includes(':') ? 64 : 24}`] },
    ];
    fromNode.topologyLabels = topologyLabels;
    if (node.internalIP.includes(':')) fromNode.ipFamily = 'IPv6';
  }
  const keepBase: Partial<ProxierConfig> = { ...base };
  if (node && !baseIsForThisNode) {
    delete keepBase.nodeIP;
    delete keepBase.nodeInterfaces;
    delete keepBase.topologyLabels;
  }
  return resolveProxierConfig({
    localDetector: { mode: 'ClusterCIDR', clusterCIDR: state.clusterCIDR },
    ...fromNode,
    ...keepBase,
    nodeName,
  });
}
