import { describe, expect, it } from 'vitest';
import type { Service } from '../k8s/types.ts';
import { buildServicePorts, clusterIPForFamily, shouldSkipService } from './serviceport.ts';

const base = (spec: Service['spec'], extra: Partial<Service> = {}): Service => ({ metadata: { name: 'svc', namespace: 'ns' }, spec, ...extra });

describe('buildServicePorts', () => {
  it('names ports ns/name:port, or ns/name when unnamed, one entry per port', () => {
    const ports = buildServicePorts(
      [base({ clusterIP: '10.0.0.1', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] }), base({ clusterIP: '10.0.0.2', ports: [{ port: 8080 }] }, { metadata: { name: 'b', namespace: 'ns' } })],
      { ipFamily: 'IPv4' },
    );
    expect(ports.map((p) => `${p.name} ${p.protocol}`)).toEqual(['ns/svc:http TCP', 'ns/svc:dns UDP', 'ns/b TCP']);
  });
  it('skips headless, ExternalName and other-family services', () => {
    expect(shouldSkipService(base({ clusterIP: 'None' }))).toBe(true);
    expect(shouldSkipService(base({ clusterIP: '' }))).toBe(true);
    expect(shouldSkipService(base({ type: 'ExternalName', clusterIP: '10.0.0.1', externalName: 'x.example' }))).toBe(true);
    const v6 = base({ clusterIP: 'fd00::1', ports: [{ port: 80 }] });
    expect(buildServicePorts([v6], { ipFamily: 'IPv4' })).toEqual([]);
    expect(buildServicePorts([v6], { ipFamily: 'IPv6' })).toHaveLength(1);
  });
  it('picks the cluster IP of the family from clusterIPs/ipFamilies', () => {
    const ds = base({ clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', 'fd00::1'], ipFamilies: ['IPv4', 'IPv6'] });
    expect(clusterIPForFamily(ds, 'IPv6')).toBe('fd00::1');
    expect(clusterIPForFamily(ds, 'IPv4')).toBe('10.0.0.1');
    expect(clusterIPForFamily(base({ clusterIP: '10.0.0.1', ipFamilies: ['IPv4'] }), 'IPv6')).toBe('');
  });
  it('canonicalizes and filters addresses by family, skipping Proxy-mode and hostname ingresses', () => {
    const [p] = buildServicePorts(
      [
        base(
          {
            type: 'LoadBalancer', clusterIP: '172.30.0.041', ports: [{ name: 'p', port: 80, nodePort: 30001 }],
            externalIPs: ['192.168.099.022', 'fd00::5', 'junk'], loadBalancerSourceRanges: [' 203.0.113.000/025 ', '2001:db8::/32', 'bad'],
          },
          { status: { loadBalancer: { ingress: [{ ip: '1.2.3.004' }, { ip: '5.6.7.8', ipMode: 'Proxy' }, { hostname: 'lb.example' }, { ip: 'fd00::9' }] } } },
        ),
      ],
      { ipFamily: 'IPv4' },
    );
    expect(p.clusterIP).toBe('172.30.0.41');
    expect(p.externalIPs).toEqual(['192.168.99.22']);
    expect(p.loadBalancerSourceRanges).toEqual(['203.0.113.0/25']);
    expect(p.loadBalancerVIPs).toEqual(['1.2.3.4']);
  });
  it('skips ipMode Proxy ingress IPs only where the LoadBalancerIPMode gate is on', () => {
    const s = base({ type: 'LoadBalancer', clusterIP: '10.0.0.1', ports: [{ port: 80 }] }, { status: { loadBalancer: { ingress: [{ ip: '5.6.7.8', ipMode: 'Proxy' }] } } });
    expect(buildServicePorts([s], { ipFamily: 'IPv4' })[0].loadBalancerVIPs).toEqual([]);
    expect(buildServicePorts([s], { ipFamily: 'IPv4', kubeProxyVersion: 'v1.28.0' })[0].loadBalancerVIPs).toEqual(['5.6.7.8']);
    expect(buildServicePorts([s], { ipFamily: 'IPv4', featureGates: { LoadBalancerIPMode: false } })[0].loadBalancerVIPs).toEqual(['5.6.7.8']);
  });
  it('honours eTP Local and healthCheckNodePort only for externally accessible services', () => {
    const lb = buildServicePorts([base({ type: 'LoadBalancer', clusterIP: '10.0.0.1', externalTrafficPolicy: 'Local', healthCheckNodePort: 30000, ports: [{ port: 80 }] })], { ipFamily: 'IPv4' })[0];
    expect(lb.externalPolicyLocal).toBe(true);
    expect(lb.healthCheckNodePort).toBe(30000);
    const cluster = buildServicePorts([base({ type: 'LoadBalancer', clusterIP: '10.0.0.1', externalTrafficPolicy: 'Cluster', healthCheckNodePort: 30000, ports: [{ port: 80 }] })], { ipFamily: 'IPv4' })[0];
    expect(cluster.healthCheckNodePort).toBe(0);
    const cip = base({ clusterIP: '10.0.0.1', externalIPs: ['1.1.1.1'], externalTrafficPolicy: 'Local', ports: [{ port: 80 }] });
    expect(buildServicePorts([cip], { ipFamily: 'IPv4', kubeProxyVersion: 'v1.28.0' })[0].externalPolicyLocal).toBe(false);
    expect(buildServicePorts([cip], { ipFamily: 'IPv4', kubeProxyVersion: 'v1.33.0' })[0].externalPolicyLocal).toBe(true);
  });
  it('defaults ClientIP affinity to 10800 seconds and reads the topology annotation', () => {
    const [p] = buildServicePorts(
      [base({ clusterIP: '10.0.0.1', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }, { metadata: { name: 'svc', namespace: 'ns', annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } } })],
      { ipFamily: 'IPv4' },
    );
    expect(p.sessionAffinityClientIP).toBe(true);
    expect(p.stickyMaxAgeSeconds).toBe(10800);
    expect(p.hintsAnnotation).toBe('Auto');
  });
});
