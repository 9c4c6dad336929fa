// kube-proxy's in-memory view of Services and EndpointSlices (pkg/proxy/serviceport.go,
// endpoint.go, endpointslicecache.go): mode-independent, shared by the iptables, IPVS and
// nftables proxiers. Built by serviceport.ts / endpoints.ts; consumed by categorize.ts.

import type { Protocol } from '../k8s/types.ts';

/** One endpoint of one service port, as kube-proxy's BaseEndpointInfo holds it. */
export interface ProxyEndpoint {
  /** canonical IP text (no brackets) */
  ip: string;
  /** the EndpointSlice port (the target port) */
  port: number;
  /** `IP:port`, IPv6 in brackets: kube-proxy's Endpoint.String(), the sort and dedup key */
  key: string;
  /** nodeName equals the proxier's node */
  isLocal: boolean;
  /** conditions.ready nil or true */
  ready: boolean;
  /** conditions.serving nil or true */
  serving: boolean;
  /** conditions.terminating set and true */
  terminating: boolean;
  /** hints.forZones names; empty = no zone hint */
  zoneHints: string[];
  /** hints.forNodes names; empty = no node hint */
  nodeHints: string[];
  nodeName?: string;
  zone?: string;
  /**
   * Endpoint topology for the legacy topologyKeys filter (kube-proxy 1.17-1.21):
   * `kubernetes.io/hostname` = nodeName, `topology.kubernetes.io/zone` = zone, plus the
   * v1beta1 `topology` map when a pasted slice carries one.
   */
  topology: Record<string, string>;
}

/** One (Service, port) pair: kube-proxy's ServicePort / BaseServicePortInfo. */
export interface ServicePortInfo {
  namespace: string;
  serviceName: string;
  /** spec.ports[].name ('' when unnamed) */
  portName: string;
  /** ServicePortName.String(): `ns/name:port`, or `ns/name` for an unnamed port */
  name: string;
  protocol: Protocol;
  /** the cluster IP of the proxier's family, canonical */
  clusterIP: string;
  port: number;
  /** 0 = none */
  nodePort: number;
  /** of this family, canonical, spec order */
  externalIPs: string[];
  /** LB ingress IPs of this family (ipMode Proxy and empty skipped), canonical */
  loadBalancerVIPs: string[];
  /** canonical CIDRs of this family */
  loadBalancerSourceRanges: string[];
  /** 0 unless type LoadBalancer with eTP Local */
  healthCheckNodePort: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  /** sessionAffinity ClientIP */
  sessionAffinityClientIP: boolean;
  stickyMaxAgeSeconds: number;
  /** legacy spec.topologyKeys (1.17-1.21) */
  topologyKeys: string[];
  /** service.kubernetes.io/topology-mode, falling back to topology-aware-hints (1.23-1.32 era) */
  hintsAnnotation: string;
  trafficDistribution: string;
  /** spec.type as given ('' when unset) */
  type: string;
  /** index of the Service in the input, for a stable deterministic order */
  serviceIndex: number;
  /** index of the port within spec.ports */
  portIndex: number;
}

/** nodePort, LB VIPs or externalIPs (of this family). */
export function externallyAccessible(sp: ServicePortInfo): boolean {
  return sp.nodePort !== 0 || sp.loadBalancerVIPs.length > 0 || sp.externalIPs.length > 0;
}

/** internalTrafficPolicy Cluster, or externally accessible (eTP Local short-circuits need it). */
export function usesClusterEndpoints(sp: ServicePortInfo): boolean {
  return !sp.internalPolicyLocal || externallyAccessible(sp);
}

export function usesLocalEndpoints(sp: ServicePortInfo): boolean {
  return sp.internalPolicyLocal || (sp.externalPolicyLocal && externallyAccessible(sp));
}
