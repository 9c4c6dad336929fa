// Which endpoints of a service port this node's kube-proxy uses: pkg/proxy/topology.go
// (CategorizeEndpoints) in its newest form, with the behaviour of older releases selected by
// `kubeProxyVersion` where it changed (the 1.17-1.21 topologyKeys filter, the 1.23-1.32
// topology annotation requirement, the 1.26 terminating-endpoint fallback). Mode-independent:
// the iptables, IPVS and nftables proxiers all call it.

import type { ProxyEndpoint, ServicePortInfo } from './model.ts';
import { usesClusterEndpoints, usesLocalEndpoints } from './model.ts';
import { parseProxyVersion, versionBefore } from './version.ts';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_REGION = 'topology.kubernetes.io/region';
/** the wildcard of spec.topologyKeys */
export const TOPOLOGY_KEY_ANY = '*';

export type TopologyMode = '' | 'PreferSameZone' | 'PreferSameNode' | 'TopologyKeys';

export interface CategorizeOptions {
  /** the proxier's node; an endpoint is local iff its nodeName equals it (already in ProxyEndpoint.isLocal) */
  nodeName: string;
  /**
   * Labels of the proxier's node. `topology.kubernetes.io/zone` drives zone hints; the legacy
   * topologyKeys filter reads whatever keys the Service names. `kubernetes.io/hostname`
   * defaults to nodeName (the kubelet always sets it).
   */
  nodeLabels: Record<string, string>;
  /** e.g. "v1.28.0", "1.20", "master@abc"; default newest */
  kubeProxyVersion?: string;
  /** overrides: TopologyAwareHints, ServiceTrafficDistribution, PreferSameTrafficDistribution, ProxyTerminatingEndpoints, ServiceTopology */
  featureGates?: Record<string, boolean>;
}

export interface CategorizedEndpoints {
  /** usable Cluster-policy endpoints (topology applied); empty when the port never uses Cluster policy */
  clusterEndpoints: ProxyEndpoint[];
  /** usable Local-policy endpoints; empty when the port never uses Local policy */
  localEndpoints: ProxyEndpoint[];
  /** union of both: the endpoints this node may DNAT to (decides which SEP chains exist); input order */
  allReachableEndpoints: ProxyEndpoint[];
  /** some endpoint is usable somewhere in the cluster (true even when allReachable is empty) */
  hasAnyEndpoints: boolean;
  /** how topology narrowed clusterEndpoints ('' = it did not) */
  topologyMode: TopologyMode;
  /** clusterEndpoints are serving+terminating endpoints (no ready one existed) */
  clusterUsedTerminating: boolean;
  /** localEndpoints are serving+terminating endpoints (no local ready one existed) */
  localUsedTerminating: boolean;
}

/**
 * kube-proxy's CategorizeEndpoints for one service port. `endpoints` must already be merged,
 * de-duplicated and sorted (endpoints.ts); every output list keeps that order.
 */
export function categorizeEndpoints(
  endpoints: readonly ProxyEndpoint[],
  sp: ServicePortInfo,
  opts: CategorizeOptions,
): CategorizedEndpoints {
  const out: CategorizedEndpoints = {
    clusterEndpoints: [],
    localEndpoints: [],
    allReachableEndpoints: [],
    hasAnyEndpoints: false,
    topologyMode: '',
    clusterUsedTerminating: false,
    localUsedTerminating: false,
  };
  if (endpoints.length === 0) return out;
  const version = parseProxyVersion(opts.kubeProxyVersion);
  if (versionBefore(version, 22)) return categorizeLegacy(endpoints, sp, opts, out);

  const gates = opts.featureGates ?? {};
  const terminatingFallback = gates.ProxyTerminatingEndpoints ?? !versionBefore(version, 26);
  const useCluster = usesClusterEndpoints(sp);
  const useLocal = usesLocalEndpoints(sp);

  if (useCluster) {
    const zone = opts.nodeLabels[LABEL_ZONE] ?? '';
    out.topologyMode = versionBefore(version, 33)
      ? annotationEraTopology(endpoints, sp, zone, version.minor, gates)
      : topologyModeFromHints(endpoints, opts.nodeName, zone, gates.PreferSameTrafficDistribution ?? !versionBefore(version, 34));
    out.clusterEndpoints = endpoints.filter((ep) => ep.ready && availableForTopology(ep, out.topologyMode, opts.nodeName, zone));
    if (out.clusterEndpoints.length === 0 && terminatingFallback) {
      out.clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating);
      out.clusterUsedTerminating = out.clusterEndpoints.length > 0;
    }
    out.hasAnyEndpoints = out.clusterEndpoints.length > 0;
  }

  if (!useLocal) {
    out.allReachableEndpoints = out.clusterEndpoints;
    return out;
  }

  let localReady = false;
  let localServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      out.hasAnyEndpoints = true;
      if (ep.isLocal) localReady = true;
    } else if (terminatingFallback && ep.serving && ep.terminating) {
      out.hasAnyEndpoints = true;
      if (ep.isLocal) localServingTerminating = true;
    }
  }
  if (localReady) {
    out.localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready);
  } else if (localServingTerminating) {
    out.localUsedTerminating = true;
    out.localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating);
  }

  if (!useCluster) {
    out.allReachableEndpoints = out.localEndpoints;
  } else if (out.topologyMode === '' && !out.localUsedTerminating) {
    // every ready endpoint is in clusterEndpoints, so it is a superset of localEndpoints
    out.allReachableEndpoints = out.clusterEndpoints;
  } else {
    out.allReachableEndpoints = union(endpoints, out.clusterEndpoints, out.localEndpoints);
  }
  return out;
}

/** Newest rule: hints alone decide (the EndpointSlice controller wrote them from trafficDistribution). */
function topologyModeFromHints(endpoints: readonly ProxyEndpoint[], nodeName: string, zone: string, nodeHintsEnabled: boolean): TopologyMode {
  let hasReady = false;
  let forNode = false;
  let allNodeHints = true;
  let forZone = false;
  let allZoneHints = true;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    hasReady = true;
    if (ep.nodeHints.length === 0) allNodeHints = false;
    else if (ep.nodeHints.includes(nodeName)) forNode = true;
    if (ep.zoneHints.length === 0) allZoneHints = false;
    else if (ep.zoneHints.includes(zone)) forZone = true;
  }
  if (!hasReady) return '';
  if (nodeHintsEnabled && allNodeHints && forNode) return 'PreferSameNode';
  if (allZoneHints && forZone) return 'PreferSameZone';
  return '';
}

/**
 * 1.22-1.32 (canUseTopology): zone hints only, and only when the Service asks for them with the
 * topology annotation (1.30+: or with spec.trafficDistribution), the gate is on and the node
 * has a zone label.
 */
function annotationEraTopology(
  endpoints: readonly ProxyEndpoint[],
  sp: ServicePortInfo,
  zone: string,
  minor: number,
  gates: Record<string, boolean>,
): TopologyMode {
  const hintsGate = gates.TopologyAwareHints ?? minor >= 24;
  const distGate = gates.ServiceTrafficDistribution ?? minor >= 31;
  const annotationOn = hintsGate && !['', 'disabled', 'Disabled'].includes(sp.hintsAnnotation);
  const distributionOn = distGate && minor >= 30 && sp.trafficDistribution !== '';
  if (!annotationOn && !distributionOn) return '';
  if (zone === '') return '';
  let forZone = false;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    if (ep.zoneHints.length === 0) return '';
    if (ep.zoneHints.includes(zone)) forZone = true;
  }
  return forZone ? 'PreferSameZone' : '';
}

function availableForTopology(ep: ProxyEndpoint, mode: TopologyMode, nodeName: string, zone: string): boolean {
  switch (mode) {
    case '':
    case 'TopologyKeys':
      return true;
    case 'PreferSameNode':
      return ep.nodeHints.includes(nodeName);
    case 'PreferSameZone':
      return ep.zoneHints.includes(zone);
  }
}

/**
 * kube-proxy 1.17-1.21: only ready endpoints existed for the proxier (no terminating fallback);
 * the Service's topologyKeys narrowed them (ServiceTopology), except under eTP Local.
 */
function categorizeLegacy(
  endpoints: readonly ProxyEndpoint[],
  sp: ServicePortInfo,
  opts: CategorizeOptions,
  out: CategorizedEndpoints,
): CategorizedEndpoints {
  const ready = endpoints.filter((ep) => ep.ready);
  const useCluster = usesClusterEndpoints(sp);
  const useLocal = usesLocalEndpoints(sp);
  if (useCluster) {
    const applyKeys = sp.topologyKeys.length > 0 && !sp.externalPolicyLocal && opts.featureGates?.ServiceTopology !== false;
    if (applyKeys) {
      out.topologyMode = 'TopologyKeys';
      const labels: Record<string, string> = opts.nodeName ? { [LABEL_HOSTNAME]: opts.nodeName, ...opts.nodeLabels } : { ...opts.nodeLabels };
      out.clusterEndpoints = filterByTopologyKeys(labels, sp.topologyKeys, ready);
    } else {
      out.clusterEndpoints = ready;
    }
    out.hasAnyEndpoints = out.clusterEndpoints.length > 0;
  }
  if (useLocal) {
    out.localEndpoints = ready.filter((ep) => ep.isLocal);
    if (!useCluster) out.hasAnyEndpoints = ready.length > 0;
  }
  out.allReachableEndpoints = !useLocal
    ? out.clusterEndpoints
    : !useCluster
      ? out.localEndpoints
      : union(endpoints, out.clusterEndpoints, out.localEndpoints);
  return out;
}

/**
 * FilterTopologyEndpoint / deprecatedTopologyFilter (1.17-1.21): walk the keys in order; `*`
 * means any endpoint; a key the node lacks is skipped; the first key with a matching endpoint
 * wins. No match at all (or a node without labels and no trailing `*`) gives no endpoints.
 */
export function filterByTopologyKeys(
  nodeLabels: Record<string, string>,
  topologyKeys: readonly string[],
  endpoints: readonly ProxyEndpoint[],
): ProxyEndpoint[] {
  if (topologyKeys.length === 0) return [...endpoints];
  if (Object.keys(nodeLabels).length === 0) {
    return topologyKeys[topologyKeys.length - 1] === TOPOLOGY_KEY_ANY ? [...endpoints] : [];
  }
  for (const key of topologyKeys) {
    if (key === TOPOLOGY_KEY_ANY) return [...endpoints];
    if (!Object.hasOwn(nodeLabels, key)) continue;
    const value = nodeLabels[key];
    const matched = endpoints.filter((ep) => Object.hasOwn(ep.topology, key) && ep.topology[key] === value);
    if (matched.length > 0) return matched;
  }
  return [];
}

/** Union by `IP:port`, in the order of the full endpoint list. */
function union(all: readonly ProxyEndpoint[], a: readonly ProxyEndpoint[], b: readonly ProxyEndpoint[]): ProxyEndpoint[] {
  const keys = new Set<string>();
  for (const ep of a) keys.add(ep.key);
  for (const ep of b) keys.add(ep.key);
  return all.filter((ep) => keys.has(ep.key));
}
