// A second new connection from the same client, a moment after the first: what ClientIP session
// affinity is for. kube-proxy's affinity is `-m recent` (--set on the chosen endpoint's chain,
// --rcheck before the random cascade), so the state the first connection left decides the second.
// Nothing else carries over between connections, so without a `recent` rule there is no story.
import { trace } from './evaluate.ts';
import type { TraceInput, TraceResult } from './trace-types.ts';

export interface SecondConnection {
  /** the second connection's source port (the first one's + 1) */
  sport: number;
  result: TraceResult;
  /** the first connection's DNAT target, to compare */
  first: string | null;
  /** both went to the same place */
  sticks: boolean;
  /** the `-m recent --rcheck` rule that sent it there, if one matched */
  byRule: { chain: string; rule: number; line: number } | null;
}

export function secondConnection(input: TraceInput, first: TraceResult, afterSeconds = 1): SecondConnection | null {
  if (first.recent.size === 0) return null;
  const v = first.outcome.verdict;
  if (v !== 'ACCEPT' && v !== 'LOCAL') return null;
  const sport = (input.packet.sport ?? 40000) + 1;
  const result = trace({
    ...input,
    packet: { ...input.packet, sport },
    recent: first.recent,
    nowSeconds: (input.nowSeconds ?? 0) + afterSeconds,
    conntrack: undefined,
    shareState: false,
    detail: 'all',
  });
  // the matched rule that consulted the recent list (kube-proxy's `-m recent --rcheck`)
  const checks = new Set<number>();
  for (const t of input.ruleset.tables)
    for (const c of t.chains)
      for (const r of c.rules) if (r.matches.some((m) => m.module === 'recent' && m.opts.some((o) => o.name === 'rcheck' || o.name === 'update'))) checks.add(r.line);
  const rcheck = result.events.find((e) => e.kind === 'rule' && e.matched && e.line !== null && checks.has(e.line)) ?? null;
  return {
    sport,
    result,
    first: first.outcome.dnat,
    sticks: result.outcome.dnat === first.outcome.dnat,
    byRule: rcheck && rcheck.chain && rcheck.rule !== null && rcheck.line !== null ? { chain: rcheck.chain, rule: rcheck.rule, line: rcheck.line } : null,
  };
}
