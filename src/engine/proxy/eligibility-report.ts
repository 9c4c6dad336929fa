// The shape of an eligibility report (eligibility.ts computes it) and how the page finds the one
// a packet dialled. Kept apart so the page can read reports without loading the proxier's code.

export interface Reason {
  key: string;
  params: Record<string, string | number>;
}

export interface EndpointEligibility {
  /** IP:port */
  address: string;
  node: string | null;
  zone: string | null;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** on the proxier's node */
  local: boolean;
  /** used for traffic under the Cluster policy (KUBE-SVC chain / every real server) */
  cluster: boolean;
  /** used for traffic under the Local policy (KUBE-SVL chain) */
  localPolicy: boolean;
  reasons: Reason[];
}

export interface EligibilityReport {
  /** kube-proxy's service port name, e.g. default/nginx-basic:http */
  service: string;
  protocol: string;
  /** what a client dials: ClusterIP:port, externalIP:port, LB IP:port (IPv6 in brackets) */
  addresses: string[];
  /** 0 = none; reached at any node address */
  nodePort: number;
  healthCheckNodePort: number;
  internalPolicy: 'Cluster' | 'Local';
  /** null when nothing outside the cluster reaches the port */
  externalPolicy: 'Cluster' | 'Local' | null;
  /** the decision in order: one line per step the categorizer took */
  steps: Reason[];
  endpoints: EndpointEligibility[];
  /** what a packet meets when its policy's set is empty */
  clusterEmpty: boolean;
  localEmpty: boolean;
}


const portOf = (hostPort: string) => Number(/:(\d+)$/.exec(hostPort)?.[1] ?? NaN);

/**
 * The report for the Service a packet dialled: by address (ClusterIP, externalIP, LB IP and
 * port), else by node port. A protocol mismatch is not a match.
 */
export function reportForPacket(reports: readonly EligibilityReport[], dst: string, proto: string): EligibilityReport | null {
  const p = proto.toUpperCase();
  const same = reports.filter((r) => r.protocol === p);
  return same.find((r) => r.addresses.includes(dst)) ?? same.find((r) => r.nodePort !== 0 && r.nodePort === portOf(dst)) ?? null;
}
