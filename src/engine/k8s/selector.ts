// metav1.LabelSelector matching, shared by validation (does the selector match the template?)
// and the controllers (which pods does it select?).
import type { LabelSelector } from './types.ts';

export function matchesMap(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const k in selector) {
    if (!labels || labels[k] !== selector[k]) return false;
  }
  return true;
}

/** metav1.LabelSelector semantics: matchLabels AND every matchExpression; an empty selector
 *  matches everything (callers reject it where the API does). */
export function matchesSelector(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  if (sel.matchLabels && !matchesMap(sel.matchLabels, labels)) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, e.key);
    const v = has ? labels?.[e.key] : undefined;
    switch (e.operator) {
      case 'In':
        if (!has || !(e.values ?? []).includes(v as string)) return false;
        break;
      case 'NotIn':
        if (has && (e.values ?? []).includes(v as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
