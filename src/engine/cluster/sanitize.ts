// The manifest stage validates; this stage must still never throw on what slips through (a
// pasted object with `conditions: false`, ports as a string...). Fields the controllers read
// are checked for shape on the cloned object; a malformed one is removed with a warning at its
// line, everything well-formed is left exactly as given.
import type { Diagnostic } from '../diagnostics.ts';
import { diag, type PositionOf } from './place.ts';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStrMap = (v: unknown) => isRec(v) && Object.values(v).every(isStr);

type Check = (v: unknown) => boolean;
const strList: Check = (v) => Array.isArray(v) && v.every(isStr);
const recList: Check = (v) => Array.isArray(v) && v.every(isRec);
const numOrStr: Check = (v) => isNum(v) || isStr(v);

class Sanitizer {
  constructor(
    private readonly out: Diagnostic[],
    private readonly positionOf: PositionOf,
    private readonly what: string,
  ) {}

  /** keep o[key] only if it passes; returns whether it is (still) present */
  field(o: Rec, key: string, ok: Check, path: string): boolean {
    if (!(key in o) || o[key] === undefined) return false;
    if (ok(o[key])) return true;
    delete o[key];
    this.out.push(diag('cluster.input.ignored', 'warning', `${this.what}: ${path} has the wrong type and is ignored`, this.positionOf, path));
    return false;
  }

  list(o: Rec, key: string, path: string, each: (item: Rec, p: string) => void): void {
    if (this.field(o, key, recList, path)) (o[key] as Rec[]).forEach((it, i) => each(it, `${path}[${i}]`));
  }

  rec(o: Rec, key: string, path: string, each?: (item: Rec, p: string) => void): boolean {
    if (!this.field(o, key, isRec, path)) return false;
    each?.(o[key] as Rec, path);
    return true;
  }

  meta(m: Rec): void {
    this.field(m, 'name', isStr, 'metadata.name');
    this.field(m, 'namespace', isStr, 'metadata.namespace');
    this.field(m, 'uid', isStr, 'metadata.uid');
    this.field(m, 'labels', isStrMap, 'metadata.labels');
    this.field(m, 'annotations', isStrMap, 'metadata.annotations');
    this.field(m, 'deletionTimestamp', isStr, 'metadata.deletionTimestamp');
    this.list(m, 'ownerReferences', 'metadata.ownerReferences', (r, p) => {
      this.field(r, 'kind', isStr, `${p}.kind`);
      this.field(r, 'name', isStr, `${p}.name`);
    });
  }

  podSpec(s: Rec, path: string): void {
    for (const k of ['nodeName', 'hostname', 'subdomain']) this.field(s, k, isStr, `${path}.${k}`);
    this.field(s, 'nodeSelector', isStrMap, `${path}.nodeSelector`);
    this.field(s, 'tolerations', recList, `${path}.tolerations`);
    this.field(s, 'affinity', isRec, `${path}.affinity`);
    this.field(s, 'hostNetwork', (v) => typeof v === 'boolean', `${path}.hostNetwork`);
    const container = (c: Rec, p: string) => {
      this.list(c, 'ports', `${p}.ports`, (cp, pp) => {
        this.field(cp, 'name', isStr, `${pp}.name`);
        this.field(cp, 'containerPort', isNum, `${pp}.containerPort`);
        this.field(cp, 'protocol', isStr, `${pp}.protocol`);
      });
    };
    this.list(s, 'containers', `${path}.containers`, container);
    if (!Array.isArray(s.containers)) s.containers = [];
    this.list(s, 'initContainers', `${path}.initContainers`, container);
  }

  selector(o: Rec, key: string, path: string): void {
    this.rec(o, key, path, (sel) => {
      this.field(sel, 'matchLabels', isStrMap, `${path}.matchLabels`);
      this.list(sel, 'matchExpressions', `${path}.matchExpressions`, (e, p) => {
        this.field(e, 'key', isStr, `${p}.key`);
        this.field(e, 'values', strList, `${p}.values`);
      });
    });
  }

  template(spec: Rec): void {
    this.rec(spec, 'template', 'spec.template', (t) => {
      this.rec(t, 'metadata', 'spec.template.metadata', (m) => {
        this.field(m, 'labels', isStrMap, 'spec.template.metadata.labels');
        this.field(m, 'annotations', isStrMap, 'spec.template.metadata.annotations');
      });
      if (this.rec(t, 'spec', 'spec.template.spec')) this.podSpec(t.spec as Rec, 'spec.template.spec');
      else delete spec.template;
    });
  }
}

/** Sanitizes a cloned object in place; returns false when it is unusable (no name). */
export function sanitize(kind: string, o: Rec, positionOf: PositionOf, out: Diagnostic[]): boolean {
  const s = new Sanitizer(out, positionOf, kind);
  if (!isRec(o.metadata)) o.metadata = {};
  s.meta(o.metadata as Rec);
  if (!isStr((o.metadata as Rec).name) || (o.metadata as Rec).name === '') return false;
  const needsSpec = kind === 'Service' || kind === 'Pod' || kind === 'Deployment' || kind === 'ReplicaSet';
  if (needsSpec && !isRec(o.spec)) {
    if (o.spec !== undefined) s.field(o, 'spec', isRec, 'spec');
    o.spec = {};
  }
  const spec = o.spec as Rec;
  switch (kind) {
    case 'Service': {
      for (const k of ['type', 'clusterIP', 'externalName', 'externalTrafficPolicy', 'internalTrafficPolicy', 'loadBalancerIP', 'loadBalancerClass', 'ipFamilyPolicy', 'trafficDistribution', 'sessionAffinity']) {
        s.field(spec, k, isStr, `spec.${k}`);
      }
      s.field(spec, 'selector', isStrMap, 'spec.selector');
      for (const k of ['clusterIPs', 'ipFamilies', 'externalIPs', 'loadBalancerSourceRanges']) s.field(spec, k, strList, `spec.${k}`);
      s.field(spec, 'healthCheckNodePort', isNum, 'spec.healthCheckNodePort');
      for (const k of ['publishNotReadyAddresses', 'allocateLoadBalancerNodePorts']) s.field(spec, k, (v) => typeof v === 'boolean', `spec.${k}`);
      s.list(spec, 'ports', 'spec.ports', (p, path) => {
        s.field(p, 'name', isStr, `${path}.name`);
        s.field(p, 'protocol', isStr, `${path}.protocol`);
        s.field(p, 'appProtocol', isStr, `${path}.appProtocol`);
        s.field(p, 'port', isNum, `${path}.port`);
        s.field(p, 'nodePort', isNum, `${path}.nodePort`);
        s.field(p, 'targetPort', numOrStr, `${path}.targetPort`);
      });
      if (Array.isArray(spec.ports)) spec.ports = (spec.ports as Rec[]).filter((p) => isNum(p.port));
      s.rec(o, 'status', 'status', (st) =>
        s.rec(st, 'loadBalancer', 'status.loadBalancer', (lb) => s.list(lb, 'ingress', 'status.loadBalancer.ingress', (i, p) => s.field(i, 'ip', isStr, `${p}.ip`))),
      );
      break;
    }
    case 'Pod':
      s.podSpec(spec, 'spec');
      s.rec(o, 'status', 'status', (st) => {
        for (const k of ['phase', 'podIP', 'hostIP']) s.field(st, k, isStr, `status.${k}`);
        s.list(st, 'podIPs', 'status.podIPs', (p, path) => s.field(p, 'ip', isStr, `${path}.ip`));
        s.list(st, 'conditions', 'status.conditions', (c, path) => {
          s.field(c, 'type', isStr, `${path}.type`);
          s.field(c, 'status', isStr, `${path}.status`);
        });
      });
      break;
    case 'Deployment':
    case 'ReplicaSet':
      s.field(spec, 'replicas', (v) => isNum(v) && v >= 0, 'spec.replicas');
      s.selector(spec, 'selector', 'spec.selector');
      s.template(spec);
      s.field(spec, 'strategy', isRec, 'spec.strategy');
      break;
    case 'Node':
      if (!s.rec(o, 'spec', 'spec')) delete o.spec;
      else {
        s.field(spec, 'podCIDR', isStr, 'spec.podCIDR');
        s.field(spec, 'podCIDRs', strList, 'spec.podCIDRs');
        s.field(spec, 'taints', recList, 'spec.taints');
      }
      s.rec(o, 'status', 'status', (st) => {
        s.list(st, 'addresses', 'status.addresses', (a, p) => {
          s.field(a, 'type', isStr, `${p}.type`);
          s.field(a, 'address', isStr, `${p}.address`);
        });
        s.list(st, 'conditions', 'status.conditions', () => undefined);
        s.field(st, 'allocatable', isRec, 'status.allocatable');
      });
      break;
    case 'EndpointSlice':
      s.field(o, 'addressType', isStr, 'addressType');
      s.list(o, 'endpoints', 'endpoints', (e, p) => {
        s.field(e, 'addresses', strList, `${p}.addresses`);
        if (!Array.isArray(e.addresses)) e.addresses = [];
        s.field(e, 'conditions', isRec, `${p}.conditions`);
        for (const k of ['nodeName', 'zone', 'hostname']) s.field(e, k, isStr, `${p}.${k}`);
      });
      s.list(o, 'ports', 'ports', () => undefined);
      break;
    case 'Endpoints':
      s.list(o, 'subsets', 'subsets', (sub, p) => {
        for (const k of ['addresses', 'notReadyAddresses']) {
          s.list(sub, k, `${p}.${k}`, (a, pp) => s.field(a, 'ip', isStr, `${pp}.ip`));
          if (Array.isArray(sub[k])) sub[k] = (sub[k] as Rec[]).filter((a) => isStr(a.ip));
        }
        s.list(sub, 'ports', `${p}.ports`, (pt, pp) => s.field(pt, 'port', isNum, `${pp}.port`));
      });
      break;
    default:
      break;
  }
  return true;
}
