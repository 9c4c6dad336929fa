// The reply leg: the server's answer to the first packet, walked through the same node's rules
// with the conntrack table the first packet left behind. Conntrack, not the rules, turns the
// reply back into what the client expects (source back to the Service address it dialled,
// destination back to the client when the request was masqueraded), so the nat table is never
// consulted: the evaluator's replayNat does the un-NAT at the kernel's hooks.
import { trace } from './evaluate.ts';
import type { ConntrackEntry, PacketSpec, TraceInput, TraceResult } from './trace-types.ts';

export interface ReplyLeg {
  /** the reply as the server sends it: the inverse of the translated tuple */
  packet: PacketSpec;
  /** where it starts: a process on this node answers from OUTPUT, anything else arrives at PREROUTING */
  from: 'node' | 'auto';
  result: TraceResult;
  /** the connection the reply belongs to */
  connection: ConntrackEntry;
}

/**
 * The reply to a traced first packet, or null when there is none to trace: the request was
 * dropped or rejected, or no connection was recorded. `forward` must be the result of
 * `trace(input)` for the same input.
 */
export function traceReply(input: TraceInput, forward: TraceResult): ReplyLeg | null {
  const v = forward.outcome.verdict;
  if (v !== 'ACCEPT' && v !== 'LOCAL') return null;
  const p = input.packet;
  const proto = (p.proto ?? 'tcp').toLowerCase();
  const src = unbracket(p.src);
  const dst = unbracket(p.dst);
  // the entry the first packet created (or refreshed): its original tuple is the request's
  const ct = [...forward.conntrack].reverse().find((c) => c.proto === proto && c.orig.src === src && c.orig.dst === dst && c.orig.dport === (p.dport ?? null));
  if (!ct) return null;
  const packet: PacketSpec = { src: ct.reply.src, sport: ct.reply.sport, dst: ct.reply.dst, dport: ct.reply.dport, proto };
  const local = new Set(input.node.localIPs.map((a) => unbracket(a.split('/')[0]!)));
  for (const i of input.node.interfaces ?? []) for (const a of i.addresses) local.add(unbracket(a.split('/')[0]!));
  const from = local.has(ct.reply.src) ? 'node' : 'auto';
  const result = trace({
    ...input,
    packet,
    from,
    conntrack: forward.conntrack,
    recent: forward.recent,
    // a reply takes no random branch; nothing to decide
    decide: undefined,
    nthCounters: undefined,
    shareState: false,
  });
  return { packet, from, result, connection: ct };
}

function unbracket(s: string): string {
  return s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
}
