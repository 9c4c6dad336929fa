// Proxier settings: the same schema as `config.json` in ../shared/conformance (every field
// optional on input; `resolveProxierConfig` fills kube-proxy's defaults).

export type LocalDetector =
  | { mode: 'ClusterCIDR'; clusterCIDR: string }
  | { mode: 'BridgeInterface'; interface: string }
  | { mode: 'InterfaceNamePrefix'; interfacePrefix: string }
  | { mode: 'None' };

export interface NodeInterface {
  name: string;
  /** CIDR notation, e.g. "192.168.0.2/24" */
  addresses: string[];
}

export interface ProxierConfig {
  kubeProxyVersion: string;
  ipFamily: 'IPv4' | 'IPv6';
  nodeName: string;
  nodeIP: string;
  nodeInterfaces: NodeInterface[];
  localDetector: LocalDetector;
  masqueradeAll: boolean;
  masqueradeBit: number;
  /** the literal mark string used in rules ("0x4000" in tests, "0x00004000" in a real kube-proxy) */
  masqueradeMark: string;
  localhostNodePorts: boolean;
  nodePortAddresses: string[] | null;
  iptablesHasRandomFully: boolean;
  conntrackTCPBeLiberal: boolean;
  nfacct: { ct_state_invalid_dropped_pkts?: boolean; localhost_nps_accepted_pkts?: boolean };
  topologyLabels: Record<string, string>;
  largeClusterEndpointsThreshold: number;
  endpointDedupPrefers: 'local' | 'nonTerminating';
  featureGates: Record<string, boolean>;
  syncMode: 'full' | 'sequence';
  /** IPVS mode */
  ipvsScheduler?: string;
  ipvsStrictARP?: boolean;
  /** extra fields the vectors carry (IPVS/nftables families) are kept as-is */
  [extra: string]: unknown;
}

export const DEFAULT_PROXIER_CONFIG: ProxierConfig = {
  kubeProxyVersion: 'v1.28.0',
  ipFamily: 'IPv4',
  nodeName: 'node-1',
  nodeIP: '192.168.0.2',
  nodeInterfaces: [
    { name: 'lo', addresses: ['127.0.0.1/8', '::1/128'] },
    { name: 'eth0', addresses: ['192.168.0.2/24'] },
  ],
  localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.244.0.0/16' },
  masqueradeAll: false,
  masqueradeBit: 14,
  masqueradeMark: '0x4000',
  localhostNodePorts: true,
  nodePortAddresses: null,
  iptablesHasRandomFully: false,
  conntrackTCPBeLiberal: false,
  nfacct: {},
  topologyLabels: {},
  largeClusterEndpointsThreshold: 1000,
  endpointDedupPrefers: 'local',
  featureGates: {},
  syncMode: 'full',
};

export function resolveProxierConfig(partial: Partial<ProxierConfig> = {}): ProxierConfig {
  return { ...DEFAULT_PROXIER_CONFIG, ...partial } as ProxierConfig;
}
