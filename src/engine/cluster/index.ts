// The simulated control plane: scheduler, IPAM, Endpoints / EndpointSlice / mirroring
// controllers and DNS records, from the user's objects to what kube-proxy reads.
export type { ClusterInput, ClusterInputObject, ClusterOptions, ClusterState, DnsRecord, SimNode } from './types.ts';
export { simulateCluster, DEFAULT_CLUSTER_CIDR, DEFAULT_LB_POOL, DEFAULT_NODE_PORT_RANGE, DEFAULT_SERVICE_CIDR } from './simulate.ts';
export { proxierConfigForNode } from './proxier-config.ts';
export { podReadiness } from './pods.ts';
export { podTemplateHash, NAME_ALPHABET } from './names.ts';
export { endpointSlicesFor } from './lookup.ts';
export { deployment, input, node, obj, pod, service } from './builders.ts';
