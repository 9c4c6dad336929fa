// The simulated cluster's public shapes (re-exported from index.ts).
import type { Diagnostic } from '../diagnostics.ts';
import type { ClusterSettings } from '../pipeline.ts';
import type { Endpoints, EndpointSlice, Pod, ReplicaSet, Service } from '../k8s/types.ts';

export interface ClusterInputObject {
  kind: string;
  object: unknown;
  positionOf?: (path: string) => { line: number; col: number };
  /** manifest stage: the API server would refuse it (skipped here, like kubectl apply does) */
  invalid?: boolean;
  /** manifest stage: a kind svcpath accepts but does not simulate */
  ignored?: boolean;
}

export interface ClusterInput {
  objects: ClusterInputObject[];
}

export interface SimNode {
  name: string;
  labels: Record<string, string>;
  zone?: string;
  region?: string;
  internalIP: string;
  podCIDR: string;
  /** true when the user pasted a Node object; false for default nodes and nodes named only by pods */
  pasted: boolean;
  /** allocatable CPU in millicores (topology-aware hints weigh zones by it); absent = unknown */
  allocatableMilliCPU?: number;
  unschedulable?: boolean;
  taints?: { key: string; value?: string; effect: string }[];
  /** the Node's Ready condition; nodes without conditions count as ready */
  ready: boolean;
}

export interface DnsRecord {
  name: string;
  type: 'A' | 'AAAA' | 'SRV' | 'CNAME' | 'PTR';
  value: string;
}

export interface ClusterState {
  nodes: SimNode[];
  /** true when the input named no nodes at all (no Node objects, no pod spec.nodeName) */
  defaultCluster: boolean;
  pods: Pod[];
  replicaSets: ReplicaSet[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  endpoints: Endpoints[];
  dns: DnsRecord[];
  clusterCIDR: string;
  serviceCIDR: string;
  diagnostics: Diagnostic[];
}

/**
 * Extra knobs beyond the pipeline's ClusterSettings (all optional).
 * - allocation: 'apiserver' (default) allocates and checks ClusterIPs, NodePorts,
 *   healthCheckNodePorts and LB ingress as kube-apiserver + a cloud provider would; 'none' takes
 *   Services exactly as given (for kube-proxy's test inputs, whose IPs and ports no API server
 *   would accept, and which must not gain allocated nodePorts or ingress IPs).
 * - loadBalancerPool: CIDR the simulated cloud hands LoadBalancer IPs from, in order
 *   (default 203.0.113.0/24, TEST-NET-3); null = no cloud, ingress stays pending.
 * - kubernetesService: add `default/kubernetes` (first IP of the range, port 443 -> 6443 on the
 *   first node) as a real cluster has; default false. Its IP is reserved either way.
 * - clusterDomain: DNS zone, default cluster.local.
 * - maxEndpointsPerSlice: --max-endpoints-per-slice, default 100.
 */
export interface ClusterOptions extends ClusterSettings {
  allocation?: 'apiserver' | 'none';
  loadBalancerPool?: string | null;
  kubernetesService?: boolean;
  clusterDomain?: string;
  maxEndpointsPerSlice?: number;
}
