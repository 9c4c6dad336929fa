// The EndpointSlice controller (semantics.md §2.1-2.4) for Services with a selector: one group
// per (address type, resolved port list), at most maxEndpointsPerSlice endpoints per slice,
// names `<service>-<5 random>`; an empty Service keeps one placeholder slice per address type.
// Slices the user pasted that claim this controller are taken as the existing state: their names
// are reused (the controller updates slices in place) and their content is recomputed.
import type { Endpoint, EndpointPort, EndpointSlice, IPFamily, Pod, Service } from '../k8s/types.ts';
import type { Rng } from '../util/rng.ts';
import { applyHints } from './hints.ts';
import { canonicalIP, familyOf } from './ip.ts';
import type { LabelIndex } from './labels.ts';
import { uniqueGeneratedName } from './names.ts';
import { isPodReady, isTerminal, isTerminating, nsOf, podIPs } from './pods.ts';
import { resolvePort } from './ports.ts';
import type { SimNode } from './types.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export function isHeadlessService(s: Service): boolean {
  return s.spec.clusterIP === 'None' || s.spec.clusterIPs?.[0] === 'None';
}

/** Services the endpoint controllers manage: a selector (even `{}`), not ExternalName */
export function hasControllerEndpoints(s: Service): boolean {
  return s.spec.type !== 'ExternalName' && s.spec.selector !== undefined && s.spec.selector !== null;
}

export function serviceAddressTypes(s: Service, primary: IPFamily): IPFamily[] {
  if (s.spec.ipFamilies && s.spec.ipFamilies.length > 0) return s.spec.ipFamilies;
  const f = s.spec.clusterIP ? familyOf(s.spec.clusterIP) : null;
  return [f ?? primary];
}

/** pod.spec.hostname is published only when the pod's subdomain names this Service */
export function endpointHostname(p: Pod, svc: Service): string | undefined {
  return p.spec.hostname && p.spec.subdomain === svc.metadata.name && nsOf(p) === nsOf(svc) ? p.spec.hostname : undefined;
}

export function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) labels[k] = v;
  }
  labels[SERVICE_NAME_LABEL] = svc.metadata.name as string;
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  if (isHeadlessService(svc)) labels[HEADLESS_LABEL] = '';
  return labels;
}

export interface SliceControllerContext {
  pods: LabelIndex<Pod>;
  nodes: Map<string, SimNode>;
  nodeList: SimNode[];
  primaryFamily: IPFamily;
  maxEndpointsPerSlice: number;
  rng: Rng;
  /** names taken per namespace (generateName retries on conflicts) */
  takenNames: (namespace: string) => Set<string>;
  /** pasted slices of this controller, by "namespace/service" */
  existing: Map<string, EndpointSlice[]>;
  events: string[];
  warnings: string[];
  /** Kubernetes minor version (era switches: <1.22 no serving/terminating, v1beta1 topology map) */
  minor?: number;
}

function portsKey(ports: EndpointPort[]): string {
  return JSON.stringify(
    ports.map((p) => [p.name ?? '', p.protocol ?? '', p.port ?? 0, p.appProtocol ?? '']).sort(),
  );
}

export function reconcileSlices(svc: Service, ctx: SliceControllerContext): EndpointSlice[] {
  const ns = nsOf(svc);
  const name = svc.metadata.name as string;
  const pNRA = svc.spec.publishNotReadyAddresses === true;
  const minor = ctx.minor ?? 35;
  // EndpointSliceTerminatingCondition went beta (on) in 1.22: before, terminating pods were left
  // out as in Endpoints, and endpoints carried only `ready` plus the v1beta1 topology map.
  const terminatingEra = minor >= 22;
  const selected = ctx.pods.select(ns, svc.spec.selector ?? {});
  const out: EndpointSlice[] = [];
  const existing = [...(ctx.existing.get(`${ns}/${name}`) ?? [])];
  const ownerRef = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true };

  for (const addressType of serviceAddressTypes(svc, ctx.primaryFamily)) {
    const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
    for (const pod of selected) {
      if (isTerminal(pod)) continue;
      if (!terminatingEra && isTerminating(pod) && !pNRA) continue;
      const ip = podIPs(pod).find((x) => familyOf(x) === addressType);
      if (!ip) continue;
      const nodeName = pod.spec.nodeName;
      const node = nodeName ? ctx.nodes.get(nodeName) : undefined;
      if (!node && !pNRA) {
        ctx.warnings.push(`skipping Pod ${pod.metadata.name} for Service ${ns}/${name}: Node ${nodeName ?? ''} Not Found`);
        continue;
      }
      const ports: EndpointPort[] = [];
      for (const sp of svc.spec.ports ?? []) {
        const n = resolvePort(pod, sp);
        if (n === null) continue;
        const ep: EndpointPort = { name: sp.name ?? '', port: n, protocol: sp.protocol ?? 'TCP' };
        if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
        ports.push(ep);
      }
      const serving = isPodReady(pod);
      const terminating = isTerminating(pod);
      const e: Endpoint = {
        addresses: [canonicalIP(ip) ?? ip],
        conditions: terminatingEra ? { ready: pNRA || (serving && !terminating), serving, terminating } : { ready: pNRA || serving },
      };
      const hostname = endpointHostname(pod, svc);
      if (hostname) e.hostname = hostname;
      e.targetRef = { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid };
      if (nodeName) e.nodeName = nodeName;
      if (node?.zone) e.zone = node.zone;
      if (minor < 22) {
        // topologyKeys era: hostname is the pod's nodeName, not the node's hostname label
        const topology: Record<string, string> = {};
        if (nodeName) topology['kubernetes.io/hostname'] = nodeName;
        if (node?.zone) topology['topology.kubernetes.io/zone'] = node.zone;
        if (node?.region) topology['topology.kubernetes.io/region'] = node.region;
        e.topology = topology;
      }
      const key = portsKey(ports);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { ports, endpoints: [] }));
      g.endpoints.push(e);
    }
    const all = [...groups.values()].flatMap((g) => g.endpoints);
    const outcome = applyHints(svc, all, ctx.nodeList, addressType, minor);
    if (outcome.event) ctx.events.push(`${ns}/${name}: ${outcome.event}`);

    const reuse = existing.filter((s) => s.addressType === addressType);
    const nextName = (): string => {
      const old = reuse.shift();
      if (old?.metadata.name) return old.metadata.name;
      return uniqueGeneratedName(`${name}-`, ctx.rng, ctx.takenNames(ns));
    };
    const make = (ports: EndpointPort[], endpoints: Endpoint[]): EndpointSlice => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: nextName(),
        generateName: `${name}-`,
        namespace: ns,
        labels: sliceLabels(svc),
        ownerReferences: [ownerRef],
      },
      addressType,
      endpoints,
      ports,
    });
    if (groups.size === 0) {
      out.push(make([], []));
      continue;
    }
    const max = Math.max(1, ctx.maxEndpointsPerSlice);
    for (const g of groups.values()) {
      for (let i = 0; i < g.endpoints.length; i += max) {
        out.push(make(g.ports.map((p) => ({ ...p })), g.endpoints.slice(i, i + max)));
      }
    }
  }
  return out;
}
