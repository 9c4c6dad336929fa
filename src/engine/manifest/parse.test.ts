// Reading the stream: documents, JSON, List, positions, decode errors, kinds, hostile input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES, parseManifests } from './parse.ts';
import { errorsOf, findings, serviceYaml } from './testkit.ts';

const P80 = 'ports:\n- port: 80';

describe('documents and positions', () => {
  it('reads multi-document YAML, skipping empty documents and comments, with each object\'s start', () => {
    const text = `# cluster\n---\n${serviceYaml(P80, 'a')}---\n# nothing here\n---\n${serviceYaml(P80, 'b')}`;
    const r = parseManifests(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.objects.map((o) => [o.kind, o.ref, o.doc, o.line, o.col])).toEqual([
      ['Service', 'default/a', 0, 3, 1],
      ['Service', 'default/b', 2, 13, 1],
    ]);
  });
  it('positionOf finds fields, list items and map entries, and falls back to the nearest parent', () => {
    const o = parseManifests(serviceYaml('selector:\n  app: web\nports:\n- name: http\n  port: 80')).objects[0]!;
    expect(o.positionOf('spec.ports[0].port')).toEqual({ line: 10, col: 5 });
    expect(o.positionOf('spec.ports[0]')).toEqual({ line: 9, col: 5 });
    expect(o.positionOf('spec.selector[app]')).toEqual({ line: 7, col: 5 });
    expect(o.positionOf('spec.ports[0].nodePort')).toEqual({ line: 9, col: 5 });
    expect(o.positionOf('spec.nothing.deeper')).toEqual({ line: 5, col: 1 });
    expect(o.positionOf('status')).toEqual({ line: 1, col: 1 });
  });
  it('reads JSON, including a List', () => {
    const json = JSON.stringify(
      { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 0 }] } }] },
      null,
      2,
    );
    const r = parseManifests(json);
    expect(r.objects.map((o) => o.ref)).toEqual(['default/web']);
        const lineOfPort = json.split('\n').findIndex((l) => l.includes('"port": 0')) + 1;
    expect(r.diagnostics[0]).toMatchObject({ code: 'invalid-value', line: lineOfPort, col: 13 });
  });
  it('expands `kind: List` as kubectl get -o yaml prints it, each item with its own positions', () => {
    const text = [
      'apiVersion: v1',
      'items:',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata: {name: a, namespace: shop}',
      '  spec: {ports: [{port: 80}]}',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata: {name: b}',
      '  spec:',
      '    ports:',
      '    - port: 0',
      '      targetPort: 80',
      'kind: List',
      'metadata: {resourceVersion: ""}',
    ].join('\n');
    const r = parseManifests(text);
    expect(r.objects.map((o) => [o.ref, o.line, o.col])).toEqual([
      ['shop/a', 3, 3],
      ['default/b', 7, 3],
    ]);
    expect(findings(text)).toEqual(['12:7 error invalid-value The Service "b" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']);
  });
  it('CRLF line endings and a BOM keep positions right; empty input has no findings', () => {
    const crlf = serviceYaml('ports:\n- port: 0\n  targetPort: 80').replace(/\n/g, '\r\n');
    expect(findings(crlf)).toEqual(['7:5 error invalid-value The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']);
    expect(findings('\uFEFF' + serviceYaml('ports:\n- port: 0\n  targetPort: 80'))[0]).toMatch(/^7:5 error invalid-value/);
    expect(parseManifests('')).toEqual({ objects: [], diagnostics: [] });
    expect(parseManifests('  \n# nothing\n---\n')).toEqual({ objects: [], diagnostics: [] });
  });
  it('fills the namespace of namespaced kinds and refuses one on cluster-scoped kinds', () => {
    const r = parseManifests('apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n  namespace: default\n');
    expect(findings('apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n  namespace: default\n')).toEqual([
      '5:3 error forbidden The Node "node-1" is invalid: metadata.namespace: Forbidden: not allowed on this type',
    ]);
    expect(r.objects[0]!.ref).toBe('node-1');
  });
  it('warns when the same object is defined twice', () => {
    expect(findings(serviceYaml(P80) + '---\n' + serviceYaml(P80))).toEqual([
      '9:1 warning duplicate-object Service "web" is defined again (first at line 1); kubectl apply keeps the last one.',
    ]);
  });
});

describe('decode errors (before defaulting and validation)', () => {
  const cannot = 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal';
  it('a string where an int32 belongs', () => {
    expect(errorsOf(serviceYaml('ports:\n- port: "eighty"'))).toEqual([
      `7:5 error decode-type ${cannot} string into Go struct field ServicePort.spec.ports.port of type int32`,
    ]);
  });
  it('a fraction, a bool for an IntOrString, an object for a list', () => {
    expect(errorsOf(serviceYaml('ports:\n- port: 1.5'))[0]).toContain(`${cannot} number 1.5 into Go struct field ServicePort.spec.ports.port of type int32`);
    expect(errorsOf(serviceYaml('ports:\n- port: 80\n  targetPort: true'))[0]).toContain(`${cannot} bool into Go struct field ServicePort.spec.ports.targetPort of type int32`);
    expect(errorsOf(serviceYaml('ports: {port: 80}'))[0]).toContain(`${cannot} object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort`);
  });
  it('YAML 1.1 scalars as go-yaml reads them: `y` is a bool', () => {
    expect(errorsOf(serviceYaml(P80, 'web', 'labels:\n  enabled: y'))).toEqual([
      `6:5 error decode-type ${cannot} bool into Go struct field ObjectMeta.metadata.labels of type string`,
    ]);
  });
  it('YAML numbers and YAML 1.1 booleans in a selector fail to decode, as with kubectl', () => {
    expect(errorsOf(serviceYaml(`selector:\n  version: 1.0\n${P80}`))).toEqual([
      `7:5 error decode-type ${cannot} number into Go struct field ServiceSpec.spec.selector of type string`,
    ]);
    expect(errorsOf(serviceYaml(`selector:\n  canary: yes\n${P80}`))[0]).toContain(`${cannot} bool into Go struct field ServiceSpec.spec.selector of type string`);
  });
  it('only the first type error is reported, as encoding/json does', () => {
    expect(errorsOf(serviceYaml('ports:\n- port: "a"\n- port: "b"'))).toHaveLength(1);
  });
  it('unknown fields: strict decoding from 1.27, client-side validation before', () => {
    const text = serviceYaml('prots:\n- port: 80');
    expect(errorsOf(text)).toEqual([
      '6:3 error unknown-field Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.prots"',
    ]);
    expect(errorsOf(text, { kubernetesVersion: '1.25' })).toEqual([
      '6:3 error unknown-field error validating data: ValidationError(Service.spec): unknown field "prots" in io.k8s.api.core.v1.ServiceSpec',
    ]);
    const two = parseManifests(serviceYaml('prots: []\nselectr: {}'));
    expect(two.diagnostics.map((d) => d.line)).toEqual([6, 7]);
    expect(two.diagnostics[0]!.params?.kubectl).toBe(
      'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.prots", unknown field "spec.selectr"',
    );
    expect(errorsOf(serviceYaml('ports:\n- port: 80\n  targetport: 8080'))).toEqual([
      '8:5 error unknown-field Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.ports[0].targetport"',
    ]);
  });
  it('a document that is not a mapping', () => {
    expect(errorsOf('just a string\n')).toEqual([
      '1:1 error decode couldn\'t get version/kind; json parse error: json: cannot unmarshal string into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
    ]);
  });
});

describe('kinds', () => {
  it("a missing kind, quoting the object as Go's JSON does (keys sorted)", () => {
    expect(errorsOf('metadata: {name: web}\napiVersion: v1\n', { fileName: 'svc.yaml' })).toEqual([
      `1:1 error missing-kind error: unable to decode "svc.yaml": Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"web"}}'`,
    ]);
  });
  it('a known kind in the wrong group, or a typo in a simulated group, gets kubectl\'s mapping error', () => {
    expect(errorsOf('apiVersion: apps/v1\nkind: Service\nmetadata: {name: web}\n', { fileName: 'svc.yaml' })).toEqual([
      '1:1 error unknown-kind error: resource mapping not found for name: "web" namespace: "" from "svc.yaml": no matches for kind "Service" in version "apps/v1"\nensure CRDs are installed first',
    ]);
    expect(errorsOf('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n')[0]).toContain(
      'no matches for kind "Deployment" in version "extensions/v1beta1"',
    );
    expect(errorsOf('apiVersion: v1\nkind: Servce\nmetadata: {name: web}\n')[0]).toContain('no matches for kind "Servce" in version "v1"');
  });
  it('other kinds are accepted and ignored with a note; Secret values are dropped', () => {
    const text =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations: {kubectl.kubernetes.io/last-applied-configuration: \'{"data":{"password":"aHVudGVyMg=="}}\'}\ndata: {password: aHVudGVyMg==}\nstringData: {token: hunter2}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n';
    const r = parseManifests(text);
    expect(findings(text)).toEqual([
      '1:1 info ignored-kind Secret "db" is accepted but not simulated: svcpath only models what kube-proxy reads.',
      '9:1 info ignored-kind Ingress "web" is accepted but not simulated: svcpath only models what kube-proxy reads.',
    ]);
    expect(r.objects.map((o) => o.ignored)).toEqual([true, true]);
    expect(JSON.stringify(r.objects[0]!.object)).not.toMatch(/aHVudGVyMg|hunter2|password|token/);
  });
});

describe('YAML problems', () => {
  it('tab indentation is reported with go-yaml\'s words at its line', () => {
    expect(errorsOf('apiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n')).toEqual([
      '4:1 error yaml-syntax error converting YAML to JSON: yaml: line 4: found character that cannot start any token',
    ]);
  });
  it('other syntax errors keep the parser\'s words; other documents are still read', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata: {name: web\n---\n${serviceYaml(P80, 'ok')}`;
    const r = parseManifests(text);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml-syntax', severity: 'error' });
    expect(r.diagnostics[0]!.message).toMatch(/^YAML syntax error: /);
    expect(r.objects.map((o) => o.ref)).toEqual(['default/ok']);
  });
  it('an unknown anchor', () => {
    expect(errorsOf('apiVersion: v1\nkind: Service\nmetadata: *meta\n')).toEqual(["3:11 error yaml-syntax yaml: unknown anchor 'meta' referenced"]);
  });
  it('merge keys and anchors are expanded', () => {
    const text = `base: &ports\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  <<: {selector: {app: web}}\n  ports: [{port: 81}]\n`;
    const r = parseManifests(text);
    const svc = r.objects.find((o) => o.kind === 'Service')!.object as { spec: { selector: unknown; ports: { port: number }[] } };
    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.ports[0]!.port).toBe(81);
  });
  it('duplicate keys: a warning, and the last value wins as with kubectl', () => {
    const text = serviceYaml('ports:\n- port: 80\n  port: 81');
    const r = parseManifests(text);
    expect(findings(text)).toEqual(['8:5 warning duplicate-key duplicate key "port" (first at line 7): kubectl keeps the last value']);
    expect((r.objects[0]!.object as { spec: { ports: { port: number }[] } }).spec.ports[0]!.port).toBe(81);
  });
  it('control characters are refused as go-yaml does', () => {
    expect(errorsOf('apiVersion: v1\nkind: Service\u0007\n')).toEqual(['2:14 error yaml-syntax error converting YAML to JSON: yaml: control characters are not allowed']);
  });
});

describe('hostile input', () => {
  it('refuses more than 3 MiB with the API server\'s message (its speed: npm run bench)', () => {
    const big = 'a'.repeat(MAX_REQUEST_BYTES + 1);
    const r = parseManifests(big);
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['too-large Request entity too large: limit is 3145728']);
    // multi-byte characters count as bytes
    expect(parseManifests('é'.repeat(MAX_REQUEST_BYTES / 2 + 1)).diagnostics[0]!.code).toBe('too-large');
  });
  it('a billion-laughs document is refused (its speed: npm run bench)', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const r = parseManifests(lines.join('\n'));
    expect(r.diagnostics.map((d) => d.message)).toEqual(['yaml: document contains excessive aliasing']);
  });
  it('millions of tiny items are refused before the parser sees them', () => {
    const r = parseManifests('- x\n'.repeat(700_000));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['too-many-items', 200_001, 4]]);
  });
  it('a huge map reports a bounded number of duplicate keys, without overflowing the stack', () => {
    const r = parseManifests('k: v\n'.repeat(10_000));
    expect(r.diagnostics.filter((d) => d.code === 'duplicate-key')).toHaveLength(20);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('too-deep');
  });
  it('deep flow nesting is refused before the parser sees it', () => {
    const r = parseManifests('['.repeat(50_000) + ']'.repeat(50_000));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['too-deep', 1, 1001]]);
  });
  it('deep block nesting ends in a clear error, not a crash', () => {
    let text = '';
    for (let i = 0; i < 1500; i++) text += ' '.repeat(i) + 'a:\n';
    const r = parseManifests(text);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['too-deep']);
  });
  it('keys named __proto__ and constructor stay data and never reach Object.prototype', () => {
    const labels = serviceYaml(P80, 'web', 'labels:\n  __proto__: x\n  constructor: z');
    const r = parseManifests(labels);
    expect(Object.keys((r.objects[0]!.object as { metadata: { labels: object } }).metadata.labels)).toEqual(['__proto__', 'constructor']);
    expect(errorsOf(labels)[0]).toMatch(/^6:5 error invalid-value .*metadata\.labels: Invalid value: "__proto__": name part must consist of/);
    const selector = serviceYaml(`selector:\n  __proto__: {polluted: yes}\n${P80}`);
    expect(errorsOf(selector)[0]).toContain('cannot unmarshal object into Go struct field ServiceSpec.spec.selector of type string');
    const json = '{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","__proto__":{"polluted":1}},"spec":{"ports":[{"port":80}]}}';
    expect(errorsOf(json)[0]).toContain('strict decoding error: unknown field "metadata.__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });
  it('never throws on arbitrary text (1,000 runs)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const r = parseManifests(s);
        return Array.isArray(r.objects) && Array.isArray(r.diagnostics);
      }),
      { numRuns: 1000 },
    );
  });
  it('never throws on YAML-shaped noise and reports positions inside the text (300 runs)', () => {
    const token = fc.constantFrom(
      'apiVersion: v1\n', 'kind: Service\n', 'kind: List\n', 'items:\n', '- ', 'metadata:\n', '  name: web\n', 'spec:\n', '  ports:\n', '  - port: 80\n',
      '    port: "x"\n', '&a ', '*a\n', '<<: *a\n', '---\n', '[', ']', '{', '}', ': ', '\t', '"', "'", '#', '\n', '__proto__: 1\n', 'selector: {a: b}\n',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (parts) => {
        const s = parts.join('');
        const lines = s.split('\n').length;
        const r = parseManifests(s);
        return r.diagnostics.every((d) => d.line >= 0 && d.line <= lines + 1);
      }),
      { numRuns: 300 },
    );
  });
  it('is deterministic', () => {
    const text = serviceYaml('ports:\n- port: 0') + '---\n' + serviceYaml(P80, 'b');
    expect(JSON.stringify(parseManifests(text))).toBe(JSON.stringify(parseManifests(text)));
  });
});
