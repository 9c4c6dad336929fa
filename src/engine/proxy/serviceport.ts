// Services -> kube-proxy service ports (pkg/proxy/service.go serviceToServiceMap,
// serviceport.go newBaseServiceInfo): one entry per (Service, port name, protocol) that this
// proxier's IP family handles, with every address already canonical.

import type { Protocol, Service } from '../k8s/types.ts';
import type { ServicePortInfo } from './model.ts';
import { canonicalIP, formatCIDR, ipFamilyOf, parseCIDRSloppy, parseIPSloppy, formatIP } from './ip.ts';
import { parseProxyVersion, versionBefore } from './version.ts';

export interface ServicePortOptions {
  ipFamily: 'IPv4' | 'IPv6';
  kubeProxyVersion?: string;
  /** LoadBalancerIPMode (alpha v1.29, on from v1.30): whether `ipMode: Proxy` ingress IPs are skipped */
  featureGates?: Record<string, boolean>;
}

const DEFAULT_AFFINITY_TIMEOUT = 10800;
export const ANNOTATION_TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
export const ANNOTATION_TOPOLOGY_AWARE_HINTS = 'service.kubernetes.io/topology-aware-hints';

/** ShouldSkipService: ExternalName, headless (clusterIP None) or no cluster IP at all. */
export function shouldSkipService(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  if (ip === '' || ip === 'None') return true;
  return svc.spec?.type === 'ExternalName';
}

/** GetClusterIPByFamily: clusterIPs paired with ipFamilies; clusterIP alone when ipFamilies is unset. */
export function clusterIPForFamily(svc: Service, family: 'IPv4' | 'IPv6'): string {
  const spec = svc.spec ?? {};
  const families = spec.ipFamilies ?? [];
  if (families.length === 0) {
    const ip = spec.clusterIP ?? '';
    if (ip === '' || ip === 'None') return '';
    return ipFamilyOf(ip) === family ? ip : '';
  }
  const idx = families.indexOf(family);
  if (idx < 0) return '';
  return spec.clusterIPs?.[idx] ?? (idx === 0 ? spec.clusterIP ?? '' : '');
}

function externallyAccessibleService(svc: Service): boolean {
  const t = svc.spec?.type;
  return t === 'LoadBalancer' || t === 'NodePort' || ((t === undefined || t === 'ClusterIP') && (svc.spec?.externalIPs?.length ?? 0) > 0);
}

/**
 * All service ports of `services` for one proxier, in input order (Service, then spec.ports).
 * A later port with the same `ns/name:port` + protocol replaces an earlier one, as in
 * kube-proxy's map.
 */
export function buildServicePorts(services: readonly Service[], opts: ServicePortOptions): ServicePortInfo[] {
  const version = parseProxyVersion(opts.kubeProxyVersion);
  const ipModeGate = opts.featureGates?.LoadBalancerIPMode ?? !versionBefore(version, 30);
  const byKey = new Map<string, ServicePortInfo>();
  services.forEach((svc, serviceIndex) => {
    if (!svc?.metadata || !svc.spec || shouldSkipService(svc)) return;
    const rawIP = clusterIPForFamily(svc, opts.ipFamily);
    if (rawIP === '') return;
    const clusterIP = canonicalIP(rawIP);
    if (clusterIP === null) return;
    const spec = svc.spec;
    const namespace = svc.metadata.namespace ?? 'default';
    const serviceName = svc.metadata.name ?? '';
    // v1.28's RequestsOnlyLocalTraffic looked at NodePort/LoadBalancer only; later releases
    // also honour eTP Local for a ClusterIP Service with externalIPs.
    const extAccessible = versionBefore(version, 29)
      ? spec.type === 'LoadBalancer' || spec.type === 'NodePort'
      : externallyAccessibleService(svc);
    const externalPolicyLocal = extAccessible && spec.externalTrafficPolicy === 'Local';
    const internalPolicyLocal = spec.internalTrafficPolicy === 'Local';
    const affinity = spec.sessionAffinity === 'ClientIP';
    const timeout = affinity ? spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT : 0;
    const externalIPs = (spec.externalIPs ?? []).flatMap((ip) => {
      const p = parseIPSloppy(ip);
      return p && p.family === opts.ipFamily ? [formatIP(p)] : [];
    });
    const sourceRanges = (spec.loadBalancerSourceRanges ?? []).flatMap((r) => {
      const c = parseCIDRSloppy(r.trim());
      return c && c.ip.family === opts.ipFamily ? [formatCIDR(c)] : [];
    });
    const vips = (svc.status?.loadBalancer?.ingress ?? []).flatMap((ing) => {
      if (!ing.ip || (ipModeGate && ing.ipMode === 'Proxy')) return [];
      const p = parseIPSloppy(ing.ip);
      return p && p.family === opts.ipFamily ? [formatIP(p)] : [];
    });
    const needsHealthCheck = spec.type === 'LoadBalancer' && externalPolicyLocal;
    const annotations = svc.metadata.annotations ?? {};
    const hintsAnnotation = annotations[ANNOTATION_TOPOLOGY_AWARE_HINTS] ?? annotations[ANNOTATION_TOPOLOGY_MODE] ?? '';
    (spec.ports ?? []).forEach((port, portIndex) => {
      const protocol: Protocol = port.protocol ?? 'TCP';
      const portName = port.name ?? '';
      const name = portName === '' ? `${namespace}/${serviceName}` : `${namespace}/${serviceName}:${portName}`;
      const info: ServicePortInfo = {
        namespace,
        serviceName,
        portName,
        name,
        protocol,
        clusterIP,
        port: port.port,
        nodePort: port.nodePort ?? 0,
        externalIPs,
        loadBalancerVIPs: vips,
        loadBalancerSourceRanges: sourceRanges,
        healthCheckNodePort: needsHealthCheck ? spec.healthCheckNodePort ?? 0 : 0,
        externalPolicyLocal,
        internalPolicyLocal,
        sessionAffinityClientIP: affinity,
        stickyMaxAgeSeconds: timeout,
        topologyKeys: spec.topologyKeys ?? [],
        hintsAnnotation,
        trafficDistribution: spec.trafficDistribution ?? '',
        type: spec.type ?? '',
        serviceIndex,
        portIndex,
      };
      const key = `${name}/${protocol}`;
      byKey.delete(key);
      byKey.set(key, info);
    });
  });
  return [...byKey.values()];
}

/** Key of a service port in maps: ServicePortName plus protocol. */
export function servicePortKey(namespace: string, serviceName: string, portName: string, protocol: string): string {
  const name = portName === '' ? `${namespace}/${serviceName}` : `${namespace}/${serviceName}:${portName}`;
  return `${name}/${protocol}`;
}
