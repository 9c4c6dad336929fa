import { describe, expect, it } from 'vitest';
import { isConnScheduler, MAX_CONNS, readCount, scheduleByConns, simulateConnections } from './connections.ts';
import type { SchedDest } from './schedulers.ts';

const d = (octet: number, weight: number, activeConns = 0, inactConns = 0, overloaded = false): SchedDest => ({
  address: `10.244.0.${octet}`,
  port: 80,
  weight,
  activeConns,
  inactConns,
  ...(overloaded ? { overloaded } : {}),
});

describe('scheduleByConns: each scheduler under the kernel rule', () => {
  it('lc: least active*256 + inactive, weight ignored beyond 0', () => {
    expect(scheduleByConns('lc', [d(1, 5, 2, 0), d(2, 1, 1, 300)])).toBe(0); // 512 vs 556
    expect(scheduleByConns('lc', [d(1, 5, 2, 0), d(2, 1, 1, 200)])).toBe(1); // 512 vs 456
  });
  it('wlc: (active*256 + inactive) / weight, by cross-multiplication', () => {
    // 512/1 vs 768/2 = 384: the second
    expect(scheduleByConns('wlc', [d(1, 1, 2), d(2, 2, 3)])).toBe(1);
    // lc on the same counters ignores the weight and takes the first
    expect(scheduleByConns('lc', [d(1, 1, 2), d(2, 2, 3)])).toBe(0);
  });
  it('sed: (active + 1) / weight; inactive connections do not count', () => {
    expect(scheduleByConns('sed', [d(1, 1, 0, 900), d(2, 3, 1)])).toBe(1); // 1/1 vs 2/3
    expect(scheduleByConns('wlc', [d(1, 1, 0, 900), d(2, 3, 1)])).toBe(1); // 900 vs 256/3
    expect(scheduleByConns('wlc', [d(1, 1, 0, 50), d(2, 3, 1)])).toBe(0); // 50 vs 85.3
    expect(scheduleByConns('sed', [d(1, 1, 0, 50), d(2, 3, 1)])).toBe(1);
  });
  it('nq: the first idle real server in list order wins even against a heavier one; else as sed', () => {
    expect(scheduleByConns('nq', [d(1, 10, 1), d(2, 1, 0), d(3, 1, 0)])).toBe(1);
    expect(scheduleByConns('sed', [d(1, 10, 1), d(2, 1, 0), d(3, 1, 0)])).toBe(0); // 2/10 vs 1/1
    expect(scheduleByConns('nq', [d(1, 10, 1), d(2, 1, 1)])).toBe(0);
  });
  it('ties go to the first destination in list order (a later one must be strictly better)', () => {
    for (const s of ['lc', 'wlc', 'sed', 'nq'] as const) {
      expect(scheduleByConns(s, [d(1, 1, 3, 1), d(2, 1, 3, 1)])).toBe(0);
      expect(scheduleByConns(s, [d(2, 1, 3, 1), d(1, 1, 3, 1)])).toBe(0);
    }
    // wlc: 512/2 equals 256/1
    expect(scheduleByConns('wlc', [d(1, 2, 2), d(2, 1, 1)])).toBe(0);
    expect(scheduleByConns('wlc', [d(2, 1, 1), d(1, 2, 2)])).toBe(0);
  });
  it('weight 0 (graceful termination) and overloaded real servers are skipped, however idle', () => {
    for (const s of ['lc', 'wlc', 'sed', 'nq'] as const) {
      expect(scheduleByConns(s, [d(1, 0), d(2, 1, 50, 50)])).toBe(1);
      expect(scheduleByConns(s, [d(1, 1, 0, 0, true), d(2, 1, 50, 50)])).toBe(1);
      expect(scheduleByConns(s, [d(1, 0), d(2, 1, 0, 0, true)])).toBeNull();
    }
  });
  it('sed and nq multiply in unsigned 32 bits, as the kernel does', () => {
    // idle a (overhead 1, weight 2^16) against b (overhead 65537, weight 70000): exactly, a is far
    // better (1/65536 < 65537/70000), but 65537 * 65536 wraps to 65536 < 1 * 70000, so the kernel takes b
    const a = d(1, 65536, 0);
    const b = d(2, 70000, 65536);
    expect(scheduleByConns('sed', [a, b])).toBe(1);
    // nq would take the idle a before comparing; with a busy too, the wrap decides again
    expect(scheduleByConns('nq', [{ ...a, activeConns: 0 }, b])).toBe(0);
    expect(scheduleByConns('nq', [d(1, 65536, 1), d(2, 70000, 65536)])).toBe(1); // 2*70000 > (65537*65536 mod 2^32 = 65536)
    // wlc multiplies in 64 bits: no wrap, the lighter one stays
    expect(scheduleByConns('wlc', [d(1, 65536, 0, 1), d(2, 70000, 65536)])).toBe(0);
  });
});

describe('simulateConnections: counters grow with each new connection', () => {
  it('lc from 3/0/1 active: fills the least loaded until level, then alternates in list order', () => {
    const sim = simulateConnections('lc', [d(1, 1, 3), d(2, 1, 0), d(3, 1, 1)], 6);
    expect(sim.picks).toEqual([1, 1, 2, 1, 2, 0]);
    expect(sim.after.map((c) => c.active)).toEqual([4, 3, 3]);
  });
  it('inactive connections steer lc and wlc but not sed', () => {
    const dests = [d(1, 1, 0, 600), d(2, 1, 1, 0)];
    // lc: 600 vs 256 -> 2nd; 600 vs 512 -> 2nd; 600 vs 768 -> 1st
    expect(simulateConnections('lc', dests, 3).picks).toEqual([1, 1, 0]);
    // sed: 1 vs 2 -> 1st, then 2 vs 2 -> 1st (tie), then 3 vs 2 -> 2nd
    expect(simulateConnections('sed', dests, 3).picks).toEqual([0, 0, 1]);
  });
  it('wlc spreads in proportion to weight', () => {
    const sim = simulateConnections('wlc', [d(1, 1), d(2, 3)], 40);
    expect(sim.after.map((c) => c.active)).toEqual([10, 30]);
  });
  it('the inactive counters never change, and nothing is counted when no destination is available', () => {
    const sim = simulateConnections('nq', [d(1, 0, 2, 7), d(2, 1, 0, 5, true)], 3);
    expect(sim.picks).toEqual([null, null, null]);
    expect(sim.after).toEqual([{ active: 2, inactive: 7 }, { active: 0, inactive: 5 }]);
    const grown = simulateConnections('lc', [d(1, 1, 0, 7), d(2, 1, 0, 5)], 4);
    expect(grown.after.map((c) => c.inactive)).toEqual([7, 5]);
  });
  it('does not touch its input', () => {
    const dests = [d(1, 1, 1), d(2, 1, 2)];
    simulateConnections('lc', dests, 5);
    expect(dests.map((x) => x.activeConns)).toEqual([1, 2]);
  });
});

describe('readCount and isConnScheduler', () => {
  it('accepts whole numbers from 0 to the cap, and says why anything else is refused', () => {
    expect(readCount('12')).toEqual({ ok: true, value: 12 });
    expect(readCount(0)).toEqual({ ok: true, value: 0 });
    expect(readCount(' 7 ')).toEqual({ ok: true, value: 7 });
    expect(readCount('1.5')).toEqual({ ok: false, reason: 'notWhole' });
    expect(readCount('')).toEqual({ ok: false, reason: 'notWhole' });
    expect(readCount('abc')).toEqual({ ok: false, reason: 'notWhole' });
    expect(readCount('-1')).toEqual({ ok: false, reason: 'negative' });
    expect(readCount(MAX_CONNS + 1)).toEqual({ ok: false, reason: 'tooLarge' });
  });
  it('names the schedulers that count connections', () => {
    expect(['lc', 'wlc', 'sed', 'nq', 'rr', 'mh'].filter(isConnScheduler)).toEqual(['lc', 'wlc', 'sed', 'nq']);
  });
});
