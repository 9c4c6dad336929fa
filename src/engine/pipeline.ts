// The one pipeline (DESIGN.md): YAML text -> manifest -> cluster -> proxy/<mode> -> dataplane text.
// The UI (through the worker) and the CLI both call runPipeline; nothing else composes the stages.
//
// Every stage is a pure function of the previous one, so the same input (and seed) always gives
// the same rules.

import type { Diagnostic } from './diagnostics.ts';
import type { ProxierConfig } from './proxy/config.ts';
import type { EndpointSlice, PodReadiness, Service } from './k8s/types.ts';
import { parseManifests } from './manifest/index.ts';
import { simulateCluster, proxierConfigForNode, type ClusterState } from './cluster/index.ts';
import { syncIptables, renderRestore } from './proxy/iptables/proxier.ts';
import { renderSave } from './proxy/iptables/save.ts';
import { generateIpvs, ipvsSave } from './proxy/ipvs/index.ts';
import type { IpvsDataplane } from './ipvs/types.ts';

export type ProxyMode = 'iptables' | 'ipvs' | 'nftables';

export interface ClusterSettings {
  /** Kubernetes version the simulated API server behaves as, e.g. "1.35" or "1.20" (topologyKeys era) */
  kubernetesVersion?: string;
  /** --service-cluster-ip-range */
  serviceClusterIPRange?: string;
  /** --service-node-port-range */
  nodePortRange?: string;
  /** the cluster's pod CIDR (per-node /24s are carved from it) */
  clusterCIDR?: string;
  /** default cluster when no Node objects are pasted */
  defaultNodes?: { count: number; zones: string[]; region: string };
  /** user overrides of pod readiness, by pod name ("namespace/name") */
  podReadiness?: Record<string, PodReadiness>;
  seed?: number;
}

export interface PipelineInput {
  yaml: string;
  mode: ProxyMode;
  /** node whose dataplane to render; default: config.nodeName, else the first node */
  node?: string;
  config?: Partial<ProxierConfig>;
  cluster?: ClusterSettings;
  /**
   * Take the objects as kube-proxy would receive them, with no API server in between: nothing is
   * allocated and objects the API server would refuse still reach the proxier (their findings
   * become warnings). This is how kube-proxy's own unit tests (and so the conformance vectors,
   * whose `config.json` the CLI's `--config` reads) feed it, and how a snapshot pasted from a real
   * cluster (`kubectl get svc,endpointslices -o yaml`) should be read.
   */
  asGiven?: boolean;
}

export interface Dataplane {
  node: string;
  mode: ProxyMode;
  iptables: { restore: string; save: string } | null;
  ipvs: IpvsDataplane | null;
  nftables: { text: string } | null;
}

export interface PipelineResult {
  diagnostics: Diagnostic[];
  /** node names in display order */
  nodes: string[];
  dataplane: Dataplane | null;
  /** the simulated cluster (pods, allocated Services, EndpointSlices, DNS) for the map */
  cluster: ClusterState | null;
  /** the proxier settings the dataplane was rendered with */
  config: ProxierConfig | null;
}

/** kube-proxy's version follows the simulated cluster's unless the config names one. */
function kubeProxyVersionFor(kubernetesVersion: string | undefined): string | undefined {
  if (!kubernetesVersion) return undefined;
  const m = /^v?(\d+)\.(\d+)/.exec(kubernetesVersion);
  return m ? `v${m[1]}.${m[2]}.0` : undefined;
}

/** Picks the node whose rules are shown: the asked one if it exists, else the config's, else the first. */
function chooseNode(cluster: ClusterState, asked: string | undefined, fromConfig: string | undefined, asGiven: boolean): string | null {
  const names = cluster.nodes.map((n) => n.name);
  // kube-proxy's tests name a node no object describes ("test-node"): fine when taken as given.
  if (asked && (names.includes(asked) || asked === fromConfig || asGiven)) return asked;
  if (fromConfig) return fromConfig;
  return names[0] ?? asked ?? null;
}

/** The first two stages alone: manifest and simulated cluster, with their findings. */
export function simulateFromYaml(input: Pick<PipelineInput, 'yaml' | 'cluster' | 'asGiven'>): { cluster: ClusterState; diagnostics: Diagnostic[] } {
  const settings = input.cluster ?? {};
  const manifest = parseManifests(input.yaml, {
    kubernetesVersion: settings.kubernetesVersion,
    serviceClusterIPRange: settings.serviceClusterIPRange,
    nodePortRange: settings.nodePortRange,
  });
  const objects = input.asGiven ? manifest.objects.map((o) => (o.invalid ? { ...o, invalid: false, positionOf: o.positionOf } : o)) : manifest.objects;
  const cluster = simulateCluster({ objects }, input.asGiven ? { ...settings, allocation: 'none' } : settings);
  const manifestDiagnostics = input.asGiven
    ? manifest.diagnostics.map((d) => (d.severity === 'error' && d.code !== 'yaml-syntax' ? { ...d, severity: 'warning' as const } : d))
    : manifest.diagnostics;
  return { cluster, diagnostics: [...manifestDiagnostics, ...cluster.diagnostics] };
}

export function runPipeline(input: PipelineInput): PipelineResult {
  const settings = input.cluster ?? {};
  const { cluster, diagnostics } = simulateFromYaml(input);
  const nodes = cluster.nodes.map((n) => n.name);
  const node = chooseNode(cluster, input.node, input.config?.nodeName, input.asGiven === true);
  if (!node) return { diagnostics, nodes, dataplane: null, cluster, config: null };
  const base: Partial<ProxierConfig> = { ...input.config };
  if (!base.kubeProxyVersion) {
    const v = kubeProxyVersionFor(settings.kubernetesVersion);
    if (v) base.kubeProxyVersion = v;
  }
  const config = proxierConfigForNode(cluster, node, base);
  const dataplane = renderDataplane(input.mode, cluster.services, cluster.endpointSlices, config);
  if (input.mode === 'nftables') {
    diagnostics.push({
      code: 'mode-not-available',
      severity: 'warning',
      message: 'nftables mode is not simulated yet: choose iptables or IPVS',
      line: 0,
      col: 0,
      key: 'diag.modeNotAvailable',
      params: { mode: 'nftables' },
    });
  }
  return { diagnostics, nodes, dataplane, cluster, config };
}

/** One node's dataplane in the given mode, from Services and EndpointSlices as kube-proxy sees them. */
export function renderDataplane(mode: ProxyMode, services: Service[], slices: EndpointSlice[], config: ProxierConfig): Dataplane {
  if (mode === 'ipvs') {
    const ipvs = generateIpvs(services, slices, config);
    return {
      node: config.nodeName,
      mode,
      iptables: { restore: ipvs.iptablesRestore, save: ipvsSave(ipvs) },
      ipvs,
      nftables: null,
    };
  }
  if (mode === 'iptables') {
    const sync = syncIptables(services, slices, config);
    return {
      node: config.nodeName,
      mode,
      iptables: { restore: renderRestore(sync.tables), save: renderSave(sync, config.ipFamily) },
      ipvs: null,
      nftables: null,
    };
  }
  return { node: config.nodeName, mode, iptables: null, ipvs: null, nftables: null };
}
