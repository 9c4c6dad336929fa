// Engine diagnostics (1-based line:col) to CodeMirror ranges. Positions past the end of the text
// (the text changed since the engine answered) are clamped, never thrown on.
import type { Diagnostic } from '../../engine/diagnostics.ts';

export interface DocLike {
  lines: number;
  length: number;
  line(n: number): { from: number; to: number };
}

export interface LintRange {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  source: string;
}

export function toLintRanges(doc: DocLike, diags: Diagnostic[]): LintRange[] {
  return diags.map((d) => {
    if (d.line < 1) return { from: 0, to: Math.min(doc.length, doc.line(1).to), severity: d.severity, message: d.message, source: d.code };
    const ln = doc.line(Math.min(d.line, doc.lines));
    const from = d.col >= 1 ? Math.min(ln.from + d.col - 1, ln.to) : ln.from;
    const to = from < ln.to ? ln.to : Math.min(from + 1, doc.length);
    return { from, to, severity: d.severity, message: d.message, source: d.code };
  });
}
