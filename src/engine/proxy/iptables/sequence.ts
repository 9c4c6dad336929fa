// kube-proxy across several syncs (MinimizeIPTablesRestore): the first sync is full, later ones
// rewrite per-service chains only for Services whose ports or endpoints changed, and every sync
// deletes chains that are no longer used. A full sync can be forced (kube-proxy does one after a
// failed restore, on topology changes and periodically).

import type { EndpointSlice, Service } from '../../k8s/types.ts';
import type { ProxierConfig } from '../config.ts';
import { resolveProxierConfig } from '../config.ts';
import { buildServicePorts } from '../serviceport.ts';
import { buildEndpointsMap } from '../endpoints.ts';
import { nextNatChains, renderRestore, syncIptables, type IptablesSync } from './proxier.ts';

/**
 * What kube-proxy's change trackers compare, per Service (`namespace/name`): its processed
 * service ports and the endpoint lists of those ports. Object fields kube-proxy ignores
 * (labels, unrelated annotations) do not count as changes.
 */
export function serviceFingerprints(services: Service[], slices: EndpointSlice[], partial: Partial<ProxierConfig>): Map<string, string> {
  const config = resolveProxierConfig(partial);
  const ports = buildServicePorts(services, { ipFamily: config.ipFamily, kubeProxyVersion: config.kubeProxyVersion, featureGates: config.featureGates });
  const eps = buildEndpointsMap(slices, { ipFamily: config.ipFamily, nodeName: config.nodeName, endpointDedupPrefers: config.endpointDedupPrefers });
  const parts = new Map<string, string[]>();
  const add = (svc: string, text: string) => {
    let list = parts.get(svc);
    if (!list) parts.set(svc, (list = []));
    list.push(text);
  };
  for (const sp of ports) {
    const { serviceIndex: _i, portIndex: _p, ...rest } = sp;
    add(`${sp.namespace}/${sp.serviceName}`, 'port ' + JSON.stringify(rest));
  }
  for (const [key, list] of eps) {
    // key: ns/name[:port]/PROTO
    const slash = key.indexOf('/');
    const rest = key.slice(slash + 1);
    const end = rest.search(/[:/]/);
    add(`${key.slice(0, slash)}/${rest.slice(0, end)}`, `eps ${key} ` + JSON.stringify(list));
  }
  return new Map([...parts].map(([k, v]) => [k, v.sort().join('\n')]));
}

export function changedServices(before: Map<string, string>, after: Map<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of after) if (before.get(k) !== v) out.add(k);
  for (const k of before.keys()) if (!after.has(k)) out.add(k);
  return out;
}

export interface SequenceSync {
  sync: IptablesSync;
  restore: string;
  /** false for a full sync */
  partial: boolean;
  /** Services whose chains this sync rewrote (partial syncs only) */
  changed: Set<string>;
}

/** One node's kube-proxy, remembering what it wrote to the nat table. */
export class IptablesProxier {
  private existing = new Set<string>();
  private fingerprints = new Map<string, string>();
  private needFullSync = true;
  private readonly config: Partial<ProxierConfig>;

  constructor(config: Partial<ProxierConfig>) {
    this.config = config;
  }

  /** The next sync; `forceFull` models a retry after a failed restore or a periodic resync. */
  sync(services: Service[], slices: EndpointSlice[], opts: { forceFull?: boolean } = {}): SequenceSync {
    const fps = serviceFingerprints(services, slices, this.config);
    const partial = !this.needFullSync && !opts.forceFull;
    const changed = partial ? changedServices(this.fingerprints, fps) : new Set<string>();
    const sync = syncIptables(services, slices, this.config, {
      existingNatChains: this.existing,
      changedServices: partial ? changed : null,
    });
    this.existing = nextNatChains(this.existing, sync);
    this.fingerprints = fps;
    this.needFullSync = false;
    return { sync, restore: renderRestore(sync.tables), partial, changed };
  }

  /** Chains now in the node's nat table (kube-proxy's view of them). */
  natChains(): ReadonlySet<string> {
    return this.existing;
  }
}
