// The cluster's nodes: pasted Node objects, nodes named only by pods' spec.nodeName, or (when the
// input names none) a default cluster. Pod CIDRs come from the cluster CIDR as the node-IPAM
// controller carves them: the next free /24 (or the user's own podCIDR).
import type { Node, Pod } from '../k8s/types.ts';
import { cidrContains, ipToString, parseCIDR, parseIP, type ParsedCIDR } from './ip.ts';
import type { SimNode } from './types.ts';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export const DEFAULT_NODES = { count: 3, zones: ['zone-a', 'zone-b'], region: 'region-1' };
const NODE_NETWORK = parseCIDR('192.168.0.0/16') as ParsedCIDR;

/** Kubernetes quantity for CPU ("4", "3500m", "0.5") in millicores */
export function parseMilliCPU(q: unknown): number | undefined {
  if (typeof q === 'number') return Math.round(q * 1000);
  if (typeof q !== 'string') return undefined;
  const m = /^\s*([0-9]*\.?[0-9]+)(m?)\s*$/.exec(q);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'm' ? Math.round(n) : Math.round(n * 1000);
}

class SubnetCarver {
  private readonly used = new Set<bigint>();
  private next = 0n;
  constructor(
    private readonly cluster: ParsedCIDR | null,
    private readonly prefix: number,
  ) {}
  private block(i: bigint): bigint | null {
    if (!this.cluster) return null;
    const hostBits = BigInt(this.cluster.bits - this.prefix);
    const count = 1n << BigInt(this.prefix - this.cluster.prefix);
    return i < count ? this.cluster.base + (i << hostBits) : null;
  }
  /** mark the block a user-given CIDR or IP lies in as taken */
  claim(ip: string): string | null {
    if (!this.cluster) return null;
    const p = parseIP(ip);
    if (!p || !cidrContains(this.cluster, p)) return null;
    const hostBits = BigInt(this.cluster.bits - this.prefix);
    const idx = (p.value - this.cluster.base) >> hostBits;
    this.used.add(idx);
    return `${ipToString(this.block(idx) as bigint, this.cluster.family)}/${this.prefix}`;
  }
  isFree(ip: string): boolean {
    if (!this.cluster) return false;
    const p = parseIP(ip);
    if (!p || !cidrContains(this.cluster, p)) return false;
    return !this.used.has((p.value - this.cluster.base) >> BigInt(this.cluster.bits - this.prefix));
  }
  take(): string {
    for (;;) {
      const b = this.block(this.next);
      if (b === null) return '';
      const idx = this.next++;
      if (this.used.has(idx)) continue;
      this.used.add(idx);
      return `${ipToString(b, (this.cluster as ParsedCIDR).family)}/${this.prefix}`;
    }
  }
}

export interface NodesResult {
  nodes: SimNode[];
  defaultCluster: boolean;
}

export function buildNodes(
  pastedNodes: Node[],
  pods: Pod[],
  clusterCIDR: string,
  defaults: { count: number; zones: string[]; region: string } = DEFAULT_NODES,
): NodesResult {
  const cluster = parseCIDR(clusterCIDR);
  const nodePrefix = cluster ? Math.max(cluster.prefix, cluster.family === 'IPv4' ? 24 : 64) : 24;
  const carver = new SubnetCarver(cluster, nodePrefix);
  const usedNodeIPs = new Set<string>();
  let nextNodeIP = 2n;
  const takeNodeIP = (): string => {
    for (;;) {
      const ip = ipToString(NODE_NETWORK.base + nextNodeIP++, 'IPv4');
      if (!usedNodeIPs.has(ip)) {
        usedNodeIPs.add(ip);
        return ip;
      }
    }
  };

  const names = new Set<string>();
  const nodes: SimNode[] = [];
  const pending: { node: SimNode; wantCIDR?: string }[] = [];

  for (const n of pastedNodes) {
    const name = n.metadata?.name;
    if (!name || names.has(name)) continue;
    names.add(name);
    const labels: Record<string, string> = { [HOSTNAME_LABEL]: name, ...(n.metadata.labels ?? {}) };
    const internal = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (internal) usedNodeIPs.add(internal);
    const podCIDR = n.spec?.podCIDR ?? n.spec?.podCIDRs?.[0];
    if (podCIDR) carver.claim(podCIDR.split('/')[0]);
    const readyCond = n.status?.conditions?.find((c) => c.type === 'Ready');
    const alloc = (n.status as { allocatable?: Record<string, unknown> } | undefined)?.allocatable?.cpu;
    const node: SimNode = {
      name,
      labels,
      ...(labels[ZONE_LABEL] ? { zone: labels[ZONE_LABEL] } : {}),
      ...(labels[REGION_LABEL] ? { region: labels[REGION_LABEL] } : {}),
      internalIP: internal ?? '',
      podCIDR: podCIDR ?? '',
      pasted: true,
      ready: readyCond ? readyCond.status === 'True' : true,
      ...(n.spec?.unschedulable ? { unschedulable: true } : {}),
      ...(Array.isArray(n.spec?.taints) ? { taints: n.spec.taints as SimNode['taints'] } : {}),
    };
    const cpu = parseMilliCPU(alloc);
    if (cpu !== undefined) node.allocatableMilliCPU = cpu;
    nodes.push(node);
    pending.push({ node });
  }

  // Nodes named only by pods: their address and pod block are read off the pods where possible
  // (status.hostIP; the block their IPs share), so a pasted `kubectl get pods -o wide` stays exact.
  const byPodNode = new Map<string, Pod[]>();
  for (const p of pods) {
    const nn = p.spec?.nodeName;
    if (!nn || names.has(nn)) continue;
    if (!byPodNode.has(nn)) byPodNode.set(nn, []);
    byPodNode.get(nn)?.push(p);
  }
  for (const [name, ps] of byPodNode) {
    names.add(name);
    const hostIP = ps.find((p) => p.status?.hostIP && !p.spec.hostNetwork)?.status?.hostIP ?? ps.find((p) => p.status?.hostIP)?.status?.hostIP;
    if (hostIP) usedNodeIPs.add(hostIP);
    const podIPs = ps.filter((p) => !p.spec.hostNetwork && p.status?.podIP).map((p) => p.status?.podIP as string);
    let wantCIDR: string | undefined;
    if (podIPs.length > 0 && carver.isFree(podIPs[0])) {
      const probe = new SubnetCarver(cluster, nodePrefix);
      const blocks = new Set(podIPs.map((ip) => probe.claim(ip)));
      if (blocks.size === 1 && !blocks.has(null)) wantCIDR = carver.claim(podIPs[0]) ?? undefined;
    }
    const node: SimNode = {
      name,
      labels: { [HOSTNAME_LABEL]: name },
      internalIP: hostIP ?? '',
      podCIDR: wantCIDR ?? '',
      pasted: false,
      ready: true,
    };
    nodes.push(node);
    pending.push({ node });
  }

  let defaultCluster = false;
  if (nodes.length === 0) {
    defaultCluster = true;
    const count = Math.max(1, Math.floor(defaults.count));
    const zones = defaults.zones.length > 0 ? defaults.zones : DEFAULT_NODES.zones;
    for (let i = 1; i <= count; i++) {
      const name = `node-${i}`;
      const zone = zones[(i - 1) % zones.length];
      const node: SimNode = {
        name,
        labels: {
          'kubernetes.io/arch': 'amd64',
          [HOSTNAME_LABEL]: name,
          'kubernetes.io/os': 'linux',
          [REGION_LABEL]: defaults.region,
          [ZONE_LABEL]: zone,
        },
        zone,
        region: defaults.region,
        internalIP: '',
        podCIDR: '',
        pasted: false,
        allocatableMilliCPU: 4000,
        ready: true,
      };
      nodes.push(node);
      pending.push({ node });
    }
  }

  for (const { node } of pending) {
    if (!node.internalIP) {
      node.internalIP = takeNodeIP();
    }
    if (!node.podCIDR) node.podCIDR = carver.take();
  }
  return { nodes, defaultCluster };
}
