// Which endpoints of a Service port a node's kube-proxy may send a packet to, and why: the
// categorizer's answer (categorize.ts decides; this file never re-decides) told endpoint by
// endpoint and step by step — topologyKeys walked key by key, hints, the terminating fallback,
// the Local traffic policies. The trace shows where a packet went; this says who could have had it.
// Reasons are i18n keys with parameters (`elig.*` in src/i18n), so the page and the CLI tell the
// same story in either language.

import type { EndpointSlice, Service } from '../k8s/types.ts';
import { resolveProxierConfig, type ProxierConfig } from './config.ts';
import { buildServicePorts, servicePortKey } from './serviceport.ts';
import { buildEndpointsMap, LABEL_SERVICE_NAME } from './endpoints.ts';
import { hostPort } from '../util/hostport.ts';
import { categorizeEndpoints, LABEL_HOSTNAME, LABEL_ZONE, TOPOLOGY_KEY_ANY, type CategorizeOptions, type CategorizedEndpoints } from './categorize.ts';
import { externallyAccessible, usesClusterEndpoints, usesLocalEndpoints, type ProxyEndpoint, type ServicePortInfo } from './model.ts';
import { parseProxyVersion, versionBefore } from './version.ts';
import type { EligibilityReport, EndpointEligibility, Reason } from './eligibility-report.ts';

export type { EligibilityReport, EndpointEligibility, Reason } from './eligibility-report.ts';
export { reportForPacket } from './eligibility-report.ts';

const r = (key: string, params: Record<string, string | number> = {}): Reason => ({ key, params });

/** One report per service port of the node's proxier, in kube-proxy's order. At most `limit`. */
export function eligibilityForNode(services: readonly Service[], slices: readonly EndpointSlice[], partial: Partial<ProxierConfig>, limit = 500): EligibilityReport[] {
  const config = resolveProxierConfig(partial);
  // only the first `limit` Services are read: a 10,000-Service paste costs no more than a small one
  const ports = buildServicePorts(services.slice(0, limit), { ipFamily: config.ipFamily, kubeProxyVersion: config.kubeProxyVersion, featureGates: config.featureGates });
  // and only their EndpointSlices
  const wanted = new Set(ports.map((sp) => `${sp.namespace}/${sp.serviceName}`));
  const mine = slices.filter((sl) => wanted.has(`${sl.metadata?.namespace ?? 'default'}/${sl.metadata?.labels?.[LABEL_SERVICE_NAME] ?? ''}`));
  const eps = buildEndpointsMap(mine, { ipFamily: config.ipFamily, nodeName: config.nodeName, endpointDedupPrefers: config.endpointDedupPrefers });
  const opts: CategorizeOptions = {
    nodeName: config.nodeName,
    nodeLabels: config.topologyLabels ?? {},
    kubeProxyVersion: config.kubeProxyVersion,
    featureGates: config.featureGates,
  };
  return ports.map((sp) => explainEligibility(eps.get(servicePortKey(sp.namespace, sp.serviceName, sp.portName, sp.protocol)) ?? [], sp, opts));
}

export function explainEligibility(endpoints: readonly ProxyEndpoint[], sp: ServicePortInfo, opts: CategorizeOptions): EligibilityReport {
  const cat = categorizeEndpoints(endpoints, sp, opts);
  const useCluster = usesClusterEndpoints(sp);
  const useLocal = usesLocalEndpoints(sp);
  const external = externallyAccessible(sp);
  const version = parseProxyVersion(opts.kubeProxyVersion);
  const legacy = versionBefore(version, 22);
  const zone = opts.nodeLabels[LABEL_ZONE] ?? '';
  const clusterSet = new Set(cat.clusterEndpoints.map((e) => e.key));
  const localSet = new Set(cat.localEndpoints.map((e) => e.key));

  const steps: Reason[] = [];
  if (endpoints.length === 0) steps.push(r('elig.step.noEndpoints'));
  else {
    const ready = endpoints.filter((e) => e.ready).length;
    steps.push(r('elig.step.count', { total: endpoints.length, ready }));
  }
  if (useCluster) topologySteps(endpoints, sp, opts, cat, legacy, zone, steps);
  if (useCluster && cat.clusterUsedTerminating) steps.push(r('elig.step.terminatingFallback', { count: cat.clusterEndpoints.length }));
  if (useCluster && endpoints.length > 0)
    steps.push(cat.clusterEndpoints.length ? r('elig.step.clusterSet', { count: cat.clusterEndpoints.length, list: list(cat.clusterEndpoints) }) : r('elig.step.clusterNone'));
  if (sp.internalPolicyLocal) steps.push(r('elig.step.itpLocal', { node: opts.nodeName }));
  if (sp.externalPolicyLocal && external)
    steps.push(sp.healthCheckNodePort ? r('elig.step.etpLocal', { node: opts.nodeName, hc: sp.healthCheckNodePort }) : r('elig.step.etpLocalNoHc', { node: opts.nodeName }));
  if (useLocal) {
    if (cat.localUsedTerminating) steps.push(r('elig.step.localTerminating', { count: cat.localEndpoints.length }));
    steps.push(cat.localEndpoints.length ? r('elig.step.localSet', { count: cat.localEndpoints.length, list: list(cat.localEndpoints), node: opts.nodeName }) : r('elig.step.localNone', { node: opts.nodeName }));
  }

  const out: EndpointEligibility[] = endpoints.map((ep) => {
    const reasons: Reason[] = [];
    if (!ep.ready && !(ep.serving && ep.terminating)) reasons.push(r(ep.terminating ? 'elig.ep.terminatingNotServing' : 'elig.ep.notReady'));
    else if (!ep.ready) reasons.push(r(legacy ? 'elig.ep.terminatingLegacy' : 'elig.ep.terminating'));
    if (useCluster && ep.ready && !clusterSet.has(ep.key)) {
      if (cat.topologyMode === 'PreferSameZone') reasons.push(r('elig.ep.otherZone', { zones: ep.zoneHints.join(',') || '-', zone }));
      else if (cat.topologyMode === 'PreferSameNode') reasons.push(r('elig.ep.otherNode', { nodes: ep.nodeHints.join(',') || '-', node: opts.nodeName }));
      else if (cat.topologyMode === 'TopologyKeys') reasons.push(r('elig.ep.topologyKeys'));
    }
    if (useLocal) reasons.push(r(ep.isLocal ? 'elig.ep.onThisNode' : 'elig.ep.onOtherNode', { node: ep.nodeName ?? '-' }));
    if (clusterSet.has(ep.key) || localSet.has(ep.key)) reasons.push(r('elig.ep.used'));
    return {
      address: ep.key,
      node: ep.nodeName ?? null,
      zone: ep.zone ?? null,
      ready: ep.ready,
      serving: ep.serving,
      terminating: ep.terminating,
      local: ep.isLocal,
      cluster: clusterSet.has(ep.key),
      localPolicy: localSet.has(ep.key),
      reasons,
    };
  });

  return {
    service: sp.name,
    protocol: sp.protocol,
    // a headless Service has no address of its own to dial
    addresses: [...(sp.clusterIP && sp.clusterIP !== 'None' ? [sp.clusterIP] : []), ...sp.externalIPs, ...sp.loadBalancerVIPs].map((ip) => hostPort(ip, sp.port)),
    nodePort: sp.nodePort,
    healthCheckNodePort: sp.healthCheckNodePort,
    internalPolicy: sp.internalPolicyLocal ? 'Local' : 'Cluster',
    externalPolicy: external ? (sp.externalPolicyLocal ? 'Local' : 'Cluster') : null,
    steps,
    endpoints: out,
    clusterEmpty: useCluster && cat.clusterEndpoints.length === 0,
    localEmpty: useLocal && cat.localEndpoints.length === 0,
  };
}

function list(eps: readonly ProxyEndpoint[]): string {
  return eps.map((e) => e.key).join(', ');
}

/** The topology part of the story, in the order the categorizer decides it. */
function topologySteps(endpoints: readonly ProxyEndpoint[], sp: ServicePortInfo, opts: CategorizeOptions, cat: CategorizedEndpoints, legacy: boolean, zone: string, steps: Reason[]): void {
  const ready = endpoints.filter((e) => e.ready);
  if (legacy) {
    if (sp.topologyKeys.length === 0) return;
    if (sp.externalPolicyLocal) {
      steps.push(r('elig.step.keysIgnoredEtp'));
      return;
    }
    if (opts.featureGates?.ServiceTopology === false) {
      steps.push(r('elig.step.keysGateOff'));
      return;
    }
    // the walk filterByTopologyKeys makes: first key with a matching endpoint wins
    const labels: Record<string, string> = { [LABEL_HOSTNAME]: opts.nodeName, ...opts.nodeLabels };
    for (const key of sp.topologyKeys) {
      if (key === TOPOLOGY_KEY_ANY) {
        steps.push(r('elig.step.keyAny', { count: ready.length }));
        return;
      }
      if (!Object.hasOwn(labels, key)) {
        steps.push(r('elig.step.keyMissing', { key }));
        continue;
      }
      const value = labels[key]!;
      const matched = ready.filter((ep) => ep.topology[key] === value);
      if (matched.length) {
        steps.push(r('elig.step.keyMatch', { key, value, count: matched.length, list: list(matched) }));
        return;
      }
      steps.push(r('elig.step.keyNoMatch', { key, value }));
    }
    steps.push(r('elig.step.keysExhausted'));
    return;
  }
  if (cat.topologyMode === 'PreferSameZone') steps.push(r('elig.step.zoneHints', { zone, count: cat.clusterEndpoints.length }));
  else if (cat.topologyMode === 'PreferSameNode') steps.push(r('elig.step.nodeHints', { node: opts.nodeName, count: cat.clusterEndpoints.length }));
  else {
    const asked = sp.trafficDistribution !== '' || !['', 'disabled', 'Disabled'].includes(sp.hintsAnnotation);
    const hinted = ready.some((e) => e.zoneHints.length || e.nodeHints.length);
    if (asked || hinted) {
      // asked for, but the categorizer kept every endpoint: say which condition failed
      const why = zone === '' ? 'noZoneLabel' : ready.some((e) => e.zoneHints.length === 0) ? 'missingHints' : !ready.some((e) => e.zoneHints.includes(zone)) ? 'noHintForZone' : 'notEnabled';
      steps.push(r(`elig.step.hintsIgnored.${why}`, { zone: zone || '-' }));
    }
  }
}

