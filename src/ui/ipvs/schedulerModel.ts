// What the `Scheduler` control explains for one virtual server: the deterministic next picks of
// rr/wrr, or which input the other schedulers depend on.
import { rrSequence, wrrSequence, type SchedulerName } from '../../engine/ipvs/schedulers.ts';
import { hostPort } from '../../engine/ipvs/addr.ts';
import type { VirtualServer } from '../../engine/ipvs/types.ts';

export const SEQUENCE_LENGTH = 12;

export type SchedulerExplanation =
  | { kind: 'sequence'; picks: (string | null)[] }
  | { kind: 'depends'; key: `sched.${Exclude<SchedulerName, 'rr' | 'wrr'>}` };

/**
 * rr and wrr walk the real servers in the order the packet path (src/engine/ipvs/path.ts) hands
 * them to the scheduler, so the sequence shown is the one successive traces follow.
 */
export function explainScheduler(name: SchedulerName, vs: VirtualServer, n = SEQUENCE_LENGTH): SchedulerExplanation {
  if (name === 'rr' || name === 'wrr') {
    const dests = vs.realServers.map((r) => ({ address: r.address, port: r.port, weight: r.weight }));
    const seq = name === 'rr' ? rrSequence(dests, n) : wrrSequence(dests, n);
    return { kind: 'sequence', picks: seq.map((i) => (i === null ? null : hostPort(dests[i]!.address, dests[i]!.port))) };
  }
  return { kind: 'depends', key: `sched.${name}` };
}

/** The virtual server the packet is addressed to, else the first with real servers. */
export function focusVirtualServer(vss: readonly VirtualServer[], dst: string): VirtualServer | null {
  const withRs = vss.filter((v) => v.realServers.length > 0);
  return withRs.find((v) => hostPort(v.address, v.port) === dst) ?? withRs[0] ?? null;
}
