// Label selectors and a namespace+label index over pods, so each Service finds its pods without
// scanning every pod (10,000 Services x N pods would be quadratic).
import type { LabelSelector } from '../k8s/types.ts';

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

export class LabelIndex<T> {
  private readonly byNs = new Map<string, T[]>();
  private readonly byPair = new Map<string, T[]>();

  constructor(
    items: T[],
    ns: (t: T) => string,
    private readonly labels: (t: T) => Record<string, string> | undefined,
  ) {
    for (const it of items) {
      const n = ns(it);
      let list = this.byNs.get(n);
      if (!list) this.byNs.set(n, (list = []));
      list.push(it);
      const l = labels(it) ?? {};
      for (const k in l) {
        const key = `${n}\u0000${k}\u0000${l[k]}`;
        let pl = this.byPair.get(key);
        if (!pl) this.byPair.set(key, (pl = []));
        pl.push(it);
      }
    }
  }

  /** items of the namespace whose labels contain every pair of `selector` (empty = all), in input order */
  select(namespace: string, selector: Record<string, string>): T[] {
    const keys = Object.keys(selector);
    if (keys.length === 0) return this.byNs.get(namespace) ?? [];
    let best: T[] | undefined;
    for (const k of keys) {
      const pl = this.byPair.get(`${namespace}\u0000${k}\u0000${selector[k]}`);
      if (!pl) return [];
      if (!best || pl.length < best.length) best = pl;
    }
    return (best ?? []).filter((t) => matchesMap(selector, this.labels(t)));
  }

  inNamespace(namespace: string): T[] {
    return this.byNs.get(namespace) ?? [];
  }
}
