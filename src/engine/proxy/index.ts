// Mode-independent kube-proxy model, shared by the iptables, IPVS and nftables proxiers.
export type { ProxyEndpoint, ServicePortInfo } from './model.ts';
export { externallyAccessible, usesClusterEndpoints, usesLocalEndpoints } from './model.ts';
export type { CategorizeOptions, CategorizedEndpoints, TopologyMode } from './categorize.ts';
export { categorizeEndpoints, filterByTopologyKeys, LABEL_HOSTNAME, LABEL_REGION, LABEL_ZONE, TOPOLOGY_KEY_ANY } from './categorize.ts';
export { buildServicePorts, clusterIPForFamily, servicePortKey, shouldSkipService } from './serviceport.ts';
export type { ServicePortOptions } from './serviceport.ts';
export { buildEndpointsMap, LABEL_SERVICE_NAME } from './endpoints.ts';
export type { EndpointOptions } from './endpoints.ts';
export { portProtoHash, sepChain, servicePortChains, svcChain, svlChain, extChain, fwChain } from './chainnames.ts';
export { localDetectorWords } from './localdetector.ts';
export type { DetectorWords } from './localdetector.ts';
export { kubeProxyProbability, kernelProbability } from './fixed.ts';
export { canonicalIP, joinHostPort, parseIPSloppy, parseCIDRSloppy } from './ip.ts';
export { parseProxyVersion, versionBefore } from './version.ts';
