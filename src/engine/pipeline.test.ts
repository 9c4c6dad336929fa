// The whole pipeline (manifest -> cluster -> proxier), not just the proxier, must reproduce
// kube-proxy's vectors when objects are taken as given, and the seed's scenario when simulated.
import { describe, expect, it } from 'vitest';
import { readVectorFile, vectorFolders } from './testing/conformance.ts';
import type { ProxierConfig } from './proxy/config.ts';
import { normalizeRestore } from './proxy/iptables/normalize.ts';
import { runPipeline } from './pipeline.ts';

const FAMILY = 'kube-proxy-iptables';
const folders = vectorFolders(FAMILY).filter(
  (f) => (f.startsWith('v1.28-') && f !== 'v1.28-sync-repeated-steps') || ['overall-iptables-rules', 'bad-ips-normalized', 'sync-repeated-initial'].includes(f),
);

describe.skipIf(folders.length === 0)('runPipeline reproduces the iptables vectors (objects as given)', () => {
  for (const folder of folders) {
    it(folder, () => {
      const config = JSON.parse(readVectorFile(FAMILY, folder, 'config.json')!) as ProxierConfig;
      const yaml = readVectorFile(FAMILY, folder, 'input.yaml')!;
      const expected = readVectorFile(FAMILY, folder, 'expected.iptables')!;
      const r = runPipeline({ yaml, mode: 'iptables', config, asGiven: true });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.dataplane?.node).toBe(config.nodeName);
      expect(normalizeRestore(r.dataplane!.iptables!.restore)).toBe(expected);
    });
  }
});

const NGINX = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: nginx-basic
spec:
  type: ClusterIP
  ports:
    - port: 80
      protocol: TCP
      name: http
  selector:
    app: nginx
`;

describe('runPipeline on the seed nginx example (simulated cluster)', () => {
  it('creates three pods, one endpoint each, and the seed chain name with its 1/3, 1/2, rest cascade', () => {
    const r = runPipeline({ yaml: NGINX, mode: 'iptables' });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.cluster!.pods).toHaveLength(3);
    const save = r.dataplane!.iptables!.save;
    const svc = save.split('\n').filter((l) => l.startsWith('-A KUBE-SVC-WWRFY3PZ7W3FGMQW ') && l.includes('KUBE-SEP-'));
    expect(svc).toHaveLength(3);
    expect(svc[0]).toContain('--probability 0.33333333349');
    expect(svc[1]).toContain('--probability 0.50000000000');
    expect(svc[2]).not.toContain('--probability');
  });
  it('is deterministic for a seed and changes pod names with another seed', () => {
    const a = runPipeline({ yaml: NGINX, mode: 'iptables', cluster: { seed: 7 } });
    const b = runPipeline({ yaml: NGINX, mode: 'iptables', cluster: { seed: 7 } });
    const c = runPipeline({ yaml: NGINX, mode: 'iptables', cluster: { seed: 8 } });
    expect(a.dataplane!.iptables!.save).toBe(b.dataplane!.iptables!.save);
    expect(a.cluster!.pods.map((p) => p.metadata.name)).not.toEqual(c.cluster!.pods.map((p) => p.metadata.name));
  });
  it('renders IPVS mode for the same input: one virtual server with three real servers', () => {
    const r = runPipeline({ yaml: NGINX, mode: 'ipvs' });
    const vs = r.dataplane!.ipvs!.virtualServers.filter((v) => v.port === 80);
    expect(vs).toHaveLength(1);
    expect(vs[0]!.realServers).toHaveLength(3);
    expect(r.dataplane!.iptables!.save).toContain('KUBE-CLUSTER-IP');
  });
  it('reports a validation error at its line and still renders the rest', () => {
    const bad = NGINX.replace('- port: 80', '- port: 0');
    const r = runPipeline({ yaml: bad, mode: 'iptables' });
    const err = r.diagnostics.find((d) => d.severity === 'error');
    expect(err?.message).toContain('spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
    expect(err?.line).toBe(bad.split('\n').findIndex((l) => l.includes('- port: 0')) + 1);
    expect(r.cluster!.pods).toHaveLength(3);
  });
});
