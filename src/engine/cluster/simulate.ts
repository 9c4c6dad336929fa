// simulateCluster: the control plane in one pass, in the order a real cluster converges:
// nodes -> workloads (ReplicaSets, pods, scheduling, pod IPs) -> readiness overrides ->
// Services (API server allocation, cloud LB) -> Endpoints, EndpointSlices, mirroring -> DNS.
import type { Diagnostic } from '../diagnostics.ts';
import type { Deployment, Endpoints, EndpointSlice, Node, Pod, ReplicaSet, Service } from '../k8s/types.ts';
import { createRng, type Rng } from '../util/rng.ts';
import { dnsRecords } from './dns.ts';
import { endpointsFor } from './endpoints.ts';
import {
  CONTROLLER_NAME,
  hasControllerEndpoints,
  MANAGED_BY_LABEL,
  reconcileSlices,
  SERVICE_NAME_LABEL,
} from './endpointslices.ts';
import { parseCIDR } from './ip.ts';
import { LabelIndex } from './labels.ts';
import { mirrorEndpoints } from './mirroring.ts';
import { buildNodes, DEFAULT_NODES } from './nodes.ts';
import { diag, type PositionOf } from './place.ts';
import { assignPodIPs } from './podips.ts';
import { applyReadiness, keyOf, nsOf, settlePastedPod, uidFor } from './pods.ts';
import { parseNodePortRange, parseServiceCIDRs, ServiceAllocator } from './services.ts';
import type { ClusterInput, ClusterOptions, ClusterState } from './types.ts';
import { runWorkloads, type Workload } from './workloads.ts';
import { sanitize } from './sanitize.ts';

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';
export const DEFAULT_LB_POOL = '203.0.113.0/24';
export const DEFAULT_KUBERNETES_VERSION = '1.35';

/** Independent RNG streams per purpose, so e.g. adding a pod never moves a ClusterIP. */
function stream(seed: number, purpose: number): Rng {
  return createRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(purpose, 0x85ebca6b)) >>> 0);
}

function minorOf(version: string): number {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? Number(m[2]) : 35;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function simulateCluster(input: ClusterInput, settings: ClusterOptions = {}): ClusterState {
  const diagnostics: Diagnostic[] = [];
  const seed = settings.seed ?? 1;
  const allocate = settings.allocation !== 'none';
  const minor = minorOf(settings.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);

  const services: { object: Service; positionOf?: PositionOf }[] = [];
  const deployments: Workload<Deployment>[] = [];
  const replicaSets: Workload<ReplicaSet>[] = [];
  const pastedPods: Pod[] = [];
  const podPositions = new WeakMap<Pod, PositionOf>();
  const nodeObjs: Node[] = [];
  const userSlices: EndpointSlice[] = [];
  const userEndpoints: Endpoints[] = [];

  for (const item of input.objects ?? []) {
    if (!item || item.invalid || item.ignored || !isObject(item.object)) continue;
    // Never mutate the caller's objects: the UI keeps them for the editor.
    const obj = JSON.parse(JSON.stringify(item.object)) as Record<string, unknown>;
    const kind = item.kind || (obj.kind as string);
    if (!sanitize(kind, obj, item.positionOf, diagnostics)) continue;
    const meta = obj.metadata as { namespace?: string; name: string; uid?: string };
    if (kind !== 'Node' && kind !== 'Namespace') meta.namespace ||= 'default';
    meta.uid ??= uidFor(kind, meta.namespace ?? '', meta.name);
    const positionOf = item.positionOf;
    switch (kind) {
      case 'Service':
        services.push({ object: obj as unknown as Service, positionOf });
        break;
      case 'Deployment':
        deployments.push({ object: obj as unknown as Deployment, positionOf });
        break;
      case 'ReplicaSet':
        replicaSets.push({ object: obj as unknown as ReplicaSet, positionOf });
        break;
      case 'Pod': {
        const p = obj as unknown as Pod;
        settlePastedPod(p);
        pastedPods.push(p);
        if (positionOf) podPositions.set(p, positionOf);
        break;
      }
      case 'Node':
        nodeObjs.push(obj as unknown as Node);
        break;
      case 'EndpointSlice':
        userSlices.push(obj as unknown as EndpointSlice);
        break;
      case 'Endpoints':
        userEndpoints.push(obj as unknown as Endpoints);
        break;
      default:
        break;
    }
  }

  const clusterCIDR = parseCIDR(settings.clusterCIDR ?? DEFAULT_CLUSTER_CIDR)?.text ?? DEFAULT_CLUSTER_CIDR;
  const { nodes, defaultCluster } = buildNodes(nodeObjs, pastedPods, clusterCIDR, settings.defaultNodes ?? DEFAULT_NODES);
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));

  // Workloads and pods
  const wl = runWorkloads(deployments, replicaSets, pastedPods, nodes, stream(seed, 1), podPositions);
  diagnostics.push(...wl.diagnostics);
  const pods = wl.pods;
  assignPodIPs(pods, nodes);
  for (const [key, r] of Object.entries(settings.podReadiness ?? {})) {
    const p = pods.find((x) => keyOf(x) === key);
    if (p) applyReadiness(p, r);
  }

  // Services
  let serviceCIDRs = parseServiceCIDRs(settings.serviceClusterIPRange ?? DEFAULT_SERVICE_CIDR);
  if (serviceCIDRs.length === 0) {
    diagnostics.push(diag('cluster.serviceCIDR.invalid', 'error', `invalid --service-cluster-ip-range ${JSON.stringify(settings.serviceClusterIPRange)}; using ${DEFAULT_SERVICE_CIDR}`, undefined, ''));
    serviceCIDRs = parseServiceCIDRs(DEFAULT_SERVICE_CIDR);
  }
  const npRange = parseNodePortRange(settings.nodePortRange ?? DEFAULT_NODE_PORT_RANGE) ?? (parseNodePortRange(DEFAULT_NODE_PORT_RANGE) as { base: number; size: number });
  const lbPoolText = settings.loadBalancerPool === undefined ? DEFAULT_LB_POOL : settings.loadBalancerPool;
  const allocator = new ServiceAllocator({
    serviceCIDRs,
    nodePortRange: npRange,
    minor,
    loadBalancerPool: lbPoolText ? parseCIDR(lbPoolText) : null,
    ipRng: stream(seed, 2),
    portRng: stream(seed, 3),
  });
  const kept: Service[] = [];
  const hasOwnKubernetes = services.some((s) => nsOf(s.object) === 'default' && s.object.metadata.name === 'kubernetes');
  if (allocate && !hasOwnKubernetes) {
    const firstIP = allocator.ipAllocators[0].nth(1);
    if (settings.kubernetesService) {
      const k: Service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', uid: uidFor('Service', 'default', 'kubernetes'), labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { type: 'ClusterIP', clusterIP: firstIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
      };
      allocator.create(k, undefined);
      kept.push(k);
    } else {
      allocator.reserve(firstIP);
    }
  }
  for (const { object: svc, positionOf } of services) {
    if (!allocate) {
      kept.push(svc);
      continue;
    }
    const errs = allocator.create(svc, positionOf);
    if (errs.length > 0) {
      diagnostics.push(...errs);
      continue;
    }
    allocator.assignIngress(svc);
    kept.push(svc);
  }

  // Endpoint controllers
  const podIndex = new LabelIndex(pods, nsOf, (p) => p.metadata.labels);
  const primaryFamily = allocator.primaryFamily;
  const svcByKey = new Map(kept.map((s) => [keyOf(s), s]));
  const existing = new Map<string, EndpointSlice[]>();
  const passThrough: EndpointSlice[] = [];
  for (const s of userSlices) {
    const svcName = s.metadata.labels?.[SERVICE_NAME_LABEL];
    const svc = svcName ? svcByKey.get(`${nsOf(s)}/${svcName}`) : undefined;
    if (svc && hasControllerEndpoints(svc) && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) {
      const k = keyOf(svc);
      if (!existing.has(k)) existing.set(k, []);
      existing.get(k)?.push(s);
    } else passThrough.push(s);
  }
  const sliceNames = new Map<string, Set<string>>();
  const takenNames = (ns: string) => {
    let s = sliceNames.get(ns);
    if (!s) {
      s = new Set(userSlices.filter((x) => nsOf(x) === ns).map((x) => x.metadata.name as string));
      sliceNames.set(ns, s);
    }
    return s;
  };
  const events: string[] = [];
  const warnings: string[] = [];
  const sliceRng = stream(seed, 4);
  const controllerSlices: EndpointSlice[] = [];
  const endpoints: Endpoints[] = [];
  for (const svc of kept) {
    if (!hasControllerEndpoints(svc)) continue;
    controllerSlices.push(
      ...reconcileSlices(svc, {
        pods: podIndex,
        nodes: nodeByName,
        nodeList: nodes,
        primaryFamily,
        maxEndpointsPerSlice: settings.maxEndpointsPerSlice ?? 100,
        rng: sliceRng,
        takenNames,
        existing,
        events,
        warnings,
        minor,
      }),
    );
    endpoints.push(endpointsFor(svc, podIndex, primaryFamily));
  }
  const mirrored: EndpointSlice[] = [];
  const mirrorRng = stream(seed, 5);
  for (const ep of userEndpoints) {
    const svc = svcByKey.get(keyOf(ep));
    // the controller owns Endpoints of selector Services: a pasted copy is replaced by ours
    if (svc && hasControllerEndpoints(svc)) continue;
    endpoints.push(ep);
    mirrored.push(...mirrorEndpoints(ep, svc, mirrorRng, takenNames(nsOf(ep)), warnings));
  }
  if (allocate && settings.kubernetesService && !hasOwnKubernetes) {
    const k = kept.find((s) => keyOf(s) === 'default/kubernetes') as Service;
    const apiserverIP = nodes[0]?.internalIP;
    if (k && apiserverIP) {
      endpoints.push({
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
        subsets: [{ addresses: [{ ip: apiserverIP }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
      });
      controllerSlices.unshift({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'kubernetes' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: [apiserverIP], conditions: { ready: true } }],
        ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
      });
    }
  }
  for (const w of warnings) diagnostics.push(diag('cluster.endpoints.warning', 'warning', w, undefined, ''));
  for (const e of events) diagnostics.push(diag('cluster.topology.hints', 'info', e, undefined, ''));

  const endpointSlices = [...controllerSlices, ...mirrored, ...passThrough];
  return {
    nodes,
    defaultCluster,
    pods,
    replicaSets: wl.replicaSets,
    services: kept,
    endpointSlices,
    endpoints,
    dns: dnsRecords(kept, endpointSlices, settings.clusterDomain ?? 'cluster.local'),
    clusterCIDR,
    serviceCIDR: serviceCIDRs.map((c) => c.text).join(','),
    diagnostics,
  };
}
