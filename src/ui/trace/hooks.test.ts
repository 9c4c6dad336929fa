import { describe, expect, it } from 'vitest';
import { HOOK_TABLES, hookState } from './hooks.ts';
import { analyzeDump } from '../../worker/dump.ts';
import { SEED_DUMP } from '../../engine/scenario/dumps.ts';

describe('hookState', () => {
  const run = analyzeDump({ text: SEED_DUMP.text, packet: SEED_DUMP.packet }).run!;
  const events = run.events;

  it('follows the evaluator’s events: PREROUTING nat first, then the routing decision', () => {
    const first = events.findIndex((e) => e.hook === 'PREROUTING' && e.table === 'nat');
    expect(first).toBeGreaterThanOrEqual(0);
    const s = hookState(events, first);
    expect(s.current).toBe('PREROUTING/nat');
    expect(s.visited.has('PREROUTING')).toBe(true);
    expect(s.visited.has('routing')).toBe(false);
    const routing = events.findIndex((e) => e.kind === 'routing');
    expect(routing).toBeGreaterThan(first);
    expect(hookState(events, routing).current).toBe('routing');
  });

  it('lights only places the packet reached, each a hook and table the kernel has', () => {
    const s = hookState(events, events.length - 1);
    for (const p of s.visited) {
      if (p === 'routing') continue;
      const [hook, table] = p.split('/') as [keyof typeof HOOK_TABLES, string | undefined];
      expect(HOOK_TABLES[hook], p).toBeDefined();
      if (table) expect(HOOK_TABLES[hook]).toContain(table);
    }
    // a pod-to-ClusterIP packet forwarded to another node never enters INPUT or OUTPUT here
    const hooks = new Set(events.map((e) => e.hook).filter(Boolean));
    for (const h of ['INPUT', 'OUTPUT', 'FORWARD', 'POSTROUTING']) expect(s.visited.has(h)).toBe(hooks.has(h as never));
  });

  it('starts empty before any event', () => {
    expect(hookState([], 0)).toEqual({ visited: new Set(), current: null });
  });
});
