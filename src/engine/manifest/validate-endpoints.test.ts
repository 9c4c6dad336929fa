// EndpointSlice rules (semantics.md §8.4) and Endpoints basics, exact text and line:col.
import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse.ts';
import { errorsOf, findings } from './testkit.ts';

// line 5: addressType, 6: endpoints, 7: - addresses (col 3), 8: nodeName/conditions..., then ports
function slice(body: string, apiVersion = 'discovery.k8s.io/v1'): string {
  return `apiVersion: ${apiVersion}\nkind: EndpointSlice\nmetadata:\n  name: web-abc12\n${body}\n`;
}
const EP = 'endpoints:\n- addresses: ["10.244.1.5"]';

describe('EndpointSlice rules', () => {
  it('a valid slice has no findings; port protocol and name are defaulted', () => {
    const r = parseManifests(slice(`addressType: IPv4\n${EP}\nports:\n- port: 80`));
    expect(r.diagnostics).toEqual([]);
    expect((r.objects[0]!.object as { ports: unknown[] }).ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
  });
  it('addressType is required and one of FQDN, IPv4, IPv6', () => {
    expect(errorsOf(slice(EP))).toEqual(['1:1 error required The EndpointSlice "web-abc12" is invalid: addressType: Required value']);
    expect(errorsOf(slice(`addressType: IPv5\n${EP}`))).toEqual([
      '5:1 error unsupported-value The EndpointSlice "web-abc12" is invalid: addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"',
    ]);
  });
  it('each endpoint needs at least one address', () => {
    expect(errorsOf(slice('addressType: IPv4\nendpoints:\n- addresses: []'))).toEqual([
      '7:3 error required The EndpointSlice "web-abc12" is invalid: endpoints[0].addresses: Required value: must contain at least 1 address',
    ]);
  });
  it('at most 100 addresses per endpoint', () => {
    const many = Array.from({ length: 101 }, (_, i) => `"10.0.${i >> 8}.${(i % 250) + 1}"`).join(', ');
    expect(errorsOf(slice(`addressType: IPv4\nendpoints:\n- addresses: [${many}]`))).toEqual([
      '7:3 error too-many The EndpointSlice "web-abc12" is invalid: endpoints[0].addresses: Too many: 101: must have at most 100 items',
    ]);
  });
  it('addresses must be valid for the address type and not special', () => {
    expect(errorsOf(slice('addressType: IPv4\nendpoints:\n- addresses: ["10.0.0.300", "fd00::1", "127.0.0.1"]'))).toEqual([
      '7:15 error invalid-value The EndpointSlice "web-abc12" is invalid: endpoints[0].addresses[0]: Invalid value: "10.0.0.300": must be a valid IPv4 address',
      '7:29 error invalid-value The EndpointSlice "web-abc12" is invalid: endpoints[0].addresses[1]: Invalid value: "fd00::1": must be a valid IPv4 address',
      '7:40 error invalid-value The EndpointSlice "web-abc12" is invalid: endpoints[0].addresses[2]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]);
    expect(errorsOf(slice('addressType: IPv6\nendpoints:\n- addresses: ["10.0.0.1"]'))[0]).toContain('must be a valid IPv6 address');
  });
  it('nodeName is a DNS subdomain and hostname a DNS label', () => {
    expect(errorsOf(slice('addressType: IPv4\nendpoints:\n- addresses: ["10.244.1.5"]\n  nodeName: Node_1\n  hostname: a.b'))).toEqual([
      `8:3 error invalid-value The EndpointSlice "web-abc12" is invalid: endpoints[0].nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      '9:3 error invalid-value The EndpointSlice "web-abc12" is invalid: endpoints[0].hostname: Invalid value: "a.b": must not contain dots',
    ]);
  });
  it('port names are DNS labels and unique; protocols TCP/UDP/SCTP', () => {
    expect(errorsOf(slice(`addressType: IPv4\n${EP}\nports:\n- {name: http, port: 80}\n- {name: http, port: 81, protocol: ICMP}`))).toEqual([
      '10:4 error duplicate The EndpointSlice "web-abc12" is invalid: ports[1].name: Duplicate value: "http"',
      '10:26 error unsupported-value The EndpointSlice "web-abc12" is invalid: ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ]);
  });
  it('at most 1000 endpoints', () => {
    const eps = Array.from({ length: 1001 }, (_, i) => `- addresses: ["10.1.${i >> 8}.${(i & 255) || 1}"]`).join('\n');
    expect(errorsOf(slice(`addressType: IPv4\nendpoints:\n${eps}`))).toEqual([
      '6:1 error too-many The EndpointSlice "web-abc12" is invalid: endpoints: Too many: 1001: must have at most 1000 items',
    ]);
  });
  it('FQDN addresses need two labels', () => {
    expect(errorsOf(slice('addressType: FQDN\nendpoints:\n- addresses: ["db"]'))).toEqual([
      '7:15 error invalid-value The EndpointSlice "web-abc12" is invalid: endpoints[0].addresses[0]: Invalid value: "db": should be a domain with at least two segments separated by dots',
    ]);
  });
  it('v1beta1 slices are read, with a warning under versions that no longer serve them', () => {
    const text = slice('addressType: IPv4\nendpoints:\n- addresses: ["10.244.1.5"]\n  topology: {kubernetes.io/hostname: node-1}', 'discovery.k8s.io/v1beta1');
    expect(findings(text)).toEqual([
      '1:1 warning not-served discovery.k8s.io/v1beta1 EndpointSlice is not served by Kubernetes 1.35 (served from 1.17 to 1.24); read as if it were.',
    ]);
    expect(findings(text, { kubernetesVersion: '1.20' })).toEqual([]);
  });
});

describe('Endpoints', () => {
  it('addresses must be IPs and ports valid', () => {
    const text = 'apiVersion: v1\nkind: Endpoints\nmetadata: {name: ext}\nsubsets:\n- addresses: [{ip: 192.0.2.300}]\n  ports: [{port: 0}]\n';
    expect(errorsOf(text)).toEqual([
      '5:16 error invalid-value The Endpoints "ext" is invalid: subsets[0].addresses[0].ip: Invalid value: "192.0.2.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      '6:12 error invalid-value The Endpoints "ext" is invalid: subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });
});
