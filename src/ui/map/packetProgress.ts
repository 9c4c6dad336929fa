// Where the packet dot sits on the map for the current trace step: on its way to the Service's
// virtual IP until the step that rewrites the destination (a DNAT rule, or IPVS), then on its way
// to the chosen pod, then (the reply leg) back from the pod to the client. Positions are a pure
// function of the cursor, so the animation only eases between them and nothing depends on its
// timing.
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';

export interface PacketProgress {
  leg: 'toService' | 'toPod' | 'reply';
  /** 0..1 along the leg */
  t: number;
}

function rewrites(e: TraceEvent): boolean {
  return e.kind === 'ipvs' ? e.reasonKey === 'trace.ipvs' : e.kind === 'rule' && e.matched === true && e.reasonKey === 'trace.rule.dnat';
}

export function packetProgress(events: readonly TraceEvent[], cursor: number): PacketProgress {
  if (events.length === 0) return { leg: 'toService', t: 0 };
  const at = Math.max(0, Math.min(cursor, events.length - 1));
  const replyAt = events.findIndex((e) => e.leg === 'reply');
  if (replyAt >= 0 && at >= replyAt) {
    const end = events.length - 1;
    return { leg: 'reply', t: end === replyAt ? 1 : (at - replyAt) / (end - replyAt) };
  }
  const last = (replyAt >= 0 ? replyAt : events.length) - 1;
  const turn = events.findIndex((e, i) => i <= last && rewrites(e));
  if (turn < 0) return { leg: 'toService', t: last <= 0 ? 1 : at / last };
  if (at < turn) return { leg: 'toService', t: at / turn };
  return { leg: 'toPod', t: last === turn ? 1 : (at - turn) / (last - turn) };
}

/** a point on the quadratic Bézier p0 -> p2 with control p1 */
export function quadPoint(p0: { x: number; y: number }, p1: { x: number; y: number }, p2: { x: number; y: number }, t: number): { x: number; y: number } {
  const u = 1 - t;
  return { x: u * u * p0.x + 2 * u * t * p1.x + t * t * p2.x, y: u * u * p0.y + 2 * u * t * p1.y + t * t * p2.y };
}
