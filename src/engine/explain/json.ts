// The `explain --format json` shape (CONTRACTS.md): other tools rely on these field names.
import type { Explanation } from './explain.ts';

export interface ExplainJson {
  format: Explanation['format'];
  partial: boolean;
  era: Explanation['era'];
  services: Omit<Explanation['services'][number], 'lines'>[];
  chains: Explanation['chains'];
  notes: { line: number; table: string; chain: string; rule: number; owner: string; notes: { key: string; en: string; zh: string }[] }[];
  diagnostics: { code: string; severity: string; line: number; col: number; message: string }[];
}

export function explainJson(x: Explanation): ExplainJson {
  return {
    format: x.format,
    partial: x.partial,
    era: x.era,
    services: x.services.map(({ lines: _lines, ...s }) => s),
    chains: x.chains,
    notes: x.notes.filter((n) => n.notes.length).map((n) => ({ ...n, notes: n.notes.map((m) => ({ key: m.key, en: m.en, zh: m.zh })) })),
    diagnostics: x.diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.line, col: d.col, message: d.message })),
  };
}
