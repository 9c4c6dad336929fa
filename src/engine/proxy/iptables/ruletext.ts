// Rule lines for very large syncs (434k lines at 10k Services). A line built as a template
// literal is a tree of V8 cons strings that lives until the final join; half a million such
// trees got promoted to the old generation and garbage collection dominated the sync. Here
// lines are joined into text every CHUNK lines, while their trees are still young, and each
// rule handed out is a slice of that text (no copy). The chunks are kept so renderRestore
// copies the text once instead of joining the lines again.

const CHUNK = 512;

/** A growing list of rule lines that also knows their text, newline-terminated. */
export class RuleText {
  /** the rule lines, each a slice of the joined text */
  readonly lines: string[] = [];
  private readonly pending: string[] = [];
  private readonly chunks: string[] = [];

  push(line: string): void {
    this.pending.push(line);
    if (this.pending.length === CHUNK) this.seal();
  }

  /** Seals the last lines and remembers the text for renderRestore; returns the lines. */
  finish(): string[] {
    this.seal();
    known.set(this.lines, { snapshot: this.lines.slice(), chunks: this.chunks });
    return this.lines;
  }

  private seal(): void {
    const p = this.pending;
    if (p.length === 0) return;
    p.push('');
    const text = p.join('\n');
    let off = 0;
    for (let i = 0; i < p.length - 1; i++) {
      const end = off + p[i].length;
      this.lines.push(text.slice(off, end));
      off = end + 1;
    }
    p.length = 0;
    this.chunks.push(text);
  }
}

/** Text of rule arrays that came from a RuleText, checked against the array's current content. */
const known = new WeakMap<readonly string[], { snapshot: string[]; chunks: string[] }>();

/**
 * `lines` with a `\n` after each, as pieces to concatenate. Reuses the text RuleText joined when
 * the array still holds the same lines (a caller may have edited it: then it is joined afresh).
 */
export function linesText(lines: readonly string[]): string[] {
  const k = known.get(lines);
  if (k && k.snapshot.length === lines.length) {
    let same = true;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== k.snapshot[i]) {
        same = false;
        break;
      }
    }
    if (same) return k.chunks;
  }
  return lines.length === 0 ? [] : [lines.join('\n'), '\n'];
}
