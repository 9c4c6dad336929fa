// Deployment / ReplicaSet / Pod rules (semantics.md §8.3), exact kubectl text and line:col.
import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse.ts';
import { errorsOf } from './testkit.ts';

// line 6: replicas, 7: selector, 10: template, 12: labels (app at 13:9), 14: spec, 15: containers,
// 16: - name (col 9), 17: image, 18: ports, 19: - containerPort (col 11)
function deployment(over: { name?: string; replicas?: string; selector?: string; labels?: string; container?: string; extra?: string } = {}): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${over.name ?? 'web'}`,
    'spec:',
    `  replicas: ${over.replicas ?? '3'}`,
    over.selector ?? '  selector:\n    matchLabels:\n      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${over.labels ?? 'web'}`,
    '    spec:',
    '      containers:',
    over.container ?? '      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80',
    over.extra ?? '',
  ].join('\n');
}

describe('Deployment rules', () => {
  it('a valid Deployment has no findings and is defaulted', () => {
    const r = parseManifests(deployment());
    expect(r.diagnostics).toEqual([]);
    const spec = (r.objects[0]!.object as { spec: Record<string, unknown> }).spec;
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect([spec.revisionHistoryLimit, spec.progressDeadlineSeconds]).toEqual([10, 600]);
  });
  it('replicas default to 1', () => {
    const r = parseManifests(deployment().replace('  replicas: 3\n', ''));
    expect((r.objects[0]!.object as { spec: { replicas: number } }).spec.replicas).toBe(1);
  });
  it('name is a DNS-1123 subdomain (dots allowed)', () => {
    expect(errorsOf(deployment({ name: 'web.v2' }))).toEqual([]);
    expect(errorsOf(deployment({ name: 'Web' }))).toEqual([
      `4:3 error invalid-value The Deployment "Web" is invalid: metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });
  it('replicas may not be negative', () => {
    expect(errorsOf(deployment({ replicas: '-1' }))).toEqual([
      '6:3 error invalid-value The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });
  it('selector is required in apps/v1, and a missing one matches no template', () => {
    expect(errorsOf(deployment({ selector: '' }))).toEqual([
      '5:1 error required The Deployment "web" is invalid: spec.selector: Required value',
      '10:7 error invalid-value The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
  });
  it('an empty selector is invalid for a Deployment', () => {
    expect(errorsOf(deployment({ selector: '  selector: {}' }))).toEqual([
      '7:3 error invalid-value The Deployment "web" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for deployment',
    ]);
  });
  it('the selector must match the template labels (Go syntax before 1.34)', () => {
    const text = deployment({ labels: 'api' });
    expect(errorsOf(text)).toEqual([
      '12:7 error invalid-value The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
    ]);
    expect(errorsOf(text, { kubernetesVersion: '1.30' })[0]).toContain('Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`');
  });
  it('matchExpressions are honoured when matching the template', () => {
    const sel = '  selector:\n    matchExpressions:\n    - {key: app, operator: In, values: [web, api]}';
    expect(errorsOf(deployment({ selector: sel, labels: 'api' }))).toEqual([]);
    expect(errorsOf(deployment({ selector: sel, labels: 'db' }))[0]).toContain('`selector` does not match template `labels`');
  });
  it('selector operators In/NotIn need values', () => {
    expect(errorsOf(deployment({ selector: '  selector:\n    matchExpressions:\n    - {key: app, operator: In}' }))).toContain(
      "9:7 error required The Deployment \"web\" is invalid: spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    );
  });
  it('containers are required, and each needs an image', () => {
    expect(errorsOf(deployment({ container: '      []' }).replace('containers:\n      []', 'containers: []'))).toEqual([
      '15:7 error required The Deployment "web" is invalid: spec.template.spec.containers: Required value',
    ]);
    expect(errorsOf(deployment({ container: '      - name: web' }))).toEqual([
      '16:9 error required The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value',
    ]);
  });
  it('container ports are 1..65535 with IANA names', () => {
    const c = '      - name: web\n        image: nginx\n        ports:\n        - containerPort: 70000\n          name: Http';
    expect(errorsOf(deployment({ container: c }))).toEqual([
      '20:11 error invalid-value The Deployment "web" is invalid: spec.template.spec.containers[0].ports[0].name: Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      '19:11 error invalid-value The Deployment "web" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
  });
  it('restartPolicy must be Always in a Deployment template', () => {
    const text = deployment() + '\n      restartPolicy: Never';
    expect(errorsOf(text)).toEqual([
      '21:7 error unsupported-value The Deployment "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });
  it('strategy type is Recreate or RollingUpdate', () => {
    expect(errorsOf(deployment({ extra: '  strategy:\n    type: BlueGreen' }))).toEqual([
      '21:5 error unsupported-value The Deployment "web" is invalid: spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"',
    ]);
  });
  it('maxUnavailable may not be 0 when maxSurge is 0, nor over 100%', () => {
    expect(errorsOf(deployment({ extra: '  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}' }))).toEqual([
      '21:34 error invalid-value The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    expect(errorsOf(deployment({ extra: '  strategy:\n    rollingUpdate: {maxUnavailable: 150%}' }))).toEqual([
      '21:21 error invalid-value The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater than 100%',
    ]);
  });
  it('rollingUpdate is forbidden with Recreate', () => {
    expect(errorsOf(deployment({ extra: '  strategy:\n    type: Recreate\n    rollingUpdate: {maxSurge: 1}' }))).toEqual([
      "22:5 error forbidden The Deployment \"web\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
  });
  it('progressDeadlineSeconds must exceed minReadySeconds', () => {
    expect(errorsOf(deployment({ extra: '  minReadySeconds: 30\n  progressDeadlineSeconds: 30' }))).toEqual([
      '21:3 error invalid-value The Deployment "web" is invalid: spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds',
    ]);
  });
});

describe('ReplicaSet and Pod', () => {
  it('a ReplicaSet selector must match its template', () => {
    const rs = deployment({ labels: 'api' }).replace('kind: Deployment', 'kind: ReplicaSet');
    expect(errorsOf(rs)).toEqual([
      '12:7 error invalid-value The ReplicaSet "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
    ]);
  });
  it('a Pod needs containers with names and images; protocol is defaulted to TCP', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    ports: [{containerPort: 80}]\n';
    const r = parseManifests(pod);
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([
      '6:5 The Pod "p" is invalid: spec.containers[0].image: Required value',
    ]);
    expect((r.objects[0]!.object as { spec: { containers: { ports: { protocol: string }[] }[] } }).spec.containers[0]!.ports[0]!.protocol).toBe('TCP');
  });
});
