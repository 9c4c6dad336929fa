// The EndpointSlice mirroring controller (semantics.md §2.5): a user's Endpoints for a
// selectorless Service become slices, one per (subset, address type); ready addresses first,
// at most 1000 per subset; invalid IPs skipped.
import type { Endpoint, EndpointAddress, Endpoints, EndpointSlice, Service } from '../k8s/types.ts';
import type { Rng } from '../util/rng.ts';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './endpointslices.ts';
import { canonicalIP, familyOf } from './ip.ts';
import { uniqueGeneratedName } from './names.ts';
import { nsOf } from './pods.ts';

export const MIRROR_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
export const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
const MAX_PER_SUBSET = 1000;
const DROPPED_ANNOTATIONS = new Set(['endpoints.kubernetes.io/last-change-trigger-time', 'kubectl.kubernetes.io/last-applied-configuration']);

export function mirrorEndpoints(
  ep: Endpoints,
  svc: Service | undefined,
  rng: Rng,
  taken: Set<string>,
  warnings: string[],
): EndpointSlice[] {
  if (!svc || (svc.spec.selector !== undefined && svc.spec.selector !== null)) return [];
  if (ep.metadata.labels?.[SKIP_MIRROR] === 'true' || ep.metadata.annotations?.[LEADER_ANNOTATION] !== undefined) return [];
  const ns = nsOf(ep);
  const name = ep.metadata.name as string;
  const labels = { ...(ep.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MIRROR_CONTROLLER };
  const annotations = Object.fromEntries(Object.entries(ep.metadata.annotations ?? {}).filter(([k]) => !DROPPED_ANNOTATIONS.has(k)));
  const out: EndpointSlice[] = [];
  let invalid = 0;
  for (const subset of ep.subsets ?? []) {
    const all: { a: EndpointAddress; ready: boolean }[] = [
      ...(subset.addresses ?? []).map((a) => ({ a, ready: true })),
      ...(subset.notReadyAddresses ?? []).map((a) => ({ a, ready: false })),
    ];
    if (all.length > MAX_PER_SUBSET) {
      warnings.push(
        `A max of ${MAX_PER_SUBSET} addresses can be mirrored to EndpointSlices per Endpoints subset. ${all.length - MAX_PER_SUBSET} addresses were skipped`,
      );
    }
    const byType = new Map<string, Endpoint[]>();
    for (const { a, ready } of all.slice(0, MAX_PER_SUBSET)) {
      const family = familyOf(a.ip);
      const ip = canonicalIP(a.ip);
      if (!family || !ip) {
        invalid++;
        continue;
      }
      const e: Endpoint = { addresses: [ip], conditions: { ready } };
      if (a.hostname) e.hostname = a.hostname;
      if (a.targetRef) e.targetRef = { ...a.targetRef };
      if (a.nodeName) e.nodeName = a.nodeName;
      let list = byType.get(family);
      if (!list) byType.set(family, (list = []));
      list.push(e);
    }
    for (const [addressType, endpoints] of byType) {
      out.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: uniqueGeneratedName(`${name}-`, rng, taken),
          generateName: `${name}-`,
          namespace: ns,
          labels: { ...labels },
          ...(Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
          ownerReferences: [{ apiVersion: 'v1', kind: 'Endpoints', name, uid: ep.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        addressType: addressType as 'IPv4' | 'IPv6',
        endpoints,
        ports: (subset.ports ?? []).map((p) => ({
          name: p.name ?? '',
          port: p.port,
          protocol: p.protocol ?? 'TCP',
          ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
        })),
      });
    }
  }
  if (invalid > 0) warnings.push(`Skipped ${invalid} invalid IP addresses when mirroring to EndpointSlices`);
  return out;
}
