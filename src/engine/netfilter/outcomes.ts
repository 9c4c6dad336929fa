// Every possible fate of a new connection with its exact probability: the evaluator is re-run with
// each combination of statistic decisions (depth first, "match" before "no match", so fates come
// out in rule order), and each leaf's probability is the product of the kernel's branch
// probabilities along it. Also sampling of N connections with the seeded RNG, for side by side.
import { createRng } from '../util/rng.ts';
import type { Rule } from './model.ts';
import { trace } from './evaluate.ts';
import type { DecisionPoint, Outcome, TraceInput, Verdict } from './trace-types.ts';

export interface Fate {
  verdict: Verdict;
  dnat: string | null;
  masquerade: boolean;
  probability: number;
  /** the first leaf's full outcome, for where it was decided */
  example: Outcome;
  /** the statistic decisions on the first leaf of this fate */
  path: { label: string; probability: number; taken: boolean }[];
}

export interface OutcomesResult {
  fates: Fate[];
  /** leaves explored; when maxLeaves was hit the rest is unexplored */
  leaves: number;
  truncated: boolean;
}

export function fateKey(o: { verdict: Verdict; dnat: string | null; masquerade: boolean }): string {
  return `${o.verdict}|${o.dnat ?? ''}|${o.masquerade}`;
}

export function outcomes(input: TraceInput, maxLeaves = 4096): OutcomesResult {
  const fates = new Map<string, Fate>();
  const stack: boolean[][] = [[]];
  let leaves = 0;
  while (stack.length) {
    if (leaves >= maxLeaves) return { fates: [...fates.values()], leaves, truncated: true };
    const prefix = stack.pop()!;
    const taken: boolean[] = [];
    const points: DecisionPoint[] = [];
    const decide = (d: DecisionPoint): boolean => {
      const t = taken.length < prefix.length ? prefix[taken.length] : d.probability > 0;
      // a branch with probability 1 has no "no match" side (and 0 no "match" side)
      taken.push(t);
      points.push(d);
      return t;
    };
    const r = trace({ ...input, detail: 'none', decide, rng: undefined, nthCounters: undefined });
    leaves++;
    let p = 1;
    for (let i = 0; i < points.length; i++) p *= taken[i] ? points[i].probability : 1 - points[i].probability;
    for (let i = points.length - 1; i >= prefix.length; i--) {
      const alt = !taken[i];
      const altP = alt ? points[i].probability : 1 - points[i].probability;
      if (altP > 0) stack.push([...taken.slice(0, i), alt]);
    }
    if (p <= 0) continue;
    const o = r.outcome;
    const k = fateKey(o);
    const f = fates.get(k);
    if (f) f.probability += p;
    else fates.set(k, { verdict: o.verdict, dnat: o.dnat, masquerade: o.masquerade, probability: p, example: o, path: points.map((d, i) => ({ label: d.label ?? (d.rule ? `${d.rule.table} ${d.rule.chain} rule ${d.rule.index}` : '?'), probability: d.probability, taken: taken[i] })) });
  }
  return { fates: [...fates.values()], leaves, truncated: false };
}

export interface SampleResult {
  n: number;
  counts: { verdict: Verdict; dnat: string | null; masquerade: boolean; count: number }[];
  /** rules evaluated summed over all samples (the kernel's work) */
  rulesEvaluated: number;
}

/** N new connections through the rules, each an independent first packet; -m recent state and nth counters carry over as in the kernel. */
export function sample(input: TraceInput, n: number, seed: number): SampleResult {
  const rng = createRng(seed);
  const counts = new Map<string, SampleResult['counts'][number]>();
  const recent = new Map<string, Map<string, { last: number; hits: number }>>();
  for (const [name, m] of input.recent ?? []) recent.set(name, new Map(m));
  const nthCounters = new Map<Rule, number>();
  let rulesEvaluated = 0;
  const each: TraceInput = { ...input, detail: 'none', rng, decide: undefined, recent, nthCounters, shareState: true, conntrack: undefined };
  for (let i = 0; i < n; i++) {
    const r = trace(each);
    rulesEvaluated += r.rulesEvaluated;
    const k = fateKey(r.outcome);
    const c = counts.get(k);
    if (c) c.count++;
    else counts.set(k, { verdict: r.outcome.verdict, dnat: r.outcome.dnat, masquerade: r.outcome.masquerade, count: 1 });
  }
  return { n, counts: [...counts.values()], rulesEvaluated };
}
