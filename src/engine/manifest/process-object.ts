// One object of the stream: resolve its kind, decode, default, run the API server's checks, and
// turn every finding into a positioned diagnostic.
import type { Diagnostic, Severity } from '../diagnostics.ts';
import { decode } from './decode.ts';
import { applyDefaults } from './defaults.ts';
import { goQuote, kubectlInvalidMessage, fieldErrorText, type FieldError } from './field-error.ts';
import { ipFamilyOf, type IPFamily } from './ip.ts';
import { knownKind, type KindInfo } from './kinds.ts';
import type { ClusterOptions } from './options.ts';
import type { ManifestObject } from './types.ts';
import { validateEndpoints, validateEndpointSlice } from './validate-endpoints.ts';
import { asObj, asStr, isObj, validateObjectMeta, type Obj } from './validate-meta.ts';
import { validateService, validateServiceAllocation, type ServiceContext } from './validate-service.ts';
import { validateDeployment, validatePod, validateReplicaSet } from './validate-workloads.ts';
import type { Pos } from './yaml-tree.ts';

export interface ObjectContext {
  cluster: ClusterOptions;
  fileName: string;
  diagnostics: Diagnostic[];
  objects: ManifestObject[];
  /** kind/namespace/name -> where first defined */
  seen: Map<string, Pos>;
}

export interface Locator {
  positionOf: (path: string) => Pos;
  has: (path: string) => boolean;
}

const CODE_OF: Record<FieldError['type'], string> = {
  'Required value': 'required',
  'Invalid value': 'invalid-value',
  'Unsupported value': 'unsupported-value',
  'Duplicate value': 'duplicate',
  Forbidden: 'forbidden',
  'Too long': 'too-long',
  'Too many': 'too-many',
  'Not found': 'not-found',
  'Internal error': 'internal-error',
};

function diag(code: string, severity: Severity, message: string, p: Pos, key: string, params?: Diagnostic['params']): Diagnostic {
  return { code, severity, message, line: p.line, col: p.col, key, ...(params ? { params } : {}) };
}

export function processObject(value: unknown, docIndex: number, start: Pos, loc: Locator, ctx: ObjectContext): void {
  const { cluster } = ctx;
  if (!isObj(value)) {
    ctx.diagnostics.push(
      diag(
        'decode',
        'error',
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'bool' : 'null'} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
        start,
        'manifest.notAnObject',
      ),
    );
    return;
  }
  const kind = typeof value.kind === 'string' ? value.kind : '';
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  if (!kind || !apiVersion) {
    const missing = !kind ? 'Kind' : 'apiVersion';
    const json = compactJson(value);
    ctx.diagnostics.push(
      diag('missing-kind', 'error', `error: unable to decode ${goQuote(ctx.fileName)}: Object '${missing}' is missing in '${json}'`, loc.positionOf(!kind ? 'kind' : 'apiVersion'), 'manifest.missingKind', { missing }),
    );
    return;
  }
  const meta = asObj(value.metadata);
  const name = asStr(meta.name) || asStr(meta.generateName);
  const info = knownKind(kind);
  const base = { kind, apiVersion, doc: docIndex, line: start.line, col: start.col, positionOf: loc.positionOf };

  if (!info || !Object.prototype.hasOwnProperty.call(info.versions, apiVersion)) {
    if (info || isTypoInSimulatedGroup(kind, apiVersion)) {
      ctx.diagnostics.push(
        diag(
          'unknown-kind',
          'error',
          `error: resource mapping not found for name: ${goQuote(name)} namespace: ${goQuote(asStr(meta.namespace))} from ${goQuote(ctx.fileName)}: no matches for kind ${goQuote(kind)} in version ${goQuote(apiVersion)}\nensure CRDs are installed first`,
          loc.positionOf('apiVersion'),
          'manifest.unknownKind',
          { kind, apiVersion },
        ),
      );
      ctx.objects.push({ ...base, object: value, invalid: true });
      return;
    }
    // Secret values must never be kept, shown, stored or put in a link
    if (kind === 'Secret') {
      delete value.data;
      delete value.stringData;
      // kubectl apply keeps a full copy of the Secret, values included, in this annotation
      const annotations = isObj(value.metadata) ? value.metadata.annotations : undefined;
      if (isObj(annotations)) delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    }
    ctx.diagnostics.push(
      diag('ignored-kind', 'info', `${kind} ${goQuote(name)} is accepted but not simulated: svcpath only models what kube-proxy reads.`, start, 'manifest.ignoredKind', { kind, name }),
    );
    ctx.objects.push({ ...base, object: value, ignored: true });
    return;
  }

  const [from, to] = info.versions[apiVersion]!;
  if (cluster.minor < from || cluster.minor > to)
    ctx.diagnostics.push(
      diag(
        'not-served',
        'warning',
        `${apiVersion} ${kind} is not served by Kubernetes ${cluster.version} (served ${from === 0 ? 'until' : `from 1.${from}`}${to === Infinity ? '' : `${from === 0 ? '' : ' to'} 1.${to}`}); read as if it were.`,
        loc.positionOf('apiVersion'),
        'manifest.notServed',
        { apiVersion, kind, version: cluster.version },
      ),
    );

  const obj: ManifestObject = { ...base, object: value, ref: info.namespaced ? `${asStr(meta.namespace) || 'default'}/${name}` : name };
  ctx.objects.push(obj);

  // (a) decode
  const schema = info.schema(apiVersion, cluster.minor);
  const decoded = decode(value, schema, kind);
  const groupVersion = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  const cannot = `${kind} in version ${goQuote(groupVersion)} cannot be handled as a ${kind}`;
  if (decoded.typeError) {
    const path = decoded.typeError.segs.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');
    ctx.diagnostics.push(diag('decode-type', 'error', `${cannot}: ${decoded.typeError.message}`, loc.positionOf(path), 'manifest.decodeType', { field: path }));
    obj.invalid = true;
    return;
  }
  if (decoded.unknown.length) {
    // kubectl shows every unknown field of the object in one message; each finding keeps its own place
    const allUnknown = `${cannot}: strict decoding error: ${decoded.unknown.map((u) => `unknown field ${goQuote(u.path)}`).join(', ')}`;
    for (const u of decoded.unknown) {
      const message =
        cluster.minor >= 27
          ? `${cannot}: strict decoding error: unknown field ${goQuote(u.path)}`
          : `error validating data: ValidationError(${u.parentPath}): unknown field ${goQuote(u.name)} in ${u.parentOpenapi}`;
      ctx.diagnostics.push(
        diag('unknown-field', 'error', message, loc.positionOf(u.path), 'manifest.unknownField', { field: u.path, ...(cluster.minor >= 27 ? { kubectl: allUnknown } : {}) }),
      );
      if (kind === 'Service' && u.path === 'spec.topologyKeys') ctx.diagnostics.push(topologyKeysNote(loc.positionOf(u.path), cluster.version));
    }
    obj.invalid = true;
    return;
  }

  // (b) default
  const clusterFamilies = cluster.serviceCIDRs.map((c) => ipFamilyOf(c.split('/')[0]!)).filter((f): f is IPFamily => f !== null);
  applyDefaults(info.kind, value, { clusterFamilies }, info.namespaced);

  // (c) + (d): the Service create hook returns its errors alone; then full validation
  let errors: FieldError[];
  let warnings: { field: string; message: string }[] = [];
  if (info.kind === 'Service') {
    const sctx: ServiceContext = { jsonValues: cluster.jsonValues, minor: cluster.minor, has: loc.has, serviceCIDRs: cluster.serviceCIDRs, nodePortRange: cluster.nodePortRange };
    errors = validateServiceAllocation(value, sctx);
    if (!errors.length) ({ errors, warnings } = validateService(value, sctx));
  } else errors = validateByKind(info, value);

  for (const w of warnings)
    ctx.diagnostics.push(diag('api-warning', 'warning', `Warning: ${w.message}`, loc.positionOf(w.field), 'manifest.apiWarning', { field: w.field }));
  if (errors.length) {
    obj.invalid = true;
    const all = kubectlInvalidMessage(kind, name, errors, cluster.jsonValues);
    const seenText = new Set<string>();
    for (const e of errors) {
      const text = fieldErrorText(e, cluster.jsonValues);
      if (seenText.has(text)) continue; // kubectl drops duplicate causes too
      seenText.add(text);
      const code = CODE_OF[e.type];
      ctx.diagnostics.push(
        diag(code, 'error', kubectlInvalidMessage(kind, name, [e], cluster.jsonValues), loc.positionOf(e.at ?? e.field), `manifest.fieldError.${code}`, {
          kind,
          name,
          field: e.field,
          type: e.type,
          ...(e.detail ? { detail: e.detail } : {}),
          kubectl: all,
        }),
      );
    }
    return;
  }
  const key = `${kind}/${info.namespaced ? asStr(asObj(value.metadata).namespace) : ''}/${name}`;
  const prev = ctx.seen.get(key);
  if (prev && name)
    ctx.diagnostics.push(
      diag('duplicate-object', 'warning', `${kind} ${goQuote(name)} is defined again (first at line ${prev.line}); kubectl apply keeps the last one.`, start, 'manifest.duplicateObject', {
        kind,
        name,
        firstLine: prev.line,
      }),
    );
  else ctx.seen.set(key, start);
}

function validateByKind(info: KindInfo, o: Obj): FieldError[] {
  switch (info.kind) {
    case 'Deployment':
      return validateDeployment(o);
    case 'ReplicaSet':
      return validateReplicaSet(o);
    case 'Pod':
      return validatePod(o);
    case 'EndpointSlice':
      return validateEndpointSlice(o);
    case 'Endpoints':
      return validateEndpoints(o);
    default:
      return validateObjectMeta(o.metadata, info.namespaced, info.nameRule);
  }
}

// The real kinds of the groups svcpath simulates: any other kind there is a typo, not a CRD.
const GROUP_KINDS: Record<string, string[]> = {
  v1: ['Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount', 'List'],
  'apps/v1': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
};

function isTypoInSimulatedGroup(kind: string, apiVersion: string): boolean {
  const kinds = Object.prototype.hasOwnProperty.call(GROUP_KINDS, apiVersion) ? GROUP_KINDS[apiVersion]! : null;
  return kinds !== null && !kinds.includes(kind);
}

function topologyKeysNote(p: Pos, version: string): Diagnostic {
  return diag(
    'topology-keys',
    'info',
    `spec.topologyKeys was an alpha field of Kubernetes 1.17-1.21 (removed in 1.22; simulating ${version}). Its successors: the annotation service.kubernetes.io/topology-mode: Auto (Topology Aware Routing; service.kubernetes.io/topology-aware-hints before 1.27), then spec.trafficDistribution (1.30+). To simulate topologyKeys, choose Kubernetes 1.21 or earlier.`,
    p,
    'manifest.topologyKeys',
    { version },
  );
}

// sigs.k8s.io/yaml goes through Go maps, so the JSON kubectl quotes has its keys sorted.
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  const out = Object.create(null) as Obj;
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

function compactJson(v: unknown): string {
  const s = JSON.stringify(sortKeys(v)) ?? '';
  return s.length > 500 ? s.slice(0, 500) + '…' : s;
}
