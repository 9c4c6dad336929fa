// spec.topologyKeys: accepted and validated under 1.17-1.21, an unknown field from 1.22.
import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse.ts';
import { errorsOf, findings, serviceYaml } from './testkit.ts';

const P80 = 'selector: {app: web}\nports:\n- port: 80';
const keys = (list: string): string => serviceYaml(`topologyKeys: ${list}\n${P80}`);

describe('topologyKeys era (1.17-1.21)', () => {
  const v = { kubernetesVersion: '1.20' };
  it('is accepted and kept on the object', () => {
    const r = parseManifests(keys('["kubernetes.io/hostname", "topology.kubernetes.io/zone", "*"]'), v);
    expect(r.diagnostics).toEqual([]);
    expect((r.objects[0]!.object as { spec: { topologyKeys: string[] } }).spec.topologyKeys).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone', '*']);
  });
  it('"*" must be last', () => {
    expect(errorsOf(keys('["*", "kubernetes.io/hostname"]'), v)).toEqual([
      '6:18 error invalid-value The Service "web" is invalid: spec.topologyKeys[0]: Invalid value: "*": "*" must be the last value specified',
    ]);
  });
  it('no duplicates', () => {
    expect(errorsOf(keys('["kubernetes.io/hostname", "kubernetes.io/hostname"]'), v)).toEqual([
      '6:44 error duplicate The Service "web" is invalid: spec.topologyKeys[1]: Duplicate value: "kubernetes.io/hostname"',
    ]);
  });
  it('at most 16 keys', () => {
    const list = '[' + Array.from({ length: 17 }, (_, i) => `"k${i}"`).join(', ') + ']';
    expect(errorsOf(keys(list), v)).toEqual(['6:3 error too-many The Service "web" is invalid: spec.topologyKeys: Too many: 17: must have at most 16 items']);
  });
  it('keys are qualified names (the whole list is the reported value, in Go syntax)', () => {
    expect(errorsOf(keys('["bad key"]'), v)).toEqual([
      `6:18 error invalid-value The Service "web" is invalid: spec.topologyKeys[0]: Invalid value: []string{"bad key"}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]);
  });
  it('is forbidden with externalTrafficPolicy: Local', () => {
    const text = serviceYaml(`type: NodePort\nexternalTrafficPolicy: Local\ntopologyKeys: ["*"]\n${P80}`);
    expect(errorsOf(text, v)).toEqual(['8:3 error forbidden The Service "web" is invalid: spec.topologyKeys: Forbidden: may not be specified when `externalTrafficPolicy=Local`']);
  });
});

describe('after 1.21', () => {
  it('1.35 (strict decoding): unknown field, with a note on the successors; the Service is refused', () => {
    const r = parseManifests(keys('["*"]'));
    expect(findings(keys('["*"]'))).toEqual([
      '6:3 error unknown-field Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.topologyKeys"',
      expect.stringMatching(/^6:3 info topology-keys spec\.topologyKeys was an alpha field of Kubernetes 1\.17-1\.21 .*topology-mode: Auto.*trafficDistribution/),
    ]);
    expect(r.objects[0]!.invalid).toBe(true);
  });
  it('1.22-1.26: kubectl\'s client-side validation error', () => {
    expect(errorsOf(keys('["*"]'), { kubernetesVersion: '1.24' })).toEqual([
      '6:3 error unknown-field error validating data: ValidationError(Service.spec): unknown field "topologyKeys" in io.k8s.api.core.v1.ServiceSpec',
    ]);
  });
});
