// Every diagnostic the manifest stage emits carries a catalogued i18n key and the params listed for it.
import { describe, expect, it } from 'vitest';
import { MANIFEST_DIAGNOSTIC_KEYS } from './diagnostic-keys.ts';
import { parseManifests } from './parse.ts';
import { serviceYaml } from './testkit.ts';

const CORPUS: [string, object?][] = [
  [serviceYaml('ports:\n- port: 0\n  protocol: HTTP\n- port: 0\n  nodePort: 5')],
  [serviceYaml('ports:\n- port: "x"')],
  [serviceYaml('prots: []')],
  [serviceYaml('topologyKeys: ["*"]\nports: [{port: 80}]')],
  [serviceYaml('trafficDistribution: PreferClose\nports: [{port: 80}]')],
  [serviceYaml('ports: [{port: 80}]') + '---\n' + serviceYaml('ports: [{port: 80}]')],
  [serviceYaml('ports:\n- port: 80\n  port: 81')],
  ['apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\napiVersion: apps/v1\nkind: Service\nmetadata: {name: x}\n---\napiVersion: v1\n---\nfoo\n'],
  ['apiVersion: discovery.k8s.io/v1beta1\nkind: EndpointSlice\nmetadata: {name: s}\naddressType: IPv4\n'],
  ['a: *nope\n'],
  ['a:\n\tb: 1\n'],
  ['a: {b\n'],
  ['x: \u0001'],
  ['['.repeat(2000)],
  ['*nat\n:KUBE-SERVICES - [0:0]\nCOMMIT\n'],
  ['Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination\n'],
  ['IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n'],
  ['table ip kube-proxy {\n  chain services {\n'],
  ['Name: KUBE-CLUSTER-IP\nType: hash:ip,port\n'],
  ['NAME   READY   STATUS\n'],
  ['name: {{ .Values.name }}\n'],
  ['```yaml\n' + serviceYaml('ports: [{port: 80}]') + '```\n'],
  ['x'.repeat(3 * 1024 * 1024 + 1)],
  ['- x\n'.repeat(200_001)],
  [serviceYaml('ports: [{port: 80}]'), { kubernetesVersion: 'latest', nodePortRange: 'x' }],
];

describe('diagnostic keys', () => {
  it('are all catalogued, with their params', () => {
    const seen = new Set<string>();
    for (const [text, opts] of CORPUS) {
      for (const d of parseManifests(text, opts).diagnostics) {
        expect(d.key, `${d.code}: ${d.message.slice(0, 80)}`).toBeDefined();
        const params = (MANIFEST_DIAGNOSTIC_KEYS as Record<string, readonly string[]>)[d.key!];
        expect(params, `uncatalogued key ${d.key}`).toBeDefined();
        const required = params!.filter((p) => !p.endsWith('?'));
        for (const p of required) expect(d.params?.[p], `${d.key} lacks param ${p}`).toBeDefined();
        seen.add(d.key!);
      }
    }
    // the corpus exercises most of the catalogue
    expect(seen.size).toBeGreaterThanOrEqual(25);
  });
});
