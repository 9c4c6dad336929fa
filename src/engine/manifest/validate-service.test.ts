// One test per Service rule (semantics.md §8.2, §3), each with kubectl's exact text and the line:col
// of the offending field. Spec lines of serviceYaml() start at line 6, keys at column 3.
import { describe, expect, it } from 'vitest';
import { acceptedObjects } from './accepted.ts';
import { parseManifests } from './parse.ts';
import { errorsOf, findings, serviceYaml } from './testkit.ts';

const RANGES = { serviceClusterIPRange: '10.96.0.0/12', nodePortRange: '30000-32767' };
const P80 = `ports:\n- port: 80`;

describe('Service metadata', () => {
  it('names must be DNS-1035 labels (start with a letter)', () => {
    expect(errorsOf(serviceYaml(P80, '1web'))).toEqual([
      `4:3 error invalid-value The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });
  it('names are at most 63 characters', () => {
    const long = 'a'.repeat(64);
    expect(errorsOf(serviceYaml(P80, long))).toEqual([
      `4:3 error invalid-value The Service "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 63 characters`,
    ]);
  });
  it('a name or generateName is required', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  labels: {app: web}\nspec:\n  ports: [{port: 80}]\n`;
    expect(errorsOf(text)).toEqual([`3:1 error required The Service "" is invalid: metadata.name: Required value: name or generateName is required`]);
  });
  it('label values follow the label rules, reported at the map with the entry located', () => {
    expect(errorsOf(serviceYaml(P80, 'web', 'labels:\n  tier: "front end"'))).toEqual([
      `6:5 error invalid-value The Service "web" is invalid: metadata.labels: Invalid value: "front end": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
  });
  it('topology-mode and topology-aware-hints annotations must agree', () => {
    const meta = 'annotations:\n  service.kubernetes.io/topology-mode: Auto\n  service.kubernetes.io/topology-aware-hints: Disabled';
    const out = findings(serviceYaml(P80, 'web', meta));
    expect(out).toContain(
      '6:5 error invalid-value The Service "web" is invalid: metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Auto": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified',
    );
    expect(out).toContain(
      '7:5 warning api-warning Warning: annotation service.kubernetes.io/topology-aware-hints is deprecated, please use service.kubernetes.io/topology-mode instead',
    );
  });
});

describe('Service spec rules, in ValidateService order', () => {
  it('ports are required unless headless or ExternalName', () => {
    expect(errorsOf(serviceYaml('selector: {app: web}'))).toEqual([`5:1 error required The Service "web" is invalid: spec.ports: Required value`]);
    expect(errorsOf(serviceYaml('clusterIP: None\nselector: {app: web}'))).toEqual([]);
  });
  it("NodePort and LoadBalancer Services may not be headless", () => {
    expect(errorsOf(serviceYaml(`type: NodePort\nclusterIP: None\n${P80}`))).toEqual([
      `7:3 error invalid-value The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
    ]);
    expect(errorsOf(serviceYaml(`type: LoadBalancer\nclusterIP: None\n${P80}`))[0]).toContain(`may not be set to 'None' for LoadBalancer services`);
  });
  it('ExternalName: externalName is a lowercase RFC 1123 subdomain, required, and clusterIPs are forbidden', () => {
    expect(errorsOf(serviceYaml('type: ExternalName\nexternalName: db_1.example.com'))).toEqual([
      `7:3 error invalid-value The Service "web" is invalid: spec.externalName: Invalid value: "db_1.example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
    expect(errorsOf(serviceYaml('type: ExternalName'))).toEqual([`5:1 error required The Service "web" is invalid: spec.externalName: Required value`]);
    expect(errorsOf(serviceYaml('type: ExternalName\nexternalName: db.example.com.'))).toEqual([]);
    expect(errorsOf(serviceYaml('type: ExternalName\nexternalName: db.example.com\nclusterIP: 10.96.0.5'))).toEqual([
      `8:3 error forbidden The Service "web" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services`,
    ]);
  });
  it('port names are required when there are several ports, DNS-1123 labels, and unique', () => {
    expect(errorsOf(serviceYaml('ports:\n- name: http\n  port: 80\n- port: 443'))).toEqual([
      `9:5 error required The Service "web" is invalid: spec.ports[1].name: Required value`,
    ]);
    expect(errorsOf(serviceYaml('ports:\n- name: http\n  port: 80\n- name: http\n  port: 443'))).toEqual([
      `9:5 error duplicate The Service "web" is invalid: spec.ports[1].name: Duplicate value: "http"`,
    ]);
    expect(errorsOf(serviceYaml('ports:\n- name: HTTP\n  port: 80'))).toEqual([
      `7:5 error invalid-value The Service "web" is invalid: spec.ports[0].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });
  it('port must be between 1 and 65535; a defaulted targetPort inherits the bad value', () => {
    expect(errorsOf(serviceYaml('ports:\n- port: 0'))).toEqual([
      `7:5 error invalid-value The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`,
      `7:5 error invalid-value The Service "web" is invalid: spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive`,
    ]);
    expect(errorsOf(serviceYaml('ports:\n- port: 70000\n  targetPort: 80'))).toEqual([
      `7:5 error invalid-value The Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive`,
    ]);
  });
  it('protocol is one of SCTP, TCP, UDP (case-sensitive)', () => {
    expect(errorsOf(serviceYaml('ports:\n- port: 80\n  protocol: HTTP'))).toEqual([
      `8:5 error unsupported-value The Service "web" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`,
    ]);
  });
  it('a named targetPort follows the IANA service-name rules, one cause per broken rule', () => {
    const e = (tp: string): string[] => errorsOf(serviceYaml(`ports:\n- port: 80\n  targetPort: "${tp}"`));
    const head = (tp: string): string => `8:5 error invalid-value The Service "web" is invalid: spec.ports[0].targetPort: Invalid value: "${tp}": `;
    expect(e('http-metrics-port')).toEqual([head('http-metrics-port') + 'must be no more than 15 characters']);
    expect(e('Http')).toEqual([head('Http') + 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
    expect(e('8080-')).toEqual([head('8080-') + 'must contain at least one letter (a-z)', head('8080-') + 'must not begin or end with a hyphen']);
    expect(e('a--b')).toEqual([head('a--b') + 'must not contain consecutive hyphens']);
  });
  it('appProtocol is a qualified name', () => {
    expect(errorsOf(serviceYaml('ports:\n- port: 80\n  appProtocol: "my proto"'))).toEqual([
      `8:5 error invalid-value The Service "web" is invalid: spec.ports[0].appProtocol: Invalid value: "my proto": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]);
  });
  it('selector values are label values', () => {
    expect(errorsOf(serviceYaml(`selector:\n  app: "foo bar"\n${P80}`))).toEqual([
      `7:5 error invalid-value The Service "web" is invalid: spec.selector: Invalid value: "foo bar": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
  });
  it('sessionAffinity is ClientIP or None; the ClientIP timeout is 1..86400', () => {
    expect(errorsOf(serviceYaml(`sessionAffinity: Cookie\n${P80}`))).toEqual([
      `6:3 error unsupported-value The Service "web" is invalid: spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"`,
    ]);
    expect(errorsOf(serviceYaml(`sessionAffinity: ClientIP\nsessionAffinityConfig:\n  clientIP:\n    timeoutSeconds: 86401\n${P80}`))).toEqual([
      `9:7 error invalid-value The Service "web" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400`,
    ]);
    expect(errorsOf(serviceYaml(`sessionAffinity: ClientIP\nsessionAffinityConfig: {clientIP: {timeoutSeconds: 86400}}\n${P80}`))).toEqual([]);
  });
  it('externalIPs must be IPs outside the loopback, link-local and unspecified ranges', () => {
    expect(errorsOf(serviceYaml(`externalIPs: ["127.0.0.1", "foo", "169.254.1.1", "0.0.0.0"]\n${P80}`))).toEqual([
      `6:17 error invalid-value The Service "web" is invalid: spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)`,
      `6:30 error invalid-value The Service "web" is invalid: spec.externalIPs[1]: Invalid value: "foo": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
      `6:37 error invalid-value The Service "web" is invalid: spec.externalIPs[2]: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)`,
      `6:52 error invalid-value The Service "web" is invalid: spec.externalIPs[3]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)`,
    ]);
  });
  it('type is one of four, case-sensitive', () => {
    const out = errorsOf(serviceYaml(`type: Nodeport\n${P80}`));
    expect(out).toContain(
      `6:3 error unsupported-value The Service "web" is invalid: spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`,
    );
  });
  it('nodePort is forbidden on a ClusterIP Service', () => {
    expect(errorsOf(serviceYaml('ports:\n- port: 80\n  nodePort: 30080'))).toEqual([
      `8:5 error forbidden The Service "web" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when \`type\` is 'ClusterIP'`,
    ]);
  });
  it('nodePorts are unique per protocol', () => {
    const spec = 'type: NodePort\nports:\n- {name: a, port: 80, nodePort: 30080}\n- {name: b, port: 81, nodePort: 30080}\n- {name: c, port: 82, nodePort: 30080, protocol: UDP}';
    expect(errorsOf(serviceYaml(spec))).toEqual([`9:25 error duplicate The Service "web" is invalid: spec.ports[1].nodePort: Duplicate value: 30080`]);
  });
  it('(protocol, port) pairs are unique; the same number with another protocol is fine', () => {
    const out = errorsOf(serviceYaml('ports:\n- {name: a, port: 53, protocol: UDP}\n- {name: b, port: 53, protocol: TCP}\n- {name: c, port: 53, protocol: UDP}'));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^9:5 error duplicate The Service "web" is invalid: spec\.ports\[2\]: Duplicate value: \{"Name":"","Protocol":"UDP",.*"Port":53,/);
  });
  it('loadBalancerSourceRanges: only for LoadBalancer, CIDRs, with the API server\'s capital L', () => {
    expect(errorsOf(serviceYaml(`loadBalancerSourceRanges: ["10.0.0.0/8"]\n${P80}`))).toEqual([
      `6:3 error forbidden The Service "web" is invalid: spec.LoadBalancerSourceRanges: Forbidden: may only be used when \`type\` is 'LoadBalancer'`,
    ]);
    expect(errorsOf(serviceYaml(`type: LoadBalancer\nloadBalancerSourceRanges:\n- foo\n${P80}`))).toEqual([
      `8:5 error invalid-value The Service "web" is invalid: spec.LoadBalancerSourceRanges[0]: Invalid value: "foo": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
    ]);
  });
  it('allocateLoadBalancerNodePorts and loadBalancerClass only for LoadBalancer', () => {
    expect(errorsOf(serviceYaml(`allocateLoadBalancerNodePorts: false\nloadBalancerClass: example.com/lb\n${P80}`))).toEqual([
      `6:3 error forbidden The Service "web" is invalid: spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when \`type\` is 'LoadBalancer'`,
      `7:3 error forbidden The Service "web" is invalid: spec.loadBalancerClass: Forbidden: may only be used when \`type\` is 'LoadBalancer'`,
    ]);
  });
  it('externalTrafficPolicy only for externally-accessible Services, Cluster or Local', () => {
    expect(errorsOf(serviceYaml(`externalTrafficPolicy: Local\n${P80}`))).toEqual([
      `6:3 error invalid-value The Service "web" is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services`,
    ]);
    expect(errorsOf(serviceYaml(`type: NodePort\nexternalTrafficPolicy: local\n${P80}`))).toEqual([
      `7:3 error unsupported-value The Service "web" is invalid: spec.externalTrafficPolicy: Unsupported value: "local": supported values: "Cluster", "Local"`,
    ]);
    // a ClusterIP Service with externalIPs is externally accessible
    expect(errorsOf(serviceYaml(`externalIPs: ["192.0.2.10"]\nexternalTrafficPolicy: Local\n${P80}`))).toEqual([]);
  });
  it('healthCheckNodePort only with type LoadBalancer and externalTrafficPolicy Local', () => {
    expect(errorsOf(serviceYaml(`type: NodePort\nhealthCheckNodePort: 30111\n${P80}`))).toEqual([
      `7:3 error invalid-value The Service "web" is invalid: spec.healthCheckNodePort: Invalid value: 30111: may only be set when \`type\` is 'LoadBalancer' and \`externalTrafficPolicy\` is 'Local'`,
    ]);
    expect(errorsOf(serviceYaml(`type: LoadBalancer\nexternalTrafficPolicy: Local\nhealthCheckNodePort: 30111\n${P80}`))).toEqual([]);
  });
  it('internalTrafficPolicy is Cluster or Local', () => {
    expect(errorsOf(serviceYaml(`internalTrafficPolicy: Node\n${P80}`))).toEqual([
      `6:3 error unsupported-value The Service "web" is invalid: spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"`,
    ]);
  });
  it('trafficDistribution values depend on the version; PreferClose is deprecated from 1.34', () => {
    expect(errorsOf(serviceYaml(`trafficDistribution: Nearby\n${P80}`))).toEqual([
      `6:3 error unsupported-value The Service "web" is invalid: spec.trafficDistribution: Unsupported value: "Nearby": supported values: "PreferClose", "PreferSameZone", "PreferSameNode"`,
    ]);
    expect(errorsOf(serviceYaml(`trafficDistribution: PreferSameZone\n${P80}`), { kubernetesVersion: '1.31' })).toEqual([
      `6:3 error unsupported-value The Service "web" is invalid: spec.trafficDistribution: Unsupported value: "PreferSameZone": supported values: "PreferClose"`,
    ]);
    expect(findings(serviceYaml(`trafficDistribution: PreferClose\n${P80}`))).toEqual([
      '6:3 warning api-warning Warning: spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone"',
    ]);
  });
  it('headless Services warn about the fields they ignore', () => {
    expect(findings(serviceYaml(`clusterIP: None\nsessionAffinity: ClientIP\nexternalIPs: ["192.0.2.1"]\n${P80}`))).toEqual([
      '8:3 warning api-warning Warning: spec.externalIPs is ignored for headless services',
      '7:3 warning api-warning Warning: spec.SessionAffinity is ignored for headless services',
    ]);
  });
});

describe('clusterIPs / ipFamilies (checked in the create hook, before the rest)', () => {
  it('a requested clusterIP must be an IP', () => {
    expect(errorsOf(serviceYaml(`clusterIP: 10.96.0.300\n${P80}`))).toEqual([
      `6:3 error invalid-value The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
    ]);
  });
  it('clusterIP must match clusterIPs[0]', () => {
    expect(errorsOf(serviceYaml(`clusterIP: 10.96.0.10\nclusterIPs: ["10.96.0.11"]\n${P80}`))).toEqual([
      `7:3 error invalid-value The Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.11"]: first value must match \`clusterIP\``,
    ]);
  });
  it('at most one IP per family; None only alone', () => {
    expect(errorsOf(serviceYaml(`clusterIPs: ["10.96.0.10", "10.96.0.11"]\nipFamilyPolicy: PreferDualStack\n${P80}`))).toEqual([
      `6:3 error invalid-value The Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10","10.96.0.11"]: may specify no more than one IP for each IP family`,
    ]);
    expect(errorsOf(serviceYaml(`clusterIPs: ["None", "10.96.0.11"]\n${P80}`))).toEqual([
      `6:3 error invalid-value The Service "web" is invalid: spec.clusterIPs: Invalid value: ["None","10.96.0.11"]: 'None' must be the first and only value`,
    ]);
  });
  it('ipFamilies are IPv4 or IPv6, and must match the IPs', () => {
    expect(errorsOf(serviceYaml(`ipFamilies: [IPv5]\n${P80}`))).toEqual([
      `6:16 error unsupported-value The Service "web" is invalid: spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"`,
    ]);
    expect(errorsOf(serviceYaml(`clusterIP: fd00::1\nipFamilies: [IPv4]\n${P80}`))).toEqual([
      "6:3 error invalid-value The Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: \"fd00::1\": expected an IPv4 value as indicated by `ipFamilies[0]`",
    ]);
  });
  it('SingleStack (the default) with two IPs is refused', () => {
    expect(errorsOf(serviceYaml(`clusterIPs: ["10.96.0.10", "fd00::10"]\n${P80}`))).toEqual([
      `5:1 error invalid-value The Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified`,
    ]);
  });
  it('RequireDualStack needs a dual-stack cluster', () => {
    expect(errorsOf(serviceYaml(`ipFamilyPolicy: RequireDualStack\nselector: {app: web}\n${P80}`), RANGES)).toEqual([
      `6:3 error invalid-value The Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services`,
    ]);
    expect(errorsOf(serviceYaml(`ipFamilyPolicy: RequireDualStack\nselector: {app: web}\n${P80}`), { serviceClusterIPRange: '10.96.0.0/12,fd00::/108' })).toEqual([]);
  });
  it('a requested clusterIP outside the service range is refused alone, hiding other errors', () => {
    expect(errorsOf(serviceYaml('clusterIP: 192.168.0.10\nports:\n- port: 0'), RANGES)).toEqual([
      `6:3 error invalid-value The Service "web" is invalid: spec.clusterIPs: Invalid value: ["192.168.0.10"]: failed to allocate IP 192.168.0.10: the provided IP (192.168.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12`,
    ]);
    expect(errorsOf(serviceYaml(`clusterIP: 10.96.0.10\n${P80}`), RANGES)).toEqual([]);
  });
  it('a requested nodePort outside the node-port range is refused by the allocator', () => {
    expect(errorsOf(serviceYaml('type: NodePort\nports:\n- port: 80\n  nodePort: 80'), RANGES)).toEqual([
      `9:5 error invalid-value The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767`,
    ]);
  });
  it('before 1.34 composite values print in Go syntax', () => {
    expect(errorsOf(serviceYaml(`clusterIP: 10.96.0.10\nclusterIPs: ["10.96.0.11"]\n${P80}`), { kubernetesVersion: '1.33' })).toEqual([
      `7:3 error invalid-value The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.11"}: first value must match \`clusterIP\``,
    ]);
  });
});

describe('kubectl joining and i18n params', () => {
  it('several causes of one object are joined as kubectl prints them, in params.kubectl', () => {
    const r = parseManifests(serviceYaml('ports:\n- port: 0'));
    expect(r.diagnostics).toHaveLength(2);
    expect(r.diagnostics[0]!.params?.kubectl).toBe(
      'The Service "web" is invalid: \n* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    );
    expect(r.diagnostics[0]).toMatchObject({ key: 'manifest.fieldError.invalid-value', params: { kind: 'Service', name: 'web', field: 'spec.ports[0].port' } });
  });
  it('a rejected object is marked invalid so the cluster layer can skip it', () => {
    const r = parseManifests(serviceYaml('ports:\n- port: 0') + '---\n' + serviceYaml(P80, 'ok'));
    expect(acceptedObjects(r).map((o) => o.ref)).toEqual(['default/ok']);
    expect(r.objects.map((o) => [o.ref, !!o.invalid])).toEqual([
      ['default/web', true],
      ['default/ok', false],
    ]);
  });
});
