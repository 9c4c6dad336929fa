import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ProxyEndpoint, ServicePortInfo } from './model.ts';
import { categorizeEndpoints, filterByTopologyKeys, LABEL_HOSTNAME, LABEL_REGION, LABEL_ZONE } from './categorize.ts';

function ep(ip: string, o: Partial<ProxyEndpoint> = {}): ProxyEndpoint {
  return {
    ip,
    port: 80,
    key: `${ip}:80`,
    isLocal: false,
    ready: true,
    serving: true,
    terminating: false,
    zoneHints: [],
    nodeHints: [],
    topology: o.nodeName ? { [LABEL_HOSTNAME]: o.nodeName, ...(o.zone ? { [LABEL_ZONE]: o.zone } : {}) } : {},
    ...o,
  };
}

function sp(o: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return {
    namespace: 'default', serviceName: 'nginx-basic', portName: 'http', name: 'default/nginx-basic:http', protocol: 'TCP',
    clusterIP: '10.102.249.128', port: 80, nodePort: 0, externalIPs: [], loadBalancerVIPs: [], loadBalancerSourceRanges: [],
    healthCheckNodePort: 0, externalPolicyLocal: false, internalPolicyLocal: false, sessionAffinityClientIP: false,
    stickyMaxAgeSeconds: 0, topologyKeys: [], hintsAnnotation: '', trafficDistribution: '', type: 'ClusterIP',
    serviceIndex: 0, portIndex: 0, ...o,
  };
}

const keys = (eps: ProxyEndpoint[]) => eps.map((e) => e.key);
const NEW = { kubeProxyVersion: 'v1.35.0' };

describe('categorizeEndpoints (newest)', () => {
  it('uses every ready endpoint for a plain ClusterIP service', () => {
    const eps = [ep('10.0.0.1'), ep('10.0.0.2', { ready: false, serving: false }), ep('10.0.0.3')];
    const r = categorizeEndpoints(eps, sp(), { nodeName: 'n1', nodeLabels: {}, ...NEW });
    expect(keys(r.clusterEndpoints)).toEqual(['10.0.0.1:80', '10.0.0.3:80']);
    expect(r.localEndpoints).toEqual([]);
    expect(r.allReachableEndpoints).toBe(r.clusterEndpoints);
    expect(r.hasAnyEndpoints).toBe(true);
  });
  it('falls back to serving+terminating endpoints only when no ready one exists', () => {
    const eps = [ep('10.0.0.1', { ready: false, terminating: true }), ep('10.0.0.2', { ready: false, serving: false, terminating: true })];
    const r = categorizeEndpoints(eps, sp(), { nodeName: 'n1', nodeLabels: {}, ...NEW });
    expect(keys(r.clusterEndpoints)).toEqual(['10.0.0.1:80']);
    expect(r.clusterUsedTerminating).toBe(true);
    const old = categorizeEndpoints(eps, sp(), { nodeName: 'n1', nodeLabels: {}, kubeProxyVersion: 'v1.25.0' });
    expect(old.clusterEndpoints).toEqual([]);
    expect(old.hasAnyEndpoints).toBe(false);
  });
  it('iTP Local: local ready endpoints only, hasAny from anywhere', () => {
    const eps = [ep('10.0.0.1', { isLocal: true }), ep('10.0.0.2')];
    const r = categorizeEndpoints(eps, sp({ internalPolicyLocal: true }), { nodeName: 'n1', nodeLabels: {}, ...NEW });
    expect(r.clusterEndpoints).toEqual([]);
    expect(keys(r.localEndpoints)).toEqual(['10.0.0.1:80']);
    expect(keys(r.allReachableEndpoints)).toEqual(['10.0.0.1:80']);
    const none = categorizeEndpoints([ep('10.0.0.2')], sp({ internalPolicyLocal: true }), { nodeName: 'n1', nodeLabels: {}, ...NEW });
    expect(none.localEndpoints).toEqual([]);
    expect(none.hasAnyEndpoints).toBe(true);
  });
  it('eTP Local with a local terminating endpoint unions both lists', () => {
    const eps = [ep('10.0.0.1', { isLocal: true, ready: false, terminating: true }), ep('10.0.0.2')];
    const r = categorizeEndpoints(eps, sp({ externalPolicyLocal: true, nodePort: 30001 }), { nodeName: 'n1', nodeLabels: {}, ...NEW });
    expect(keys(r.clusterEndpoints)).toEqual(['10.0.0.2:80']);
    expect(keys(r.localEndpoints)).toEqual(['10.0.0.1:80']);
    expect(r.localUsedTerminating).toBe(true);
    expect(keys(r.allReachableEndpoints)).toEqual(['10.0.0.1:80', '10.0.0.2:80']);
  });
  it('zone hints narrow cluster endpoints only when every ready endpoint has one and one matches', () => {
    const eps = [ep('10.0.0.1', { zoneHints: ['a'] }), ep('10.0.0.2', { zoneHints: ['b'] })];
    const r = categorizeEndpoints(eps, sp(), { nodeName: 'n1', nodeLabels: { [LABEL_ZONE]: 'a' }, ...NEW });
    expect(r.topologyMode).toBe('PreferSameZone');
    expect(keys(r.clusterEndpoints)).toEqual(['10.0.0.1:80']);
    const noMatch = categorizeEndpoints(eps, sp(), { nodeName: 'n1', nodeLabels: { [LABEL_ZONE]: 'c' }, ...NEW });
    expect(noMatch.topologyMode).toBe('');
    expect(noMatch.clusterEndpoints).toHaveLength(2);
    const missing = categorizeEndpoints([...eps, ep('10.0.0.3')], sp(), { nodeName: 'n1', nodeLabels: { [LABEL_ZONE]: 'a' }, ...NEW });
    expect(missing.clusterEndpoints).toHaveLength(3);
  });
  it('node hints win when the gate is on', () => {
    const eps = [ep('10.0.0.1', { zoneHints: ['a'], nodeHints: ['n1'] }), ep('10.0.0.2', { zoneHints: ['a'], nodeHints: ['n2'] })];
    const on = categorizeEndpoints(eps, sp(), { nodeName: 'n1', nodeLabels: { [LABEL_ZONE]: 'a' }, ...NEW });
    expect(on.topologyMode).toBe('PreferSameNode');
    expect(keys(on.clusterEndpoints)).toEqual(['10.0.0.1:80']);
    const off = categorizeEndpoints(eps, sp(), { nodeName: 'n1', nodeLabels: { [LABEL_ZONE]: 'a' }, ...NEW, featureGates: { PreferSameTrafficDistribution: false } });
    expect(off.topologyMode).toBe('PreferSameZone');
    expect(off.clusterEndpoints).toHaveLength(2);
  });
  it('v1.28 needs the topology annotation before it reads hints', () => {
    const eps = [ep('10.0.0.1', { zoneHints: ['a'] }), ep('10.0.0.2', { zoneHints: ['b'] })];
    const opts = { nodeName: 'n1', nodeLabels: { [LABEL_ZONE]: 'a' }, kubeProxyVersion: 'v1.28.0' };
    expect(categorizeEndpoints(eps, sp(), opts).clusterEndpoints).toHaveLength(2);
    expect(keys(categorizeEndpoints(eps, sp({ hintsAnnotation: 'Auto' }), opts).clusterEndpoints)).toEqual(['10.0.0.1:80']);
    expect(categorizeEndpoints(eps, sp({ hintsAnnotation: 'disabled' }), opts).clusterEndpoints).toHaveLength(2);
  });
  it('property: cluster and local lists are subsets of allReachable, in input order', () => {
    const arbEp = fc.record({ ready: fc.boolean(), serving: fc.boolean(), terminating: fc.boolean(), isLocal: fc.boolean() });
    fc.assert(
      fc.property(fc.array(arbEp, { maxLength: 8 }), fc.boolean(), fc.boolean(), (flags, itp, etp) => {
        const eps = flags.map((f, i) => ep(`10.0.0.${i + 1}`, { ...f, ready: f.ready && f.serving }));
        const r = categorizeEndpoints(eps, sp({ internalPolicyLocal: itp, externalPolicyLocal: etp, nodePort: etp ? 30000 : 0 }), { nodeName: 'n1', nodeLabels: {}, ...NEW });
        const all = new Set(keys(r.allReachableEndpoints));
        for (const e of [...r.clusterEndpoints, ...r.localEndpoints]) expect(all.has(e.key)).toBe(true);
        expect(keys(r.allReachableEndpoints)).toEqual(keys(eps).filter((k) => all.has(k)));
        for (const e of r.localEndpoints) expect(e.isLocal).toBe(true);
        if (r.clusterEndpoints.length + r.localEndpoints.length > 0) expect(r.hasAnyEndpoints).toBe(true);
      }),
    );
  });
});

// The seed's topologyKeys examples (kube-proxy 1.17-1.21): nginx pods jshh2 on k8s-master,
// ksrp6 and xpf7n on k8s-node-01. Zones/regions are this test's own labelling.
describe('legacy topologyKeys (kube-proxy < 1.22)', () => {
  const pods = [
    ep('10.244.154.195', { nodeName: 'k8s-node-01', zone: 'zone-b', topology: { [LABEL_HOSTNAME]: 'k8s-node-01', [LABEL_ZONE]: 'zone-b', [LABEL_REGION]: 'r1' } }),
    ep('10.244.154.196', { nodeName: 'k8s-node-01', zone: 'zone-b', topology: { [LABEL_HOSTNAME]: 'k8s-node-01', [LABEL_ZONE]: 'zone-b', [LABEL_REGION]: 'r1' } }),
    ep('10.244.235.208', { nodeName: 'k8s-master', zone: 'zone-a', topology: { [LABEL_HOSTNAME]: 'k8s-master', [LABEL_ZONE]: 'zone-a', [LABEL_REGION]: 'r1' } }),
  ];
  const on = (node: string, zone: string | undefined, region: string | undefined, topologyKeys: string[]) =>
    categorizeEndpoints(pods.map((p) => ({ ...p, isLocal: p.nodeName === node })), sp({ topologyKeys }), {
      nodeName: node,
      nodeLabels: { ...(zone ? { [LABEL_ZONE]: zone } : {}), ...(region ? { [LABEL_REGION]: region } : {}) },
      kubeProxyVersion: 'v1.20.0',
    });

  it('["kubernetes.io/hostname"]: node-local endpoints only', () => {
    const r = on('k8s-node-01', 'zone-b', 'r1', [LABEL_HOSTNAME]);
    expect(r.topologyMode).toBe('TopologyKeys');
    expect(keys(r.clusterEndpoints)).toEqual(['10.244.154.195:80', '10.244.154.196:80']);
    expect(keys(on('k8s-master', 'zone-a', 'r1', [LABEL_HOSTNAME]).clusterEndpoints)).toEqual(['10.244.235.208:80']);
  });
  it('["kubernetes.io/hostname"] on a node without endpoints: none, so the service has no endpoints here', () => {
    const r = on('k8s-node-02', 'zone-b', 'r1', [LABEL_HOSTNAME]);
    expect(r.clusterEndpoints).toEqual([]);
    expect(r.hasAnyEndpoints).toBe(false);
  });
  it('[hostname, zone, region]: falls back to the zone, then the region, then fails', () => {
    const k = [LABEL_HOSTNAME, LABEL_ZONE, LABEL_REGION];
    expect(keys(on('k8s-node-02', 'zone-b', 'r1', k).clusterEndpoints)).toEqual(['10.244.154.195:80', '10.244.154.196:80']);
    expect(keys(on('k8s-node-03', 'zone-c', 'r1', k).clusterEndpoints)).toHaveLength(3);
    expect(on('k8s-node-04', 'zone-x', 'r2', k).clusterEndpoints).toEqual([]);
  });
  it('[zone, "*"]: same zone first, otherwise any endpoint', () => {
    expect(keys(on('k8s-node-02', 'zone-a', 'r1', [LABEL_ZONE, '*']).clusterEndpoints)).toEqual(['10.244.235.208:80']);
    expect(on('k8s-node-03', 'zone-c', 'r1', [LABEL_ZONE, '*']).clusterEndpoints).toHaveLength(3);
    expect(on('k8s-node-03', undefined, undefined, [LABEL_ZONE, '*']).clusterEndpoints).toHaveLength(3);
  });
  it('is ignored under eTP Local and by kube-proxy 1.22+', () => {
    const svc = sp({ topologyKeys: [LABEL_HOSTNAME], externalPolicyLocal: true, nodePort: 30898 });
    const r = categorizeEndpoints(pods, svc, { nodeName: 'k8s-node-02', nodeLabels: {}, kubeProxyVersion: 'v1.20.0' });
    expect(r.clusterEndpoints).toHaveLength(3);
    const modern = categorizeEndpoints(pods, sp({ topologyKeys: [LABEL_HOSTNAME] }), { nodeName: 'k8s-node-02', nodeLabels: {}, kubeProxyVersion: 'v1.28.0' });
    expect(modern.clusterEndpoints).toHaveLength(3);
  });
  it('a node without labels gets nothing unless the keys end in "*"', () => {
    expect(filterByTopologyKeys({}, [LABEL_HOSTNAME], pods)).toEqual([]);
    expect(filterByTopologyKeys({}, [LABEL_ZONE, '*'], pods)).toHaveLength(3);
    expect(filterByTopologyKeys({ [LABEL_ZONE]: 'zone-b' }, [], pods)).toHaveLength(3);
  });
  it('only ready endpoints count (no terminating fallback then)', () => {
    const eps = pods.map((p, i) => (i === 2 ? { ...p, ready: false, terminating: true } : p));
    const r = categorizeEndpoints(eps, sp({ topologyKeys: [LABEL_HOSTNAME] }), { nodeName: 'k8s-master', nodeLabels: {}, kubeProxyVersion: 'v1.20.0' });
    expect(r.clusterEndpoints).toEqual([]);
  });
});
