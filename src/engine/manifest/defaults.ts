// Defaulting as the API server applies it on create: pkg/apis/core/v1/defaults.go and
// pkg/apis/apps/v1/defaults.go, plus the Service registry's clusterIPs / ipFamilies
// normalisation (what `kubectl get -o yaml` shows right after create, minus allocation).
import type { KnownKind } from './kinds.ts';
import { ipFamilyOf, type IPFamily } from './ip.ts';
import { newObject, setOwn } from './yaml-tree.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Returns o[k] as an object, creating it when absent (null counts as absent). */
function child(o: Obj, k: string): Obj {
  const v = o[k];
  if (isObj(v)) return v;
  const c = newObject();
  setOwn(o, k, c);
  return c;
}

const objList = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const absent = (v: unknown): boolean => v === undefined || v === null;

export interface DefaultingContext {
  /** families of --service-cluster-ip-range, primary first; empty when not configured */
  clusterFamilies: IPFamily[];
}

export function applyDefaults(kind: KnownKind, o: Obj, ctx: DefaultingContext, namespaced: boolean): void {
  const meta = child(o, 'metadata');
  if (namespaced && (absent(meta.namespace) || meta.namespace === '')) setOwn(meta, 'namespace', 'default');
  switch (kind) {
    case 'Service':
      return defaultService(o, ctx);
    case 'Deployment':
      return defaultDeployment(o);
    case 'ReplicaSet':
      defaultReplicas(child(o, 'spec'));
      return defaultPodSpec(child(child(child(o, 'spec'), 'template'), 'spec'));
    case 'Pod':
      return defaultPodSpec(child(o, 'spec'));
    case 'EndpointSlice':
      for (const p of objList(o.ports)) {
        if (absent(p.name)) setOwn(p, 'name', '');
        if (absent(p.protocol)) setOwn(p, 'protocol', 'TCP');
      }
      return;
    case 'Endpoints':
      for (const s of objList(o.subsets)) for (const p of objList(s.ports)) if (absent(p.protocol) || p.protocol === '') setOwn(p, 'protocol', 'TCP');
      return;
    case 'Namespace': {
      if (typeof meta.name === 'string' && meta.name) setOwn(child(meta, 'labels'), 'kubernetes.io/metadata.name', meta.name);
      return;
    }
    case 'Node':
      return;
  }
}

/** type LoadBalancer or NodePort, or ClusterIP with externalIPs (pkg/api/service ExternallyAccessible). */
export function externallyAccessible(spec: Obj): boolean {
  return (
    spec.type === 'LoadBalancer' ||
    spec.type === 'NodePort' ||
    (spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)
  );
}

function defaultService(o: Obj, ctx: DefaultingContext): void {
  const spec = child(o, 'spec');
  if (absent(spec.sessionAffinity) || spec.sessionAffinity === '') setOwn(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig;
    const cip = isObj(cfg) ? cfg.clientIP : undefined;
    if (!isObj(cfg) || !isObj(cip) || absent(cip.timeoutSeconds)) {
      const c = newObject();
      const ip = newObject();
      setOwn(ip, 'timeoutSeconds', 10800);
      setOwn(c, 'clientIP', ip);
      setOwn(spec, 'sessionAffinityConfig', c);
    }
  }
  if (absent(spec.type) || spec.type === '') setOwn(spec, 'type', 'ClusterIP');
  for (const p of objList(spec.ports)) {
    if (absent(p.protocol) || p.protocol === '') setOwn(p, 'protocol', 'TCP');
    if (absent(p.targetPort) || p.targetPort === 0 || p.targetPort === '') setOwn(p, 'targetPort', typeof p.port === 'number' ? p.port : 0);
  }
  if (externallyAccessible(spec) && (absent(spec.externalTrafficPolicy) || spec.externalTrafficPolicy === ''))
    setOwn(spec, 'externalTrafficPolicy', 'Cluster');
  if (absent(spec.internalTrafficPolicy) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type as string))
    setOwn(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer' && absent(spec.allocateLoadBalancerNodePorts)) setOwn(spec, 'allocateLoadBalancerNodePorts', true);
  normalizeClusterIPs(spec);
  if (spec.type !== 'ExternalName') defaultIPFamilies(spec, ctx);
}

// The registry keeps clusterIP and clusterIPs[0] in step so users can write either one.
function normalizeClusterIPs(spec: Obj): void {
  const ip = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  if (ip && ips.length === 0) setOwn(spec, 'clusterIPs', [ip]);
  else if (!ip && ips.length > 0 && typeof ips[0] === 'string') setOwn(spec, 'clusterIP', ips[0]);
}

function defaultIPFamilies(spec: Obj, ctx: DefaultingContext): void {
  const ips = (Array.isArray(spec.clusterIPs) ? spec.clusterIPs : []).filter((x): x is string => typeof x === 'string');
  const headless = ips.length === 1 && ips[0] === 'None';
  const selectorless = absent(spec.selector);
  if (absent(spec.ipFamilyPolicy)) setOwn(spec, 'ipFamilyPolicy', headless && selectorless ? 'RequireDualStack' : 'SingleStack');
  if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 0) return;
  const fromIPs = headless ? [] : ips.map(ipFamilyOf).filter((f): f is IPFamily => f !== null);
  const primary: IPFamily = ctx.clusterFamilies[0] ?? 'IPv4';
  const families: IPFamily[] = fromIPs.length ? [...new Set(fromIPs)] : [primary];
  const dual = spec.ipFamilyPolicy === 'PreferDualStack' || spec.ipFamilyPolicy === 'RequireDualStack';
  if (dual && families.length === 1 && ctx.clusterFamilies.length === 2) {
    const other = ctx.clusterFamilies.find((f) => f !== families[0]);
    if (other) families.push(other);
  }
  setOwn(spec, 'ipFamilies', families);
}

function defaultReplicas(spec: Obj): void {
  if (absent(spec.replicas)) setOwn(spec, 'replicas', 1);
}

function defaultDeployment(o: Obj): void {
  const spec = child(o, 'spec');
  defaultReplicas(spec);
  const strategy = child(spec, 'strategy');
  if (absent(strategy.type) || strategy.type === '') setOwn(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    if (absent(ru.maxUnavailable)) setOwn(ru, 'maxUnavailable', '25%');
    if (absent(ru.maxSurge)) setOwn(ru, 'maxSurge', '25%');
  }
  if (absent(spec.revisionHistoryLimit)) setOwn(spec, 'revisionHistoryLimit', 10);
  if (absent(spec.progressDeadlineSeconds)) setOwn(spec, 'progressDeadlineSeconds', 600);
  defaultPodSpec(child(child(spec, 'template'), 'spec'));
}

function defaultPodSpec(spec: Obj): void {
  if (absent(spec.restartPolicy) || spec.restartPolicy === '') setOwn(spec, 'restartPolicy', 'Always');
  if (absent(spec.dnsPolicy) || spec.dnsPolicy === '') setOwn(spec, 'dnsPolicy', 'ClusterFirst');
  if (absent(spec.schedulerName) || spec.schedulerName === '') setOwn(spec, 'schedulerName', 'default-scheduler');
  if (absent(spec.terminationGracePeriodSeconds)) setOwn(spec, 'terminationGracePeriodSeconds', 30);
  for (const c of [...objList(spec.containers), ...objList(spec.initContainers)]) {
    for (const p of objList(c.ports)) {
      if (absent(p.protocol) || p.protocol === '') setOwn(p, 'protocol', 'TCP');
      if (spec.hostNetwork === true && (absent(p.hostPort) || p.hostPort === 0) && typeof p.containerPort === 'number')
        setOwn(p, 'hostPort', p.containerPort);
    }
  }
}
