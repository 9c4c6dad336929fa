// What the map marks at the current step, read from the trace: where the destination was
// rewritten (DNAT or IPVS), where the source was masqueraded, and whether the packet is on its
// reply leg. Pure, so the story the map tells is tested against real traces.
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';
import { joinHostPort } from '../../engine/util/hostport.ts';

export interface MapMarks {
  /** the destination after the rewrite, once the cursor has reached it */
  dnat: string | null;
  /** the new source, once the cursor has reached the MASQUERADE/SNAT (request leg only) */
  masq: string | null;
  reply: boolean;
}

const hp = joinHostPort;

export function mapMarks(events: readonly TraceEvent[], cursor: number): MapMarks {
  const at = Math.max(0, Math.min(cursor, events.length - 1));
  let dnat: string | null = null;
  let masq: string | null = null;
  let reply = false;
  for (let i = 0; i <= at && i < events.length; i++) {
    const e = events[i]!;
    if (e.leg === 'reply') {
      reply = true;
      continue;
    }
    if ((e.kind === 'rule' && e.matched && e.reasonKey === 'trace.rule.dnat') || (e.kind === 'ipvs' && e.reasonKey === 'trace.ipvs')) dnat = hp(e.packetAfter.dst, e.packetAfter.dport);
    if (e.kind === 'rule' && e.matched && (e.reasonKey === 'trace.rule.masquerade' || e.reasonKey === 'trace.rule.snat')) masq = e.packetAfter.src;
  }
  return { dnat, masq: reply ? null : masq, reply };
}
