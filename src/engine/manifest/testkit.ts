// Small builders for the manifest tests: YAML with known line numbers, findings as CLI lines.
import { formatDiagnostic } from '../diagnostics.ts';
import { parseManifests } from './parse.ts';
import type { ParseOptions } from './types.ts';

const indent = (s: string, n: number): string =>
  s
    .replace(/^\n/, '')
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');

/** A Service whose spec lines start at line 6 (line 6 + k for the k-th spec line, 0-based). */
export function serviceYaml(spec: string, name = 'web', extraMeta = ''): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${extraMeta ? indent(extraMeta, 2) + '\n' : ''}spec:\n${indent(spec, 2)}\n`;
}

/** Findings as `LINE:COL severity code message`, optionally only one severity. */
export function findings(text: string, opts?: ParseOptions, severity?: 'error' | 'warning' | 'info'): string[] {
  return parseManifests(text, opts)
    .diagnostics.filter((d) => !severity || d.severity === severity)
    .map(formatDiagnostic);
}

export const errorsOf = (text: string, opts?: ParseOptions): string[] => findings(text, opts, 'error');
