// Topology hints on EndpointSlice endpoints (semantics.md §4.2-4.3): the topology-mode
// annotation's CPU-proportional "Auto" heuristic (topologycache), else spec.trafficDistribution's
// trivial same-zone / same-node hints. Go iterates maps in random order where the controller
// picks giving/receiving zones; we go in zone-name order so the result is reproducible.
import type { Endpoint, Service } from '../k8s/types.ts';
import type { SimNode } from './types.ts';

export const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
export const TOPOLOGY_HINTS_DEPRECATED = 'service.kubernetes.io/topology-aware-hints';
const OVERLOAD_THRESHOLD = 0.2;

export type HintOutcome = { applied: 'auto' | 'trafficDistribution' | 'none'; event?: string };

/** the annotation value that decides (the deprecated one wins when both are set) */
export function topologyMode(svc: Service, minor = 35): string | undefined {
  const a = svc.metadata.annotations ?? {};
  // topology-mode exists from 1.27; hints themselves from 1.21 (TopologyAwareHints gate, beta 1.23)
  if (minor < 21) return undefined;
  return a[TOPOLOGY_HINTS_DEPRECATED] ?? (minor >= 27 ? a[TOPOLOGY_MODE] : undefined);
}

function autoEnabled(svc: Service, minor: number): boolean {
  const v = topologyMode(svc, minor);
  return v === 'Auto' || v === 'auto';
}

/** trafficDistribution values this version's controller acts on (KEP-4444 beta 1.31; KEP-3015 beta 1.34) */
function trafficDistributionKnown(v: string | undefined, minor: number): boolean {
  if (v === 'PreferClose') return minor >= 31;
  if (v === 'PreferSameZone' || v === 'PreferSameNode') return minor >= 34;
  return false;
}

const ready = (e: Endpoint) => e.conditions?.ready === true;

/** zone -> share of allocatable CPU, or the reason hints cannot be computed */
export function zoneCPURatios(nodes: SimNode[]): Map<string, number> | string {
  const cpu = new Map<string, number>();
  let total = 0;
  for (const n of nodes) {
    if (n.labels['node-role.kubernetes.io/control-plane'] !== undefined || n.labels['node-role.kubernetes.io/master'] !== undefined) continue;
    if (!n.ready) continue;
    if (!n.zone || !n.allocatableMilliCPU) return 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes';
    cpu.set(n.zone, (cpu.get(n.zone) ?? 0) + n.allocatableMilliCPU);
    total += n.allocatableMilliCPU;
  }
  if (cpu.size < 2) return 'Nodes only ready in one zone';
  const ratios = new Map<string, number>();
  for (const [z, c] of [...cpu.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) ratios.set(z, c / total);
  return ratios;
}

function getMost(m: Map<string, number>): [string, number] {
  let zone = '';
  let num = 0;
  for (const [z, n] of m) {
    if (n > num) {
      zone = z;
      num = n;
    }
  }
  return [zone, num];
}

function auto(endpoints: Endpoint[], ratios: Map<string, number> | string, addressType: string): string {
  const off = (why: string) => {
    for (const e of endpoints) delete e.hints;
    return `TopologyAwareHintsDisabled: ${why}, addressType: ${addressType}`;
  };
  if (typeof ratios === 'string') return off(ratios);
  const allocated = new Map<string, number>();
  let total = 0;
  for (const e of endpoints) {
    if (!ready(e)) {
      delete e.hints;
      continue;
    }
    if (!e.zone) return off('One or more endpoints do not have a zone specified');
    total++;
    allocated.set(e.zone, (allocated.get(e.zone) ?? 0) + 1);
    e.hints = { forZones: [{ name: e.zone }] };
  }
  if (ratios.size > total) return off(`Insufficient number of endpoints (${total} endpoints, ${ratios.size} zones)`);
  let remaining = total;
  const desired = new Map<string, number>();
  for (const [zone, ratio] of ratios) {
    const d = ratio * total;
    const minimum = Math.ceil(d * (1 / (1 + OVERLOAD_THRESHOLD)));
    desired.set(zone, Math.max(d, minimum));
    remaining -= minimum;
    if (remaining < 0) return off('Unable to allocate minimum required endpoints to each zone without exceeding overload threshold');
  }
  const givingDesired = new Map<string, number>();
  const receivingDesired = new Map<string, number>();
  for (const [zone, target] of desired) {
    const have = allocated.get(zone) ?? 0;
    if (have > target) givingDesired.set(zone, have - target);
    else if (have < target) receivingDesired.set(zone, target - have);
  }
  const giving = new Map<string, number>();
  const receiving = new Map<string, number>();
  for (;;) {
    const [gz, ng] = getMost(givingDesired);
    const [rz, nr] = getMost(receivingDesired);
    if (gz === '' || rz === '' || (ng < 1 && nr < 1) || ng < 0.5 || nr < 0.5) break;
    giving.set(gz, (giving.get(gz) ?? 0) + 1);
    givingDesired.set(gz, ng - 1);
    receiving.set(rz, (receiving.get(rz) ?? 0) + 1);
    receivingDesired.set(rz, nr - 1);
  }
  for (const e of endpoints) {
    if (!ready(e) || giving.size === 0 || receiving.size === 0) continue;
    const z = e.zone as string;
    const g = giving.get(z);
    if (!g) continue;
    for (const [rz, n] of receiving) {
      if (n <= 0) continue;
      e.hints = { forZones: [{ name: rz }] };
      if (g === 1) giving.delete(z);
      else giving.set(z, g - 1);
      if (n === 1) receiving.delete(rz);
      else receiving.set(rz, n - 1);
      break;
    }
  }
  return `TopologyAwareHintsEnabled, addressType: ${addressType}`;
}

/** Sets or clears `hints` on the endpoints of one Service and address type (all its slices). */
export function applyHints(svc: Service, endpoints: Endpoint[], nodes: SimNode[], addressType: string, minor = 35): HintOutcome {
  if (autoEnabled(svc, minor)) return { applied: 'auto', event: auto(endpoints, zoneCPURatios(nodes), addressType) };
  const td = svc.spec.trafficDistribution;
  if (trafficDistributionKnown(td, minor)) {
    for (const e of endpoints) {
      delete e.hints;
      if (!ready(e)) continue;
      const h: NonNullable<Endpoint['hints']> = {};
      if (e.zone) h.forZones = [{ name: e.zone }];
      if (td === 'PreferSameNode' && e.nodeName) h.forNodes = [{ name: e.nodeName }];
      if (h.forZones || h.forNodes) e.hints = h;
    }
    return { applied: 'trafficDistribution' };
  }
  for (const e of endpoints) delete e.hints;
  return { applied: 'none' };
}
