// `svcpath trace` through a fake io: a dump, a generated node from YAML, names, samples, errors.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../io.ts';
import { run } from './trace.ts';

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

function fakeIo(files: Record<string, string>): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out, err,
    stdin: async () => '',
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    readFile: (p) => {
      if (!(p in files)) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
      return files[p]!;
    },
  };
}

describe('svcpath trace', () => {
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
