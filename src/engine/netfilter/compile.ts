// Per-ruleset compiled form, built once and cached: chains by table, rules as checks, and for long
// chains an index by destination host. The index only lets the walker jump over rules whose `-d`
// host cannot match; those rules are still counted (and reported) as evaluated, as the kernel walks
// every one of them.
import type { Chain, Ruleset } from './model.ts';
import { compileRule, type CompiledRule } from './match.ts';

export interface CompiledChain {
  table: string;
  chain: Chain;
  rules: CompiledRule[];
  /** dst host -> ascending rule positions that need that host; plus positions any dst may match */
  byDst: Map<string, number[]> | null;
  anyDst: number[] | null;
}

export interface CompiledRuleset {
  chains: Map<string, CompiledChain>;
  /** table -> chain -> compiled chain (no key strings built on the hot path) */
  byTable: Map<string, Map<string, CompiledChain>>;
}

const INDEX_MIN_RULES = 32;
const cache = new WeakMap<Ruleset, CompiledRuleset>();

export function compileRuleset(rs: Ruleset): CompiledRuleset {
  const hit = cache.get(rs);
  if (hit) return hit;
  const chains = new Map<string, CompiledChain>();
  const byTable = new Map<string, Map<string, CompiledChain>>();
  for (const t of rs.tables) {
    for (const c of t.chains) {
      const rules = c.rules.map(compileRule);
      let byDst: Map<string, number[]> | null = null;
      let anyDst: number[] | null = null;
      if (rules.length >= INDEX_MIN_RULES) {
        byDst = new Map();
        anyDst = [];
        rules.forEach((r, i) => {
          if (r.dstHost) {
            let l = byDst!.get(r.dstHost);
            if (!l) byDst!.set(r.dstHost, (l = []));
            l.push(i);
          } else anyDst!.push(i);
        });
      }
      const cc = { table: t.name, chain: c, rules, byDst, anyDst };
      chains.set(key(t.name, c.name), cc);
      let m = byTable.get(t.name);
      if (!m) byTable.set(t.name, (m = new Map()));
      m.set(c.name, cc);
    }
  }
  const out = { chains, byTable };
  cache.set(rs, out);
  return out;
}

export function key(table: string, chain: string): string {
  return table + '\u0000' + chain;
}

/** The next rule position >= pos that could match a packet to `dst` (rules.length when none). */
export function nextCandidate(c: CompiledChain, pos: number, dst: string): number {
  if (!c.byDst) return pos;
  const a = c.byDst.get(dst);
  const b = c.anyDst!;
  return Math.min(firstAtLeast(a, pos, c.rules.length), firstAtLeast(b, pos, c.rules.length));
}

function firstAtLeast(list: number[] | undefined, pos: number, none: number): number {
  if (!list || !list.length) return none;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length ? list[lo] : none;
}
