import { describe, expect, it } from 'vitest';
import { simulateCluster } from './index.ts';
import { renderStringList } from './services.ts';
import { input, obj, service } from './builders.ts';

// A positionOf that knows a few paths, as the manifest stage's would.
const at = (lines: Record<string, number>) => (path: string) => {
  if (!(path in lines)) throw new Error(`unknown path ${path}`);
  return { line: lines[path], col: 3 };
};

describe('ClusterIP allocation', () => {
  it('honours a requested IP and allocates others from the dynamic band, in input order', () => {
    const s = simulateCluster(
      input(obj(service('a', { ports: [{ port: 80 }], selector: { app: 'a' } })), obj(service('dns', { clusterIP: '10.96.0.10', ports: [{ port: 53 }] }))),
      { seed: 1 },
    );
    const [a, dns] = s.services;
    expect(dns.spec.clusterIP).toBe('10.96.0.10');
    expect(dns.spec.clusterIPs).toEqual(['10.96.0.10']);
    // dynamic band of 10.96.0.0/12 starts at 10.96.1.1
    const [, second, third, fourth] = (a.spec.clusterIP as string).split('.').map(Number);
    expect(second).toBeGreaterThanOrEqual(96);
    expect(second).toBeLessThanOrEqual(111);
    expect(second > 96 || third > 1 || (third === 1 && fourth >= 1)).toBe(true);
    expect(a.spec.ipFamilies).toEqual(['IPv4']);
    expect(a.spec.ipFamilyPolicy).toBe('SingleStack');
    expect(s.serviceCIDR).toBe('10.96.0.0/12');
  });

  it('refuses a taken IP with the API server message at the field line, and drops the Service', () => {
    const s = simulateCluster(
      input(
        obj(service('one', { clusterIP: '10.96.0.10', ports: [{ port: 53 }] })),
        obj(service('two', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 53 }] }), at({ 'spec.clusterIPs': 9, spec: 7 })),
      ),
    );
    expect(s.services.map((x) => x.metadata.name)).toEqual(['one']);
    expect(s.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 9,
        col: 3,
        message: 'The Service "two" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated',
      }),
    ]);
  });

  it('refuses an out-of-range IP, naming the range; falls back to an ancestor path for the line', () => {
    const s = simulateCluster(input(obj(service('x', { clusterIP: '192.168.0.10', ports: [{ port: 80 }] }), at({ spec: 4 }))));
    expect(s.services).toEqual([]);
    expect(s.diagnostics[0].message).toBe(
      'The Service "x" is invalid: spec.clusterIPs: Invalid value: ["192.168.0.10"]: failed to allocate IP 192.168.0.10: the provided IP (192.168.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    expect(s.diagnostics[0].line).toBe(4);
  });

  it('points at spec.clusterIP when spec.clusterIPs was only filled in by defaulting', () => {
    // a positionOf that falls back to the parent (line 5) for paths not in the text
    const pos = (path: string) => (path === 'spec.clusterIP' ? { line: 7, col: 3 } : { line: 5, col: 1 });
    const s = simulateCluster(input(obj(service('x', { clusterIP: '192.168.0.10', ports: [{ port: 80 }] }), pos)));
    expect([s.diagnostics[0].line, s.diagnostics[0].col]).toEqual([7, 3]);
  });

  it('renders the value as Go syntax before 1.34', () => {
    const s = simulateCluster(input(obj(service('x', { clusterIP: '192.168.0.10', ports: [{ port: 80 }] }))), { kubernetesVersion: '1.33' });
    expect(s.diagnostics[0].message).toMatch(/^The Service "x" is invalid: spec\.clusterIPs: Invalid value: \[\]string\{"192\.168\.0\.10"\}: failed to allocate IP/);
    expect(renderStringList(['a', 'b'], 35)).toBe('["a","b"]');
    expect(renderStringList(['a', 'b'], 30)).toBe('[]string{"a", "b"}');
  });

  it('keeps the first IP for the kubernetes Service, and can simulate that Service', () => {
    const taken = simulateCluster(input(obj(service('x', { clusterIP: '10.96.0.1', ports: [{ port: 80 }] }))));
    expect(taken.diagnostics[0].message).toContain('failed to allocate IP 10.96.0.1: provided IP is already allocated');
    const withK = simulateCluster(input(obj(service('x', { ports: [{ port: 80 }] }))), { kubernetesService: true });
    const k = withK.services.find((x) => x.metadata.name === 'kubernetes');
    expect(k?.spec.clusterIP).toBe('10.96.0.1');
    expect(withK.endpointSlices.find((x) => x.metadata.name === 'kubernetes')?.endpoints?.[0].addresses).toEqual(['192.168.0.2']);
    // adding it moves no user allocation: separate RNG streams, no draw for a fixed IP
    const without = simulateCluster(input(obj(service('x', { ports: [{ port: 80 }] }))));
    expect(withK.services.find((x) => x.metadata.name === 'x')?.spec.clusterIP).toBe(without.services[0].spec.clusterIP);
  });

  it('clusterIP and clusterIPs must agree; None only alone', () => {
    const s = simulateCluster(
      input(
        obj(service('a', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.21'], ports: [{ port: 80 }] })),
        obj(service('b', { clusterIPs: ['None', '10.96.0.22'], ports: [{ port: 80 }] })),
        obj(service('c', { clusterIPs: ['10.96.0.23'], ports: [{ port: 80 }] })),
      ),
    );
    expect(s.diagnostics.map((d) => d.message)).toEqual([
      'The Service "a" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.21"]: first value must match `clusterIP`',
      `The Service "b" is invalid: spec.clusterIPs: Invalid value: ["None","10.96.0.22"]: 'None' must be the first and only value`,
    ]);
    expect(s.services.map((x) => [x.metadata.name, x.spec.clusterIP])).toEqual([['c', '10.96.0.23']]);
  });

  it('skips objects the manifest stage marked invalid or ignored', () => {
    const s = simulateCluster({
      objects: [
        { ...obj(service('bad', { clusterIP: '10.96.0.30', ports: [{ port: 80 }] })), invalid: true },
        { ...obj(service('meh', { ports: [{ port: 80 }] })), ignored: true },
        obj(service('ok', { clusterIP: '10.96.0.30', ports: [{ port: 80 }] })),
      ],
    });
    expect(s.services.map((x) => x.metadata.name)).toEqual(['ok']);
    expect(s.diagnostics).toEqual([]);
  });

  it('allocates nothing for headless and ExternalName Services', () => {
    const s = simulateCluster(
      input(
        obj(service('h', { clusterIP: 'None', selector: { app: 'h' }, ports: [{ port: 80 }] })),
        obj(service('e', { type: 'ExternalName', externalName: 'db.example.com' })),
      ),
    );
    expect(s.services[0].spec.clusterIPs).toEqual(['None']);
    expect(s.services[1].spec.clusterIP).toBeUndefined();
    expect(s.services[1].spec.ipFamilies).toBeUndefined();
  });

  it('RequireDualStack on a single-stack cluster is refused; dual-stack clusters give two IPs', () => {
    const single = simulateCluster(input(obj(service('d', { ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] }))));
    expect(single.diagnostics[0].message).toBe(
      'The Service "d" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
    const dual = simulateCluster(input(obj(service('d', { ipFamilyPolicy: 'PreferDualStack', ports: [{ port: 80 }] }))), {
      serviceClusterIPRange: '10.96.0.0/16,fd00:10:96::/112',
    });
    expect(dual.services[0].spec.ipFamilies).toEqual(['IPv4', 'IPv6']);
    expect(dual.services[0].spec.clusterIPs?.[1]).toMatch(/^fd00:10:96::/);
  });
});

describe('NodePort and healthCheckNodePort allocation', () => {
  it('allocates from the dynamic band; ports with the same number share one nodePort', () => {
    const s = simulateCluster(
      input(
        obj(
          service('dns', {
            type: 'NodePort',
            ports: [
              { name: 'dns', port: 53, protocol: 'UDP' },
              { name: 'dns-tcp', port: 53, protocol: 'TCP' },
              { name: 'metrics', port: 9153 },
            ],
          }),
        ),
      ),
    );
    const [u, t, m] = s.services[0].spec.ports ?? [];
    expect(u.nodePort).toBe(t.nodePort);
    expect(m.nodePort).not.toBe(u.nodePort);
    for (const p of [u, m]) {
      expect(p.nodePort).toBeGreaterThanOrEqual(30086);
      expect(p.nodePort).toBeLessThanOrEqual(32767);
    }
    expect(s.services[0].spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('refuses out-of-range and taken nodePorts with the exact texts, and rolls back the ClusterIP', () => {
    const s = simulateCluster(
      input(
        obj(service('a', { type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ port: 80, nodePort: 30080 }] })),
        obj(service('b', { type: 'NodePort', clusterIP: '10.96.0.21', ports: [{ name: 'x', port: 81 }, { name: 'y', port: 82, nodePort: 30080 }] }), at({ 'spec.ports[1].nodePort': 12 })),
        obj(service('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })),
        obj(service('d', { clusterIP: '10.96.0.21', ports: [{ port: 80 }] })),
      ),
    );
    expect(s.diagnostics.map((d) => d.message)).toEqual([
      'The Service "b" is invalid: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated',
      'The Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]);
    expect(s.diagnostics[0].line).toBe(12);
    // b's ClusterIP was released when its nodePort failed, so d can take it
    expect(s.services.map((x) => x.metadata.name)).toEqual(['a', 'd']);
  });

  it('gives LoadBalancer + eTP Local a healthCheckNodePort, an ingress IP from the pool, honours allocateLoadBalancerNodePorts=false', () => {
    const s = simulateCluster(
      input(
        obj(service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] })),
        obj(service('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] })),
        obj(service('lb3', { type: 'LoadBalancer', loadBalancerClass: 'example.com/other', ports: [{ port: 80 }] })),
      ),
    );
    const [lb, lb2, lb3] = s.services;
    expect(lb.spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.spec.healthCheckNodePort).not.toBe(lb.spec.ports?.[0].nodePort);
    expect(lb.status?.loadBalancer?.ingress).toEqual([{ ip: '203.0.113.1', ipMode: 'VIP' }]);
    expect(lb2.spec.ports?.[0].nodePort).toBeUndefined();
    expect(lb2.spec.healthCheckNodePort).toBeUndefined();
    expect(lb2.status?.loadBalancer?.ingress?.[0].ip).toBe('203.0.113.2');
    expect(lb3.status?.loadBalancer?.ingress).toBeUndefined();
    const old = simulateCluster(input(obj(service('lb', { type: 'LoadBalancer', ports: [{ port: 80 }] }))), { kubernetesVersion: '1.29' });
    expect(old.services[0].status?.loadBalancer?.ingress).toEqual([{ ip: '203.0.113.1' }]);
    const noCloud = simulateCluster(input(obj(service('lb', { type: 'LoadBalancer', ports: [{ port: 80 }] }))), { loadBalancerPool: null });
    expect(noCloud.services[0].status?.loadBalancer?.ingress).toBeUndefined();
  });

  it('a taken healthCheckNodePort is an internal error', () => {
    const s = simulateCluster(
      input(
        obj(service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30111 }] })),
        obj(service('b', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30111, ports: [{ port: 80 }] })),
      ),
    );
    expect(s.diagnostics[0].message).toBe(
      'Internal error occurred: failed to allocate requested HealthCheck NodePort 30111: provided port is already allocated',
    );
  });

  it("allocation 'none' takes Services exactly as given (kube-proxy test inputs)", () => {
    const given = service('svc2', {
      type: 'LoadBalancer',
      clusterIP: '172.30.0.42',
      ports: [{ name: 'p80', protocol: 'TCP', port: 80, nodePort: 3001 }],
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 30000,
    }, { namespace: 'ns2' });
    const s = simulateCluster(input(obj(given)), { allocation: 'none' });
    expect(s.diagnostics).toEqual([]);
    expect(s.services[0]).toEqual({ ...given, metadata: { ...given.metadata, uid: s.services[0].metadata.uid } });
  });
});
