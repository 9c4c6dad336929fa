// `svcpath trace` through a fake io: a dump, a generated node from YAML, names, samples, errors.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './trace.ts';
import { fakeIo } from '../fake-io.ts';

const fixtures = join(new URL('.', import.meta.url).pathname, '../../engine/netfilter/fixtures');
const DUMP = readFileSync(join(fixtures, 'save-node-v128.save'), 'utf8');
const CONFIG = JSON.stringify({ nodeIP: '192.168.0.2', nodeInterfaces: [{ name: 'lo', addresses: ['127.0.0.1/8'] }, { name: 'eth0', addresses: ['192.168.0.2/24'] }], localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.0.0.0/8' } });
const YAML = `apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec:
  clusterIP: 172.30.0.41
  ports: [{name: p80, port: 80, protocol: TCP, targetPort: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: svc1-abc
  namespace: ns1
  labels: {kubernetes.io/service-name: svc1}
addressType: IPv4
endpoints:
- addresses: [10.180.0.1]
- addresses: [10.180.0.2]
ports: [{name: p80, port: 80, protocol: TCP}]
`;

describe('svcpath trace', () => {
  it('from YAML, says which endpoints were eligible and why (JSON `eligibility`, text section)', async () => {
    const { findScenario } = await import('../../engine/scenario/scenarios.ts');
    const s = findScenario('etp-local')!;
    const io = fakeIo({ 'c.yaml': s.yaml });
    expect(await run(['c.yaml', '--node', 'k8s-master', '--src', '203.0.113.10:40000', '--dst', s.packet.dst, '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.eligibility.service).toBe('default/nginx-basic:http');
    expect(j.eligibility.externalPolicy).toBe('Local');
    const local = j.eligibility.endpoints.filter((e: { localPolicy: boolean }) => e.localPolicy).map((e: { address: string }) => e.address);
    expect(local).toEqual([j.outcome.dnat]);
    expect(j.eligibility.steps.map((x: { text: string }) => x.text).join(' ')).toMatch(/externalTrafficPolicy Local: traffic from outside goes only to endpoints on k8s-master/);
    const text = fakeIo({ 'c.yaml': s.yaml });
    expect(await run(['c.yaml', '--node', 'k8s-master', '--src', '203.0.113.10:40000', '--dst', s.packet.dst], text)).toBe(0);
    expect(text.out.join('')).toMatch(/eligible endpoints for default\/nginx-basic:http \(internalTrafficPolicy Cluster, externalTrafficPolicy Local\)/);
    // a dump has no cluster to tell: no eligibility
    const dump = fakeIo({ 'dump.txt': DUMP, 'node.json': CONFIG });
    expect(await run(['dump.txt', '--src', '10.0.0.2', '--dst', '10.96.120.33:80', '--config', 'node.json', '--format', 'json'], dump)).toBe(0);
    expect(JSON.parse(dump.out.join('')).eligibility).toBeNull();
  });

  it('follows the reply back through conntrack (JSON `reply`, text "reply:")', async () => {
    const io = fakeIo({ 'dump.txt': DUMP, 'node.json': CONFIG });
    expect(await run(['dump.txt', '--src', '10.0.0.2:41000', '--dst', '10.96.120.33:80', '--config', 'node.json', '--format', 'json', '--seed', '3'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    // masqueraded here (the hairpin/cluster-CIDR rules of this dump), so the answer goes to the node first
    expect(j.outcome.masquerade).toBe(true);
    expect(j.reply.packet).toEqual({ src: j.outcome.dnat, dst: '192.168.0.2:41000', proto: 'tcp' });
    expect(j.reply.events.some((e: { reason: string }) => /destination back to the client 10\.0\.0\.2/.test(e.reason))).toBe(true);
    expect(j.reply.events[0].reason).toMatch(/reply direction/);
    expect(j.reply.events.some((e: { reason: string }) => /un-NATs the reply: source back to 10\.96\.120\.33:80/.test(e.reason))).toBe(true);
    expect(j.reply.outcome).toEqual({ verdict: 'ACCEPT', src: '10.96.120.33:80', dst: '10.0.0.2:41000' });
    const text = fakeIo({ 'dump.txt': DUMP, 'node.json': CONFIG });
    expect(await run(['dump.txt', '--src', '10.0.0.2:41000', '--dst', '10.96.120.33:80', '--config', 'node.json', '--seed', '3'], text)).toBe(0);
    expect(text.out.join('')).toMatch(/reply outcome: ACCEPT, the client sees 10\.96\.120\.33:80 -> 10\.0\.0\.2:41000/);
  });

  it('traces a packet through a dump and prints the contract JSON', async () => {
    const io = fakeIo({ 'dump.txt': DUMP, 'node.json': CONFIG });
    expect(await run(['dump.txt', '--src', '10.0.0.2', '--dst', '10.96.120.33:80', '--config', 'node.json', '--format', 'json', '--seed', '3'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.packet).toEqual({ src: '10.0.0.2', dst: '10.96.120.33:80', proto: 'tcp' });
    expect(j.events[1]).toMatchObject({ hook: 'PREROUTING', table: 'nat', chain: 'PREROUTING' });
    const jump = j.events.find((e: { chain: string; matched: boolean }) => e.chain === 'KUBE-SERVICES' && e.matched);
    expect(jump).toMatchObject({ hook: 'PREROUTING', table: 'nat', rule: 2, line: 71, matched: true, action: 'jump KUBE-SVC-QR2CZ6UTPXLAPE7M' });
    expect(['10.244.1.17:8080', '10.244.2.9:8080']).toContain(j.outcome.dnat);
    expect(j.outcome).toMatchObject({ verdict: 'ACCEPT', masquerade: true });
    expect(j.outcomes).toEqual([
      { verdict: 'ACCEPT', dnat: '10.244.1.17:8080', masquerade: true, probability: 0.5 },
      { verdict: 'ACCEPT', dnat: '10.244.2.9:8080', masquerade: true, probability: 0.5 },
    ]);
  });

  it('resolves NAME.NAMESPACE:PORT, rejects a Service without endpoints, samples with a seed', async () => {
    const io = fakeIo({ 'dump.txt': DUMP, 'node.json': CONFIG });
    expect(await run(['dump.txt', '--src', '10.244.1.9', '--dst', 'legacy-api.shop.svc.cluster.local:8080', '--config', 'node.json', '--samples', '50'], io)).toBe(0);
    const text = io.out.join('');
    expect(text).toContain('legacy-api.shop.svc.cluster.local:8080 is shop/legacy-api:http at 10.96.14.7:8080');
    expect(text).toContain('outcome: REJECT');
    expect(text).toMatch(/50 sampled connections:\n\s+50\s+100\.00%\s+REJECT/);
  });

  it('generates the node rules from YAML first', async () => {
    const io = fakeIo({ 'svc.yaml': YAML, 'node.json': CONFIG });
    expect(await run(['svc.yaml', '--dst', 'svc1.ns1:80', '--src', '10.0.0.7', '--config', 'node.json', '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.source).toBe('generated');
    expect(j.outcomes.map((o: { dnat: string; probability: number }) => [o.dnat, o.probability])).toEqual([['10.180.0.1:80', 0.5], ['10.180.0.2:80', 0.5]]);
  });

  it('--mode ipvs: the same evaluator through kube-ipvs0, the ipsets and IPVS; rr gives each real server an equal share', async () => {
    const io = fakeIo({ 'svc.yaml': YAML, 'node.json': CONFIG });
    expect(await run(['svc.yaml', '--mode', 'ipvs', '--dst', 'svc1.ns1:80', '--src', '10.0.0.7', '--config', 'node.json', '--format', 'json', '--samples', '400', '--seed', '9'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.source).toBe('generated');
    const ipvsEv = j.events.find((e: { kind: string }) => e.kind === 'ipvs');
    expect(ipvsEv.hook).toBeNull();
    expect(ipvsEv.reason).toContain('IPVS at LOCAL_IN chose real server');
    // PREROUTING consults ipsets, not a chain per Service
    expect(j.events.some((e: { chain: string; matched: boolean }) => e.chain === 'KUBE-SERVICES' && e.matched)).toBe(true);
    expect(j.outcomes.map((o: { dnat: string; probability: number }) => [o.dnat, o.probability])).toEqual([['10.180.0.1:80', 0.5], ['10.180.0.2:80', 0.5]]);
    expect(j.ipvs).toMatchObject({ virtualServer: 'TCP 172.30.0.41:80', scheduler: 'rr', sharesDependOn: 'shares' });
    expect(j.ipvs.realServers.map((r: { probability: number }) => r.probability)).toEqual([0.5, 0.5]);
    const counts = j.samples.counts.map((c: { count: number }) => c.count);
    expect(counts.reduce((x: number, y: number) => x + y, 0)).toBe(400);
    for (const c of counts) expect(c).toBeGreaterThan(150);
  });

  it('--mode ipvs: wrr shares follow weights; lc says the shares depend on live connections', async () => {
    const wrr = JSON.stringify({ ...JSON.parse(CONFIG), ipvsScheduler: 'wrr' });
    const io = fakeIo({ 'svc.yaml': YAML, 'node.json': wrr });
    expect(await run(['svc.yaml', '--mode', 'ipvs', '--dst', '172.30.0.41:80', '--src', '10.0.0.7', '--config', 'node.json', '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.ipvs.scheduler).toBe('wrr');
    expect(j.outcomes.map((o: { probability: number }) => o.probability)).toEqual([0.5, 0.5]);
    const lc = JSON.stringify({ ...JSON.parse(CONFIG), ipvsScheduler: 'lc' });
    const io2 = fakeIo({ 'svc.yaml': YAML, 'node.json': lc });
    expect(await run(['svc.yaml', '--mode', 'ipvs', '--dst', '172.30.0.41:80', '--src', '10.0.0.7', '--config', 'node.json'], io2)).toBe(0);
    const text = io2.out.join('');
    expect(text).toContain('depends on the live connection counts');
    expect(text).toMatch(/100\.0000%\s+ACCEPT to 10\.180\.0\.[12]:80/);
  });

  it('--mode ipvs: a Service without endpoints is answered by IPVS with ICMP port unreachable', async () => {
    const lonely = YAML.split('---')[0]!;
    const io = fakeIo({ 'svc.yaml': lonely, 'node.json': CONFIG });
    expect(await run(['svc.yaml', '--mode', 'ipvs', '--dst', '172.30.0.41:80', '--src', '10.0.0.7', '--config', 'node.json', '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.outcome.verdict).toBe('REJECT');
    expect(j.outcomes).toEqual([{ verdict: 'REJECT', dnat: null, masquerade: false, probability: 1 }]);
    expect(j.events.find((e: { kind: string }) => e.kind === 'ipvs').reason).toContain('ICMP port unreachable');
  });

  it('YAML goes through the pipeline: a Deployment\'s pods become the endpoints, names resolve through the simulated cluster', async () => {
    const app = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`;
    for (const mode of ['iptables', 'ipvs']) {
      const io = fakeIo({ 'app.yaml': app });
      expect(await run(['app.yaml', '--mode', mode, '--dst', 'web.shop:80', '--src', '10.0.0.7', '--format', 'json'], io)).toBe(0);
      const j = JSON.parse(io.out.join(''));
      expect(j.notes.some((n: string) => /^web\.shop:80 is shop\/web:http at \d+\.\d+\.\d+\.\d+:80$/.test(n))).toBe(true);
      expect(j.outcomes).toHaveLength(3);
      for (const o of j.outcomes) {
        expect(o.dnat).toMatch(/:8080$/);
        expect(o.probability).toBeCloseTo(1 / 3, 9);
      }
    }
    expect(await run(['app.yaml', '--mode', 'nftables', '--dst', 'web.shop:80'], fakeIo({ 'app.yaml': app }))).toBe(1);
  });

  it('starts at OUTPUT for a source that is one of the node\'s addresses', async () => {
    const io = fakeIo({ 'dump.txt': DUMP, 'node.json': CONFIG });
    expect(await run(['dump.txt', '--src', '192.168.0.2', '--dst', '10.96.0.1:443', '--config', 'node.json', '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.events.find((e: { kind: string }) => e.kind === 'hook').hook).toBe('OUTPUT');
  });

  it('exit codes: 2 usage, 1 unreadable or unknown names', async () => {
    expect(await run(['dump.txt'], fakeIo({ 'dump.txt': DUMP }))).toBe(2);
    expect(await run(['dump.txt', '--dst', '10.0.0.1'], fakeIo({ 'dump.txt': DUMP }))).toBe(2);
    expect(await run(['dump.txt', '--dst', '10.0.0.1:80', '--proto', 'icmp'], fakeIo({ 'dump.txt': DUMP }))).toBe(2);
    expect(await run(['nope.txt', '--dst', '10.0.0.1:80'], fakeIo({}))).toBe(1);
    const io = fakeIo({ 'dump.txt': DUMP });
    expect(await run(['dump.txt', '--dst', 'nothere.shop:80'], io)).toBe(1);
    expect(io.err.join('')).toContain('no Service shop/nothere');
    expect(await run(['dump.txt', '--dst', '10.0.0.1:80', '--config', 'bad.json'], fakeIo({ 'dump.txt': DUMP, 'bad.json': '{' }))).toBe(1);
  });

  it('traces IPv6 destinations written as [IP]:PORT', async () => {
    const v6 = readFileSync(join(fixtures, 'save-ipv6.save'), 'utf8');
    const io = fakeIo({ 'v6.txt': v6 });
    expect(await run(['v6.txt', '--src', 'fd00:10:244:3::7', '--dst', '[fd00:10:96::2a]:7000', '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.outcomes.map((o: { dnat: string }) => o.dnat)).toEqual(['[fd00:10:244:1::5]:7000', '[fd00:10:244:2::9]:7000']);
  });
});
