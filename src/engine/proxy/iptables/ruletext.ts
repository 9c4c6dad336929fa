// Rule lines for very large syncs (434k lines at 10k Services). A line built as a template
// literal is a tree of V8 cons strings that lives until the final join; half a million such
// trees got promoted to the old generation and garbage collection dominated the sync. Here
// lines are joined into text every CHUNK lines, while their trees are still young, and the
// table's `rules` array is only cut from that text when someone reads it: renderRestore
// copies the chunks once instead of joining half a million lines.

import type { RestoreTable } from './proxier.ts';

// ~150 KB of text per chunk: large enough to be allocated outside the young generation (never
// copied by a scavenge), small enough that the cons trees of its lines die young
const CHUNK = 2048;

/** A growing list of rule lines, kept as newline-terminated text. */
export class RuleText {
  private readonly pending: string[] = [];
  private readonly chunks: string[] = [];
  private readonly lengths: number[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(line: string): void {
    this.pending.push(line);
    this.lengths.push(line.length);
    this.count++;
    if (this.pending.length === CHUNK) this.seal();
  }

  /** The text: every line followed by `\n`, as pieces to concatenate. */
  pieces(): string[] {
    this.seal();
    return this.chunks;
  }

  /** The lines, each cut from the text. */
  lines(): string[] {
    this.seal();
    const out: string[] = new Array(this.count);
    let n = 0;
    for (const chunk of this.chunks) {
      let off = 0;
      while (off < chunk.length) {
        const end = off + this.lengths[n];
        out[n++] = chunk.slice(off, end);
        off = end + 1;
      }
    }
    return out;
  }

  private seal(): void {
    const p = this.pending;
    if (p.length === 0) return;
    p.push('');
    this.chunks.push(p.join('\n'));
    p.length = 0;
  }
}

interface Backing {
  text: RuleText;
  /** `rules` as last cut from the text (null: never read), to spot later edits */
  cut: string[] | null;
  snapshot: string[] | null;
  /** an array the caller put in place of the rules */
  assigned: string[] | null;
}

const backing = new WeakMap<RestoreTable, Backing>();

/**
 * A restore table whose `rules` come from `text`. `rules` is an ordinary enumerable property to
 * readers (a getter that cuts the lines on first read) and may be reassigned.
 */
export function restoreTable(name: RestoreTable['name'], chains: string[], text: RuleText, deleted: string[]): RestoreTable {
  const b: Backing = { text, cut: null, snapshot: null, assigned: null };
  const t: RestoreTable = {
    name,
    chains,
    get rules(): string[] {
      if (b.assigned) return b.assigned;
      if (!b.cut) {
        b.cut = text.lines();
        b.snapshot = b.cut.slice();
      }
      return b.cut;
    },
    set rules(v: string[]) {
      b.assigned = v;
    },
    deleted,
  };
  backing.set(t, b);
  return t;
}

/** The rule lines of `t` with a `\n` after each, as pieces to concatenate. */
export function rulesText(t: RestoreTable): string[] {
  const b = backing.get(t);
  if (b && !b.assigned) {
    if (!b.cut) return b.text.pieces();
    const rules = t.rules;
    // the cut array may have been edited in place since: then only a fresh join is right
    if (rules === b.cut && sameLines(rules, b.snapshot!)) return b.text.pieces();
  }
  const rules = t.rules;
  return rules.length === 0 ? [] : [rules.join('\n'), '\n'];
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
