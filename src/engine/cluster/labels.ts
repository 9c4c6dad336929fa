// Label selectors and a namespace+label index over pods, so each Service finds its pods without
// scanning every pod (10,000 Services x N pods would be quadratic).

import { matchesMap, matchesSelector } from '../k8s/selector.ts';

export { matchesMap, matchesSelector };

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
