// What the `Scheduler` control explains for one virtual server: the deterministic next picks of
// rr/wrr; for lc/wlc/sed/nq the connection counters the user sets, the next picks under them and
// the counters after; for the hash schedulers, which input they depend on.
import { rrSequence, wrrSequence, type SchedDest, type SchedulerName } from '../../engine/ipvs/schedulers.ts';
import { hostPort } from '../../engine/ipvs/addr.ts';
import type { VirtualServer } from '../../engine/ipvs/types.ts';
import { kernelOrder } from '../../engine/ipvs/path.ts';
import { isConnScheduler, simulateConnections, type ConnSchedulerName } from '../../engine/ipvs/connections.ts';
import { connKey, countsFor, type IpvsConns } from '../../engine/ipvs/conn-counts.ts';

export const SEQUENCE_LENGTH = 12;

export interface ConnRow {
  /** `ip:port` */
  name: string;
  /** the share-link key of its counters */
  key: string;
  weight: number;
  active: number;
  inactive: number;
  /** how many of the next picks it gets */
  picks: number;
  activeAfter: number;
  /** weight 0 (graceful termination): never picked */
  quiesced: boolean;
}

export type SchedulerExplanation =
  | { kind: 'sequence'; picks: (string | null)[] }
  | { kind: 'connections'; scheduler: ConnSchedulerName; rows: ConnRow[]; picks: (string | null)[] }
  | { kind: 'depends'; key: 'sched.sh' | 'sched.dh' | 'sched.mh' };

/**
 * Every scheduler walks the kernel's destination list (newest added first; see kernelOrder), the
 * order the packet path (src/engine/ipvs/path.ts) hands them over, so the picks shown are the
 * ones successive traces follow; rows are listed in that order because it breaks ties.
 */
export function explainScheduler(name: SchedulerName, vs: VirtualServer, n = SEQUENCE_LENGTH, conns?: IpvsConns): SchedulerExplanation {
  const list = kernelOrder(vs);
  if (name === 'rr' || name === 'wrr') {
    const dests = list.map((r) => ({ address: r.address, port: r.port, weight: r.weight }));
    const seq = name === 'rr' ? rrSequence(dests, n) : wrrSequence(dests, n);
    return { kind: 'sequence', picks: seq.map((i) => (i === null ? null : hostPort(dests[i]!.address, dests[i]!.port))) };
  }
  if (isConnScheduler(name)) {
    const dests: SchedDest[] = list.map((r) => {
      const [active, inactive] = countsFor(vs, r, conns);
      return { address: r.address, port: r.port, weight: r.weight, activeConns: active, inactConns: inactive };
    });
    const sim = simulateConnections(name, dests, n);
    const rows = list.map((r, i): ConnRow => ({
      name: hostPort(r.address, r.port),
      key: connKey(vs, r),
      weight: r.weight,
      active: dests[i]!.activeConns!,
      inactive: dests[i]!.inactConns!,
      picks: sim.picks.filter((p) => p === i).length,
      activeAfter: sim.after[i]!.active,
      quiesced: r.weight <= 0,
    }));
    return { kind: 'connections', scheduler: name, rows, picks: sim.picks.map((i) => (i === null ? null : rows[i]!.name)) };
  }
  return { kind: 'depends', key: `sched.${name}` };
}

/** The virtual server the packet is addressed to, else the first with real servers. */
export function focusVirtualServer(vss: readonly VirtualServer[], dst: string): VirtualServer | null {
  const withRs = vss.filter((v) => v.realServers.length > 0);
  return withRs.find((v) => hostPort(v.address, v.port) === dst) ?? withRs[0] ?? null;
}
