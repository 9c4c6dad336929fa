// trace in IPVS mode: what the scheduler of the virtual server the packet met does with new
// connections, for the JSON's `ipvs` field and a note. rr/wrr have fixed shares (the evaluator's
// `outcomes` already enumerate them); lc-like schedulers depend on live connection counts (a
// sample burst grows them: src/engine/ipvs/path.ts) and hash schedulers on the client, so there
// the shares are not a property of the rules.
import { ipvsPath } from '../../engine/ipvs/path.ts';
import type { IpvsDataplane } from '../../engine/ipvs/types.ts';
import type { TraceResult } from '../../engine/netfilter/index.ts';

export interface IpvsTraceSummary {
  json: {
    virtualServer: string | null;
    scheduler: string | null;
    persistent: boolean;
    /** shares: fixed by the scheduler; live-connections: lc, wlc, sed, nq; client-hash: sh, dh, mh */
    sharesDependOn: 'shares' | 'live-connections' | 'client-hash' | null;
    realServers: { address: string; port: number; weight: number; activeConns: number; inactConns: number; probability: number | null; chosen: boolean }[];
    reason: string;
  };
  note: string | null;
}

export function ipvsSummary(dp: IpvsDataplane, r: TraceResult): IpvsTraceSummary {
  const ev = r.events.find((e) => e.kind === 'ipvs');
  if (!ev) {
    return {
      json: { virtualServer: null, scheduler: null, persistent: false, sharesDependOn: null, realServers: [], reason: 'the packet did not reach IPVS (not addressed to the node, decided earlier, or not a new connection)' },
      note: null,
    };
  }
  const b = ev.packetBefore;
  const p = ipvsPath(dp, { src: b.src, sport: b.sport, dst: b.dst, dport: b.dport, proto: b.proto });
  const vs = p.virtualServer;
  const hashed = p.key === 'ipvs.choice.hash';
  const dependsOn = !vs ? null : p.unpredictable && !hashed ? 'live-connections' : hashed ? 'client-hash' : p.outcomes.length ? 'shares' : null;
  const share = new Map(p.outcomes.map((o) => [o.realServer, o.probability]));
  const realServers = (vs?.realServers ?? []).map((rs) => ({
    address: rs.address,
    port: rs.port,
    weight: rs.weight,
    activeConns: rs.activeConns ?? 0,
    inactConns: rs.inactConns ?? 0,
    probability: dependsOn === 'shares' ? share.get(rs) ?? 0 : null,
    chosen: p.choice === rs,
  }));
  const name = vs ? `${vs.protocol} ${vs.address.includes(':') ? `[${vs.address}]` : vs.address}:${vs.port}` : null;
  let note: string | null = null;
  const chosen = p.choice ? `${p.choice.address}:${p.choice.port}` : null;
  if (dependsOn === 'live-connections') {
    const counts = (vs?.realServers ?? []).map((rs) => `${rs.address.includes(':') ? `[${rs.address}]` : rs.address}:${rs.port} ${rs.activeConns ?? 0}/${rs.inactConns ?? 0}`).join(', ');
    note = `IPVS scheduler ${p.scheduler} of ${name}: which real server a new connection gets depends on the live connection counts on the node (active/inactive: ${counts}; a generated node starts at 0). Given these counts the scheduler is deterministic: this connection goes to ${chosen}, so "outcomes" shows only that choice, with probability 1. --samples N opens N connections that stay open, each scheduled on the counts the earlier ones left (ties go to the newest real server, the head of the kernel's list)`;
  }
  else if (dependsOn === 'client-hash') note = `IPVS scheduler ${p.scheduler} of ${name}: the real server is a hash of the client, so this client always lands on ${chosen}; other clients spread over the ${realServers.length} real servers`;
  return { json: { virtualServer: name, scheduler: p.scheduler, persistent: p.persistent, sharesDependOn: dependsOn, realServers, reason: p.reason }, note };
}
