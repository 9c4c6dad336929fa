// Reading the explainer's JSON (src/engine/explain, `explain --format json` in CONTRACTS.md)
// defensively: it crosses a worker boundary as plain data and may grow fields.
import type { Diagnostic } from '../../engine/diagnostics.ts';

export interface LineNote {
  line: number;
  owner?: string;
  notes: { key: string; en: string; zh: string }[];
}

export interface ExplanationView {
  notes: Map<number, LineNote>;
  diagnostics: Diagnostic[];
}

export function readExplanation(x: unknown): ExplanationView | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as { notes?: unknown; diagnostics?: unknown };
  const notes = new Map<number, LineNote>();
  if (Array.isArray(o.notes)) {
    for (const n of o.notes as LineNote[]) if (n && typeof n.line === 'number' && Array.isArray(n.notes)) notes.set(n.line, n);
  }
  const diagnostics = Array.isArray(o.diagnostics) ? (o.diagnostics as Diagnostic[]).filter((d) => d && typeof d.message === 'string') : [];
  return { notes, diagnostics };
}

/** the explainer's sentences on why the shares are what they are */
export function shareReasons(v: ExplanationView | null): string[] {
  return v ? v.diagnostics.filter((d) => /shares/.test(d.code)).map((d) => d.message) : [];
}
