// What the probability cascade drawing shows, computed from the run's fates (every branch the
// evaluator enumerated) and the trace up to the cursor. Nothing here is a rule of its own: the
// probabilities are the ones written on the rules, the shares the ones the evaluator multiplied
// out, and the highlighted branch the one the traced packet's events show it took.
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';
import type { FateView } from '../../worker/dump.ts';

export type BranchState = 'pending' | 'passed' | 'taken';

export interface CascadeEndpoint {
  /** the DNAT target, or the verdict when there is none (REJECT, DROP) */
  name: string;
  masquerade: boolean;
  /** overall share of new connections */
  share: number;
}

export interface CascadeStep {
  table: string;
  chain: string;
  /** 1-based rule number in its chain */
  rule: number;
  /** as written: --probability on the rule (conditional on reaching it) */
  probability: number;
  endpoint: CascadeEndpoint;
  /** 'passed': the packet's draw did not match here and it went on down the chain */
  state: BranchState;
}

export type CascadeModel =
  | {
      kind: 'rules';
      steps: CascadeStep[];
      /** where a connection goes when no statistic rule matched: the last rule, with no statistic match */
      fallThrough: (CascadeEndpoint & { state: 'pending' | 'taken' }) | null;
    }
  | {
      /** a choice made outside the rules (an IPVS scheduler): shares only, no rule probabilities */
      kind: 'shares';
      scheduler: string | null;
      endpoints: (CascadeEndpoint & { state: 'pending' | 'taken' })[];
    };

// outcomes.ts labels a rule's decision "<table> <chain> rule <n>"; the ipvs hook labels its own
const RULE_LABEL = /^(\S+) (\S+) rule (\d+)$/;

const endpointOf = (f: FateView): CascadeEndpoint => ({ name: f.dnat ?? f.verdict, masquerade: f.masquerade, share: f.probability });

function ruleLabel(e: TraceEvent): string | null {
  return e.kind === 'rule' && e.table && e.chain && e.rule !== null ? `${e.table} ${e.chain} rule ${e.rule}` : null;
}

/** The product of the branch probabilities along a path: what one leaf contributes to its fate. */
function pathShare(path: FateView['path']): number {
  let p = 1;
  for (const d of path) p *= d.taken ? d.probability : 1 - d.probability;
  return p;
}

/**
 * The fates as a linear cascade (kube-proxy's shape: rule k matches with its probability or the
 * connection falls to rule k+1; the last endpoint takes what no rule matched), or null when they
 * do not have that shape, so the drawing never claims a structure the rules do not have.
 */
function linearCascade(fates: FateView[]): { spine: { label: string; probability: number }[]; at: Map<number, FateView>; fallThrough: FateView | null } | null {
  const spine: { label: string; probability: number }[] = [];
  for (const f of fates)
    for (const d of f.path) {
      const known = spine.find((s) => s.label === d.label);
      if (!known) spine.push({ label: d.label, probability: d.probability });
      else if (known.probability !== d.probability) return null;
    }
  const at = new Map<number, FateView>();
  let fallThrough: FateView | null = null;
  for (const f of fates) {
    const n = f.path.length;
    for (let i = 0; i < n; i++) {
      if (f.path[i]!.label !== spine[i]?.label) return null;
      if (f.path[i]!.taken !== (i === n - 1 && f.path[i]!.taken)) return null;
    }
    // one leaf per fate: its share is exactly the product along its path
    if (Math.abs(pathShare(f.path) - f.probability) > 1e-9) return null;
    const last = f.path[n - 1];
    if (last?.taken) {
      if (at.has(n - 1)) return null;
      at.set(n - 1, f);
    } else {
      if (fallThrough || n !== spine.length) return null;
      fallThrough = f;
    }
  }
  for (let i = 0; i < spine.length; i++) if (!at.has(i)) return null;
  return { spine, at, fallThrough };
}

/** The decisions the traced packet has made up to the cursor: the index on the spine and whether it matched. */
function decisionsSoFar(events: readonly TraceEvent[], cursor: number, spine: { label: string }[]): Map<number, boolean> {
  const index = new Map(spine.map((s, i) => [s.label, i]));
  const seen = new Map<number, boolean>();
  for (let i = 0; i <= Math.min(cursor, events.length - 1); i++) {
    const e = events[i]!;
    if (e.leg === 'reply' || e.matched === null) continue;
    const label = ruleLabel(e);
    const k = label === null ? undefined : index.get(label);
    if (k !== undefined) seen.set(k, e.matched);
  }
  return seen;
}

/**
 * The cascade for a run, or null when there is nothing to draw: fewer than two fates reached
 * through a random decision (one endpoint, a REJECT, an established connection).
 */
export function cascadeModel(fates: readonly FateView[], events: readonly TraceEvent[], cursor: number): CascadeModel | null {
  const decided = fates.filter((f) => f.path.length > 0);
  if (decided.length < 2) return null;
  const labels = decided.flatMap((f) => f.path.map((d) => d.label));
  const fromRules = labels.every((l) => RULE_LABEL.test(l));

  if (fromRules) {
    const c = linearCascade([...fates]);
    if (c) {
      const seen = decisionsSoFar(events, cursor, c.spine);
      const takenAt = [...seen].find(([, m]) => m)?.[0] ?? null;
      const allPassed = c.spine.every((_, i) => seen.get(i) === false);
      const steps = c.spine.map((s, i): CascadeStep => {
        const [, table, chain, rule] = RULE_LABEL.exec(s.label)!;
        const state: BranchState = takenAt === i ? 'taken' : seen.get(i) === false ? 'passed' : 'pending';
        return { table: table!, chain: chain!, rule: Number(rule), probability: s.probability, endpoint: endpointOf(c.at.get(i)!), state };
      });
      const fallThrough = c.fallThrough ? { ...endpointOf(c.fallThrough), state: allPassed ? ('taken' as const) : ('pending' as const) } : null;
      return { kind: 'rules', steps, fallThrough };
    }
  }

  // IPVS (the hook labels its decisions "<scheduler> <address>:<port>"), or rules whose branches
  // do not form a simple cascade: where connections go, without drawing a structure
  const scheduler = fromRules ? null : (labels[0]?.split(' ')[0] ?? null);
  const chosen = chosenEndpoint(events, cursor);
  return {
    kind: 'shares',
    scheduler,
    endpoints: fates.map((f) => ({ ...endpointOf(f), state: chosen !== null && f.dnat === chosen ? 'taken' : 'pending' })),
  };
}

/** The DNAT target the packet has been given by the cursor (an IPVS choice or a DNAT rule), if any. */
function chosenEndpoint(events: readonly TraceEvent[], cursor: number): string | null {
  for (let i = 0; i <= Math.min(cursor, events.length - 1); i++) {
    const e = events[i]!;
    if (e.leg === 'reply') continue;
    const target = e.params?.target;
    if ((e.kind === 'ipvs' || (e.kind === 'rule' && e.matched)) && typeof target === 'string') return target;
  }
  return null;
}
