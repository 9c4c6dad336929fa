// Splits rule text into lines and gives each a kind for colouring. Linear, no regex backtracking:
// a 10,000-Service ruleset is ~100,000 lines.
export type LineKind = 'comment' | 'table' | 'chain' | 'rule' | 'commit' | 'other';

export interface RuleLine {
  n: number;
  text: string;
  kind: LineKind;
  /** for rules: the chain the rule is appended to, and its jump target */
  chain?: string;
  target?: string;
}

export function classify(text: string, n: number): RuleLine {
  const c = text.charCodeAt(0);
  if (c === 35 /* # */) return { n, text, kind: 'comment' };
  if (c === 42 /* * */) return { n, text, kind: 'table' };
  if (c === 58 /* : */) return { n, text, kind: 'chain', chain: text.slice(1, text.indexOf(' ') > 0 ? text.indexOf(' ') : undefined) };
  if (text === 'COMMIT') return { n, text, kind: 'commit' };
  if (text.startsWith('-A ') || text.startsWith('-I ')) {
    const sp = text.indexOf(' ', 3);
    const chain = text.slice(3, sp > 0 ? sp : undefined);
    const j = text.lastIndexOf(' -j ');
    const g = text.lastIndexOf(' -g ');
    const at = Math.max(j, g);
    let target: string | undefined;
    if (at > 0) {
      const end = text.indexOf(' ', at + 4);
      target = text.slice(at + 4, end > 0 ? end : undefined);
    }
    return target === undefined ? { n, text, kind: 'rule', chain } : { n, text, kind: 'rule', chain, target };
  }
  return { n, text, kind: 'other' };
}

export function splitRuleText(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * What changed between two versions of the same node's rules, line by line as a multiset (rule
 * order within a chain matters less to a reader than which rules came and went): the 1-based
 * numbers of lines in `next` that `prev` did not have, and how many of `prev`'s lines are gone.
 */
export function changedLines(prev: readonly string[], next: readonly string[]): { added: Set<number>; removed: number } {
  const pool = new Map<string, number>();
  for (const l of prev) pool.set(l, (pool.get(l) ?? 0) + 1);
  const added = new Set<number>();
  next.forEach((l, i) => {
    const c = pool.get(l) ?? 0;
    if (c > 0) pool.set(l, c - 1);
    else added.add(i + 1);
  });
  let removed = 0;
  for (const c of pool.values()) removed += c;
  return { added, removed };
}
