// What the cluster map draws, cut down from the simulated cluster so it crosses postMessage
// cheaply: nodes with their zone and region, pods with address and readiness, Service VIPs.
import type { ClusterState } from '../cluster/types.ts';
import type { PodReadiness } from '../k8s/types.ts';
import { podReadiness } from '../cluster/pods.ts';

export interface MapNode {
  name: string;
  zone: string | null;
  region: string | null;
  ip: string;
}
export interface MapPod {
  /** namespace/name: the key ClusterSettings.podReadiness uses */
  key: string;
  name: string;
  ip: string | null;
  node: string | null;
  readiness: PodReadiness;
}
export interface MapService {
  key: string;
  type: string;
  clusterIP: string | null;
}
export interface MapModel {
  nodes: MapNode[];
  pods: MapPod[];
  services: MapService[];
  /** the map stops drawing past this many pods (the rules still hold them all) */
  truncated: boolean;
}

export const MAP_MAX_PODS = 600;

export function mapModel(c: ClusterState): MapModel {
  const pods = c.pods.slice(0, MAP_MAX_PODS).map((p) => {
    const ns = p.metadata.namespace ?? 'default';
    const name = p.metadata.name ?? '';
    return { key: `${ns}/${name}`, name, ip: p.status?.podIP ?? null, node: p.spec.nodeName ?? null, readiness: podReadiness(p) };
  });
  return {
    nodes: c.nodes.map((n) => ({ name: n.name, zone: n.zone ?? null, region: n.region ?? null, ip: n.internalIP })),
    pods,
    services: c.services.slice(0, 200).map((s) => ({
      key: `${s.metadata.namespace ?? 'default'}/${s.metadata.name ?? ''}`,
      type: s.spec.type ?? 'ClusterIP',
      clusterIP: s.spec.clusterIP ?? null,
    })),
    truncated: c.pods.length > MAP_MAX_PODS,
  };
}

/** the click on a pod: ready → not ready → terminating → ready */
export function nextReadiness(r: PodReadiness): PodReadiness {
  return r === 'ready' ? 'notReady' : r === 'notReady' ? 'terminating' : 'ready';
}
