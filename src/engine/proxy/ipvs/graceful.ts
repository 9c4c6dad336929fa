// kube-proxy's graceful termination of IPVS real servers across syncs
// (pkg/proxy/ipvs/graceful_termination.go): an endpoint that disappears is deleted at once when it
// has no connections or the protocol is UDP/SCTP; otherwise its weight goes to 0 and it stays until
// its connections end. An endpoint that comes back while draining is deleted and re-added (its
// connections lose their destination). Virtual servers no sync produced are removed with theirs.
import type { IpvsDataplane, RealServer, VirtualServer } from '../../ipvs/types.ts';
import { virtualServerKey } from '../../ipvs/types.ts';
import { hostPort } from '../../ipvs/addr.ts';

const rsKey = (r: RealServer) => hostPort(r.address, r.port);

/** The node's IPVS state after `next` (a fresh generateIpvs) is applied on top of `prev`. */
export function applySync(prev: IpvsDataplane | null, next: IpvsDataplane): IpvsDataplane {
  if (!prev) return next;
  const before = new Map(prev.virtualServers.map((v) => [virtualServerKey(v), v]));
  const virtualServers: VirtualServer[] = next.virtualServers.map((v) => {
    const old = before.get(virtualServerKey(v));
    if (!old) return v;
    const oldRs = new Map(old.realServers.map((r) => [rsKey(r), r]));
    const wanted = new Set(v.realServers.map(rsKey));
    const kept: RealServer[] = v.realServers.map((r) => {
      const o = oldRs.get(rsKey(r));
      // still wanted and not draining: the kernel keeps it, counters and all
      if (o && o.weight !== 0) return { ...r, activeConns: o.activeConns ?? 0, inactConns: o.inactConns ?? 0 };
      return r;
    });
    const draining = old.realServers.filter((r) => {
      if (wanted.has(rsKey(r))) return false;
      const conns = (r.activeConns ?? 0) + (r.inactConns ?? 0);
      return v.protocol === 'TCP' && conns > 0;
    });
    const all = [...kept, ...draining.map((r) => ({ ...r, weight: 0 }))].sort((a, b) => (rsKey(a) < rsKey(b) ? -1 : rsKey(a) > rsKey(b) ? 1 : 0));
    return { ...v, realServers: all };
  });
  return { ...next, virtualServers };
}

/** Connections ended: real servers at weight 0 with no connections left are deleted (the minute-by-minute retry). */
export function expireDrained(dp: IpvsDataplane): IpvsDataplane {
  return {
    ...dp,
    virtualServers: dp.virtualServers.map((v) => ({
      ...v,
      realServers: v.realServers.filter((r) => r.weight !== 0 || (r.activeConns ?? 0) + (r.inactConns ?? 0) > 0),
    })),
  };
}
