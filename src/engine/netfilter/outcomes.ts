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
  /** with `{ order: true }`: each connection's fate, in arrival order, as an index into `counts` */
  order?: number[];
}

export interface SampleOptions {
  /** keep the arrival order (for animating a burst); costs one number per connection */
  order?: boolean;
}

/**
 * N new connections through the rules, each an independent first packet; -m recent state and nth
 * counters carry over as in the kernel. When nothing carries over (no -m recent rule, no nth
 * statistic), every connection's walk is a function of its random draws alone: the decision tree
 * is computed once (every leaf a full trace, with its fate and rules evaluated) and each sample
 * walks it with the same seeded draws the evaluator would make, so the counts are identical to
 * tracing each connection, only without re-walking the rules.
 */
export function sample(input: TraceInput, n: number, seed: number, opts: SampleOptions = {}): SampleResult {
  // an IPVS scheduler that counts connections sees each earlier one of the burst: no fixed tree
  const burst = input.ipvs?.burst?.();
  if (burst) return sampleByTrace({ ...input, ipvs: burst }, n, seed, opts);
  const tree = n > 1 ? decisionTree(input) : null;
  if (tree) {
    const rng = createRng(seed);
    const counts = new Map<Leaf, number>();
    const leaves: Leaf[] | null = opts.order ? [] : null;
    let rulesEvaluated = 0;
    for (let i = 0; i < n; i++) {
      let node: TreeNode = tree;
      while (node.kind === 'branch') {
        // the kernel's draw (xt_statistic): random u32 & 0x7fffffff < probability * 2^31
        const taken = Math.floor(rng.next() * 0x80000000) < node.threshold;
        const next: TreeNode | null = taken ? node.yes : node.no;
        if (!next) return sampleByTrace(input, n, seed, opts);
        node = next;
      }
      rulesEvaluated += node.rulesEvaluated;
      counts.set(node, (counts.get(node) ?? 0) + 1);
      leaves?.push(node);
    }
    const byFate = new Map<string, SampleResult['counts'][number]>();
    for (const [leaf, count] of counts) {
      const k = fateKey(leaf);
      const c = byFate.get(k);
      if (c) c.count += count;
      else byFate.set(k, { verdict: leaf.verdict, dnat: leaf.dnat, masquerade: leaf.masquerade, count });
    }
    const out: SampleResult = { n, counts: [...byFate.values()], rulesEvaluated };
    if (leaves) {
      const index = new Map([...byFate.keys()].map((k, i) => [k, i]));
      out.order = leaves.map((l) => index.get(fateKey(l))!);
    }
    return out;
  }
  return sampleByTrace(input, n, seed, opts);
}

interface Leaf {
  kind: 'leaf';
  verdict: Verdict;
  dnat: string | null;
  masquerade: boolean;
  rulesEvaluated: number;
}
interface Branch {
  kind: 'branch';
  /** round(probability * 2^31), as the kernel stores it */
  threshold: number;
  yes: TreeNode | null;
  no: TreeNode | null;
}
type TreeNode = Leaf | Branch;

const statefulRules = new WeakMap<object, boolean>();

function hasStatefulMatch(input: TraceInput): boolean {
  const rs = input.ruleset;
  const hit = statefulRules.get(rs);
  if (hit !== undefined) return hit;
  let found = false;
  for (const t of rs.tables) for (const c of t.chains) for (const r of c.rules) if (r.matches.some((m) => m.module === 'recent')) found = true;
  statefulRules.set(rs, found);
  return found;
}

/** Every path of a new connection as a tree of random decisions; null when the walk has state (recent, nth) or too many leaves. */
export function decisionTree(input: TraceInput, maxLeaves = 4096): TreeNode | null {
  if (hasStatefulMatch(input)) return null;
  let root: TreeNode | null = null;
  const stack: boolean[][] = [[]];
  let leaves = 0;
  while (stack.length) {
    if (++leaves > maxLeaves) return null;
    const prefix = stack.pop()!;
    const taken: boolean[] = [];
    const points: DecisionPoint[] = [];
    let stateful = false;
    const decide = (d: DecisionPoint): boolean => {
      if (d.kind !== 'random') stateful = true;
      const t = taken.length < prefix.length ? prefix[taken.length]! : d.probability > 0;
      taken.push(t);
      points.push(d);
      return t;
    };
    const r = trace({ ...input, detail: 'none', decide, rng: undefined, nthCounters: undefined, conntrack: undefined, shareState: false });
    if (stateful) return null;
    for (let i = points.length - 1; i >= prefix.length; i--) {
      const altP = !taken[i] ? points[i]!.probability : 1 - points[i]!.probability;
      if (altP > 0) stack.push([...taken.slice(0, i), !taken[i]]);
    }
    const leaf: Leaf = { kind: 'leaf', verdict: r.outcome.verdict, dnat: r.outcome.dnat, masquerade: r.outcome.masquerade, rulesEvaluated: r.rulesEvaluated };
    // thread the leaf into the tree along its decisions
    if (points.length === 0) {
      if (root) return null;
      root = leaf;
      continue;
    }
    let slot: { get: () => TreeNode | null; set: (n: TreeNode) => void } = { get: () => root, set: (n) => (root = n) };
    for (let i = 0; i < points.length; i++) {
      let node = slot.get();
      const threshold = Math.round(points[i]!.probability * 0x80000000);
      if (!node) {
        node = { kind: 'branch', threshold, yes: null, no: null };
        slot.set(node);
      }
      if (node.kind !== 'branch' || node.threshold !== threshold) return null;
      const b: Branch = node;
      slot = taken[i] ? { get: () => b.yes, set: (n) => (b.yes = n) } : { get: () => b.no, set: (n) => (b.no = n) };
    }
    if (slot.get()) return null;
    slot.set(leaf);
  }
  return root;
}

/** Sampling by tracing every connection (the reference the decision-tree walk must equal). */
export function sampleByTrace(input: TraceInput, n: number, seed: number, opts: SampleOptions = {}): SampleResult {
  const rng = createRng(seed);
  const counts = new Map<string, SampleResult['counts'][number]>();
  const recent = new Map<string, Map<string, { last: number; hits: number }>>();
  for (const [name, m] of input.recent ?? []) recent.set(name, new Map(m));
  const nthCounters = new Map<Rule, number>();
  let rulesEvaluated = 0;
  const each: TraceInput = { ...input, detail: 'none', rng, decide: undefined, recent, nthCounters, shareState: true, conntrack: undefined };
  const keys: string[] | null = opts.order ? [] : null;
  for (let i = 0; i < n; i++) {
    const r = trace(each);
    rulesEvaluated += r.rulesEvaluated;
    const k = fateKey(r.outcome);
    const c = counts.get(k);
    if (c) c.count++;
    else counts.set(k, { verdict: r.outcome.verdict, dnat: r.outcome.dnat, masquerade: r.outcome.masquerade, count: 1 });
    keys?.push(k);
  }
  const out: SampleResult = { n, counts: [...counts.values()], rulesEvaluated };
  if (keys) {
    const index = new Map([...counts.keys()].map((k, i) => [k, i]));
    out.order = keys.map((k) => index.get(k)!);
  }
  return out;
}
