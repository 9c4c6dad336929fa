// Proxier behaviour the conformance vectors do not pin (they all use ClusterCIDR or no detector,
// at most one nodePortAddresses match, and fewer than 1000 endpoints).
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../k8s/types.ts';
import type { ProxierConfig } from '../config.ts';
import { generateIptablesRestore, syncIptables } from './proxier.ts';

const svc = (spec: Partial<Service['spec']> = {}): Service => ({
  metadata: { name: 'web', namespace: 'ns' },
  spec: { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP', ...(spec.type === 'NodePort' ? { nodePort: 30080 } : {}) }], ...spec },
});
const slice = (ips: string[], nodes: string[] = []): EndpointSlice => ({
  metadata: { name: 'web-1', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: ips.map((ip, i) => ({ addresses: [ip], ...(nodes[i] ? { nodeName: nodes[i] } : {}) })),
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});
const gen = (s: Service, e: EndpointSlice[], c: Partial<ProxierConfig> = {}) => generateIptablesRestore([s], e, { nodeName: 'n1', ...c });

describe('local traffic detectors', () => {
  it('bridge interface: ! -i for masquerade, -i for the pod short-circuit', () => {
    const out = gen(svc({ type: 'NodePort', externalTrafficPolicy: 'Local' }), [slice(['10.0.0.1'], ['n1'])], { localDetector: { mode: 'BridgeInterface', interface: 'cbr0' } });
    expect(out).toContain('--dport 80 ! -i cbr0 -j KUBE-MARK-MASQ\n');
    expect(out).toContain('external destinations" -i cbr0 -j KUBE-SVC-');
  });
  it('interface prefix: the prefix with a trailing +', () => {
    const out = gen(svc(), [slice(['10.0.0.1'])], { localDetector: { mode: 'InterfaceNamePrefix', interfacePrefix: 'veth' } });
    expect(out).toContain('--dport 80 ! -i veth+ -j KUBE-MARK-MASQ\n');
  });
  it('a cluster CIDR of the other family is the no-op detector', () => {
    const out = gen(svc(), [slice(['10.0.0.1'])], { localDetector: { mode: 'ClusterCIDR', clusterCIDR: 'fd00::/48' } });
    expect(out.split('\n').filter((l) => l.startsWith('-A KUBE-SVC-') && l.endsWith('-j KUBE-MARK-MASQ'))).toEqual([]);
  });
  it('masqueradeAll wins over the detector', () => {
    const out = gen(svc(), [slice(['10.0.0.1'])], { masqueradeAll: true });
    expect(out).toContain('--dport 80 -j KUBE-MARK-MASQ\n');
    expect(out).not.toContain('! -s 10.244.0.0/16');
  });
});

describe('nodePortAddresses', () => {
  const ifaces = [
    { name: 'lo', addresses: ['127.0.0.1/8', '::1/128'] },
    { name: 'eth0', addresses: ['192.168.0.2/24', '192.168.1.2/24'] },
  ];
  it('writes one dispatch rule per matching node address, in interface order', () => {
    const out = gen(svc({ type: 'NodePort' }), [slice(['10.0.0.1'])], { nodeInterfaces: ifaces, nodePortAddresses: ['192.168.0.0/16', '127.0.0.0/8'] });
    const lines = out.split('\n').filter((l) => l.includes('must be the last rule'));
    expect(lines.map((l) => l.split(' -d ')[1])).toEqual(['127.0.0.1 -j KUBE-NODEPORTS', '192.168.0.2 -j KUBE-NODEPORTS', '192.168.1.2 -j KUBE-NODEPORTS']);
  });
  it('skips loopback when localhost NodePorts are off, and treats 0.0.0.0/0 as all', () => {
    const off = gen(svc({ type: 'NodePort' }), [slice(['10.0.0.1'])], { nodeInterfaces: ifaces, nodePortAddresses: ['127.0.0.0/8'], localhostNodePorts: false });
    expect(off).not.toContain('must be the last rule');
    const all = gen(svc({ type: 'NodePort' }), [slice(['10.0.0.1'])], { nodeInterfaces: ifaces, nodePortAddresses: ['0.0.0.0/0'] });
    expect(all).toContain('-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n');
  });
});

describe('version switches', () => {
  it('conntrackTCPBeLiberal drops the INVALID rule only in versions that have the switch', () => {
    expect(gen(svc(), [], { kubeProxyVersion: 'master@x', conntrackTCPBeLiberal: true })).not.toContain('INVALID');
    expect(gen(svc(), [], { kubeProxyVersion: 'v1.28.0', conntrackTCPBeLiberal: true })).toContain('--ctstate INVALID -j DROP');
  });
  it('topologyKeys (1.20) without a matching endpoint rejects in the filter table', () => {
    const s = svc({ topologyKeys: ['kubernetes.io/hostname'] });
    const out = gen(s, [slice(['10.0.0.1', '10.0.0.2'], ['n2', 'n3'])], { kubeProxyVersion: 'v1.20.15' });
    expect(out).toContain('-A KUBE-SERVICES -m comment --comment "ns/web:http has no endpoints" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j REJECT\n');
    expect(out).not.toContain('KUBE-SVC-');
    const here = gen(s, [slice(['10.0.0.1', '10.0.0.2'], ['n1', 'n3'])], { kubeProxyVersion: 'v1.20.15' });
    expect(here).toContain('"ns/web:http -> 10.0.0.1:8080" -j KUBE-SEP-');
    expect(here).not.toContain('10.0.0.2:8080');
  });
});

describe('diagnostics', () => {
  it('warns that releases before v1.28 get the v1.28 rule layout', () => {
    expect(syncIptables([svc()], [], { kubeProxyVersion: 'v1.20.15' }).diagnostics.map((d) => d.code)).toEqual(['iptables-layout-newer-than-version']);
    expect(syncIptables([svc()], [], { kubeProxyVersion: 'v1.28.0' }).diagnostics).toEqual([]);
    expect(syncIptables([svc()], [], { kubeProxyVersion: 'master@abc' }).diagnostics).toEqual([]);
  });
});

describe('scale', () => {
  it('prints Go-rounded probabilities (n=2048) and drops SVC/SEP comments past 1000 endpoints', () => {
    const ips = Array.from({ length: 2048 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
    const sync = syncIptables([svc()], [slice(ips)], { nodeName: 'n1' });
    const nat = sync.tables[1].rules;
    expect(sync.largeClusterMode).toBe(true);
    expect(nat.find((r) => r.startsWith('-A KUBE-SVC-') && r.includes('--probability'))).toMatch(/^-A KUBE-SVC-\S+ -m statistic --mode random --probability 0\.0004882812 -j KUBE-SEP-/);
    expect(nat.filter((r) => r.startsWith('-A KUBE-SEP-'))[0]).toMatch(/^-A KUBE-SEP-\S+ -s 10\.1\.0\.0 -j KUBE-MARK-MASQ$/);
    expect(nat.some((r) => r.startsWith('-A KUBE-SERVICES') && r.includes('"ns/web:http cluster IP"'))).toBe(true);
  });
  it('keeps comments at exactly the threshold', () => {
    const sync = syncIptables([svc()], [slice(['10.0.0.1', '10.0.0.2'])], { nodeName: 'n1', largeClusterEndpointsThreshold: 2 });
    expect(sync.largeClusterMode).toBe(false);
    expect(syncIptables([svc()], [slice(['10.0.0.1', '10.0.0.2'])], { nodeName: 'n1', largeClusterEndpointsThreshold: 1 }).largeClusterMode).toBe(true);
  });
});
