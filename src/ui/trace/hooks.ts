// The netfilter hooks and, at each, the tables in the order the kernel calls them (by hook
// priority: raw -300, mangle -150, nat DNAT -100, filter 0, nat SNAT +100). IPVS sits at LOCAL_IN
// (INPUT) just before nat's SNAT hook, after filter; its reply hook for forwarded replies sits in
// FORWARD after filter.
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';

export type HookName = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export const HOOK_TABLES: Record<HookName, readonly string[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'ipvs', 'nat'],
  FORWARD: ['mangle', 'filter', 'ipvs'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter'],
  POSTROUTING: ['mangle', 'nat'],
};

/** `HOOK`, `HOOK/table` or `routing` for each place the packet has been up to the cursor */
export interface HookState {
  visited: Set<string>;
  current: string | null;
}

function placeOf(e: TraceEvent): string[] {
  if (e.kind === 'routing') return ['routing'];
  if (e.kind === 'ipvs') return [e.hook ?? 'INPUT', `${e.hook ?? 'INPUT'}/ipvs`];
  if (!e.hook) return [];
  return e.table ? [e.hook, `${e.hook}/${e.table}`] : [e.hook];
}

export function hookState(events: readonly TraceEvent[], cursor: number): HookState {
  const visited = new Set<string>();
  let current: string | null = null;
  const at = Math.min(cursor, events.length - 1);
  for (let i = 0; i <= at; i++) {
    const places = placeOf(events[i]!);
    for (const p of places) visited.add(p);
    if (places.length) current = places[places.length - 1]!;
  }
  return { visited, current };
}
