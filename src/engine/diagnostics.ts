// Every finding the engine reports: a stable code, a severity, a message (kubectl's wording where
// the API server would say it) and the 1-based line and column in the user's text.

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** 1-based; 0 when the finding has no place in the text */
  line: number;
  /** 1-based; 0 when unknown */
  col: number;
  /** optional i18n key and params, so the UI can show the message in the chosen language */
  key?: string;
  params?: Record<string, string | number>;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.line}:${d.col} ${d.severity} ${d.code} ${d.message}`;
}
