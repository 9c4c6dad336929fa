// Diagnostics at the user's text: positionOf may not know a deep path, so walk up to the nearest
// known ancestor ("spec.ports[1].nodePort" -> "spec.ports[1]" -> "spec.ports" -> "spec" -> "").
import type { Diagnostic, Severity } from '../diagnostics.ts';
import type { ClusterInputObject } from './types.ts';

export type PositionOf = ClusterInputObject['positionOf'];

export function locate(positionOf: PositionOf, path: string): { line: number; col: number } {
  if (!positionOf) return { line: 0, col: 0 };
  let p = path;
  for (;;) {
    try {
      const pos = positionOf(p);
      if (pos && pos.line > 0) return pos;
    } catch {
      // unknown path: try the parent
    }
    if (p === '') return { line: 0, col: 0 };
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
}

/** The most specific of several candidate paths (positionOf falls back to a parent, whose line
 *  is never after its child's): e.g. spec.clusterIPs was filled in by defaulting from spec.clusterIP. */
export function locateBest(positionOf: PositionOf, paths: string[]): { line: number; col: number } {
  let best = { line: 0, col: 0 };
  for (const p of paths) {
    const pos = locate(positionOf, p);
    if (pos.line > best.line || (pos.line === best.line && pos.col > best.col)) best = pos;
  }
  return best;
}

export function diag(
  code: string,
  severity: Severity,
  message: string,
  positionOf: PositionOf,
  path: string,
  params?: Record<string, string | number>,
  key: string = code,
): Diagnostic {
  const { line, col } = path === 'spec.clusterIPs' ? locateBest(positionOf, ['spec.clusterIPs', 'spec.clusterIP']) : locate(positionOf, path);
  return { code, severity, message, line, col, key, ...(params ? { params } : {}) };
}
