// EndpointSlices -> kube-proxy's endpoint lists per service port (pkg/proxy/endpointslicecache.go):
// slices of this family, ports matched by name and protocol, addresses[0] only, duplicates of
// one `IP:port` merged, the result sorted by the `IP:port` string.

import type { EndpointSlice } from '../k8s/types.ts';
import type { ProxyEndpoint } from './model.ts';
import { LABEL_HOSTNAME, LABEL_ZONE } from './categorize.ts';
import { canonicalIP } from './ip.ts';
import { servicePortKey } from './serviceport.ts';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

// shared by every endpoint without hints (most of them); frozen so a stray write fails loudly
const NO_HINTS = Object.freeze([]) as unknown as string[];

export interface EndpointOptions {
  ipFamily: 'IPv4' | 'IPv6';
  nodeName: string;
  /** which of two endpoints with the same `IP:port` survives (v1.28: local; newest: non-terminating) */
  endpointDedupPrefers: 'local' | 'nonTerminating';
}

/**
 * Endpoints by service-port key (`ns/name[:port]/PROTOCOL`, see servicePortKey), each list
 * sorted by `IP:port` in byte order. Slices are read in (namespace, name) order so a tie between
 * duplicates is decided the same way every time.
 */
export function buildEndpointsMap(slices: readonly EndpointSlice[], opts: EndpointOptions): Map<string, ProxyEndpoint[]> {
  const sets = new Map<string, Map<string, ProxyEndpoint>>();
  const topologies = new Map<string, Record<string, string>>();
  const ordered = slices
    .filter((s) => s?.metadata && s.addressType === opts.ipFamily && s.metadata.labels?.[LABEL_SERVICE_NAME])
    .map((s, i) => ({ s, i }))
    .sort((a, b) => cmp(a.s.metadata.namespace ?? 'default', b.s.metadata.namespace ?? 'default') || cmp(a.s.metadata.name ?? '', b.s.metadata.name ?? '') || a.i - b.i)
    .map((x) => x.s);
  for (const slice of ordered) {
    const ns = slice.metadata.namespace ?? 'default';
    const svcName = slice.metadata.labels![LABEL_SERVICE_NAME];
    for (const port of slice.ports ?? []) {
      // a port without a name field cannot be matched to a service port
      if (port.name === undefined || port.name === null || !port.port) continue;
      const key = servicePortKey(ns, svcName, port.name, port.protocol ?? 'TCP');
      let set = sets.get(key);
      if (!set) sets.set(key, (set = new Map()));
      for (const ep of slice.endpoints ?? []) {
        const raw = ep.addresses?.[0];
        if (raw === undefined) continue;
        const ip = canonicalIP(raw);
        if (ip === null) continue;
        const c = ep.conditions ?? {};
        let topology: Record<string, string>;
        if (ep.topology) {
          topology = {};
          if (ep.nodeName) topology[LABEL_HOSTNAME] = ep.nodeName;
          if (ep.zone) topology[LABEL_ZONE] = ep.zone;
          Object.assign(topology, ep.topology);
        } else {
          topology = sharedTopology(topologies, ep.nodeName, ep.zone);
        }
        const info: ProxyEndpoint = {
          ip,
          port: port.port,
          key: ip.includes(':') ? `[${ip}]:${port.port}` : `${ip}:${port.port}`,
          isLocal: !!ep.nodeName && ep.nodeName === opts.nodeName,
          ready: c.ready === undefined || c.ready === null || c.ready === true,
          serving: c.serving === undefined || c.serving === null || c.serving === true,
          terminating: c.terminating === true,
          zoneHints: ep.hints?.forZones ? ep.hints.forZones.map((z) => z.name) : NO_HINTS,
          nodeHints: ep.hints?.forNodes ? ep.hints.forNodes.map((n) => n.name) : NO_HINTS,
          nodeName: ep.nodeName,
          zone: ep.zone,
          topology,
        };
        const prev = set.get(info.key);
        if (!prev || prefers(info, prev, opts.endpointDedupPrefers)) set.set(info.key, info);
      }
    }
  }
  const out = new Map<string, ProxyEndpoint[]>();
  for (const [key, set] of sets) {
    out.set(key, [...set.values()].sort((a, b) => cmp(a.key, b.key)));
  }
  return out;
}

/**
 * The topology map of an endpoint that only has a node and a zone: one frozen object per
 * (node, zone), since a large cluster has 100k endpoints on a few hundred nodes.
 */
function sharedTopology(cache: Map<string, Record<string, string>>, nodeName: string | undefined, zone: string | undefined): Record<string, string> {
  const key = `${nodeName ?? ''}\u0000${zone ?? ''}`;
  let t = cache.get(key);
  if (!t) {
    const fresh: Record<string, string> = {};
    if (nodeName) fresh[LABEL_HOSTNAME] = nodeName;
    if (zone) fresh[LABEL_ZONE] = zone;
    cache.set(key, (t = Object.freeze(fresh) as Record<string, string>));
  }
  return t;
}

function prefers(next: ProxyEndpoint, prev: ProxyEndpoint, rule: 'local' | 'nonTerminating'): boolean {
  return rule === 'local' ? next.isLocal : prev.terminating && !next.terminating;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
