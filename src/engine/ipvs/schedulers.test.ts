import { describe, expect, it } from 'vitest';
import {
  dhBuildTable,
  hash32,
  lcSchedule,
  longRunShares,
  nqSchedule,
  rrSequence,
  schedule,
  sedSchedule,
  shBuildTable,
  shSchedule,
  SCHED_FLAG_FALLBACK,
  SCHED_FLAG_PORT,
  wlcSchedule,
  wrrInit,
  wrrSchedule,
  wrrSequence,
  wrrUpdate,
  type SchedDest,
} from './schedulers.ts';

const d = (octet: number, weight: number, activeConns = 0, inactConns = 0): SchedDest => ({
  address: `10.0.0.${octet}`,
  port: 80,
  weight,
  activeConns,
  inactConns,
});

describe('rr', () => {
  it('cycles from the list head and skips weight 0 and overloaded destinations', () => {
    const dests = [d(1, 1), d(2, 0), d(3, 5), { ...d(4, 1), overloaded: true }];
    expect(rrSequence(dests, 5)).toEqual([0, 2, 0, 2, 0]);
  });
  it('returns no destination when none is available', () => {
    expect(rrSequence([d(1, 0)], 2)).toEqual([null, null]);
  });
});

describe('wrr (gcd / max-weight stepping)', () => {
  it('weights 4, 3, 2 give the kernel interleaving A A B A B C A B C, repeated', () => {
    const seq = wrrSequence([d(1, 4), d(2, 3), d(3, 2)], 18);
    expect(seq.map((i) => 'ABC'[i!]).join('')).toBe('AABABCABC'.repeat(2));
  });
  it('divides by the gcd: weights 2 and 4 behave as 1 and 2', () => {
    const seq = wrrSequence([d(1, 2), d(2, 4)], 6);
    expect(seq).toEqual([1, 0, 1, 1, 0, 1]);
  });
  it('all weights 0: no destination; a weight change resets cw within the new max', () => {
    const zero = [d(1, 0), d(2, 0)];
    expect(wrrSchedule(zero, wrrInit(zero)).dest).toBeNull();
    const s = wrrUpdate([d(1, 1)], { cl: 0, cw: 7, mw: 7, di: 1 });
    expect(s).toEqual({ cl: -1, cw: 1, mw: 1, di: 1 });
  });
});

describe('least-connection family', () => {
  it('lc: an active connection counts as 256 inactive ones (ip_vs_dest_conn_overhead: active << 8); ties go to the earlier destination', () => {
    expect(lcSchedule([d(1, 1, 1, 0), d(2, 1, 0, 255)])).toBe(1); // 256 vs 255
    expect(lcSchedule([d(1, 1, 1, 0), d(2, 1, 0, 256)])).toBe(0); // 256 vs 256: the first keeps it
    expect(lcSchedule([d(1, 1, 1, 0), d(2, 1, 0, 1000)])).toBe(0); // not 1024 per active connection
    expect(lcSchedule([d(1, 1, 0, 2000), d(2, 1, 1, 0)])).toBe(1);
    expect(lcSchedule([d(1, 1, 0, 0), d(2, 1, 0, 0)])).toBe(0);
  });
  it('wlc: overhead divided by weight', () => {
    expect(wlcSchedule([d(1, 1, 2), d(2, 3, 4)])).toBe(1); // 512/1 vs 1024/3
    expect(wlcSchedule([d(1, 1, 1), d(2, 3, 4)])).toBe(0); // 256/1 vs 1024/3
  });
  it('sed counts (active+1)/weight and ignores inactive; nq takes an idle server first', () => {
    expect(sedSchedule([d(1, 1, 0, 500), d(2, 4, 2)])).toBe(1); // 1/1 vs 3/4
    expect(nqSchedule([d(1, 4, 1), d(2, 1, 0)])).toBe(1);
    expect(sedSchedule([d(1, 4, 1), d(2, 1, 0)])).toBe(0); // 2/4 vs 1/1
  });
});

describe('sh and dh hashing', () => {
  it('hash_32 keeps the top bits of x * GOLDEN_RATIO_32', () => {
    expect(hash32(1, 8)).toBe(0x61);
    expect(hash32(2, 32)).toBe(Math.imul(2, 0x61c88647) >>> 0);
  });
  it('sh fills buckets by weight in list order; dh deals one bucket each', () => {
    const t = shBuildTable([d(1, 2), d(2, 1)]);
    expect(Array.from(t.slice(0, 6))).toEqual([0, 0, 1, 0, 0, 1]);
    expect(Array.from(dhBuildTable([d(1, 5), d(2, 1), d(3, 1)]).slice(0, 4))).toEqual([0, 1, 2, 0]);
  });
  it('sh: same client same server; sh-port spreads ports; weight 0 fails unless sh-fallback', () => {
    const dests = [d(1, 1), d(2, 1), d(3, 1)];
    const t = shBuildTable(dests);
    const c = { address: '192.168.7.9', port: 40000 };
    const a = shSchedule(dests, t, c, 0);
    expect(shSchedule(dests, t, { ...c, port: 1 }, 0)).toBe(a);
    const ports = new Set(Array.from({ length: 64 }, (_, p) => shSchedule(dests, t, { ...c, port: 1000 + p }, SCHED_FLAG_PORT)));
    expect(ports.size).toBe(3);
    const drained = dests.map((x, i) => (i === a ? { ...x, weight: 0 } : x));
    expect(shSchedule(drained, t, c, 0)).toBeNull();
    const fb = shSchedule(drained, t, c, SCHED_FLAG_FALLBACK);
    expect(fb).not.toBeNull();
    expect(fb).not.toBe(a);
  });
});

describe('schedule() and long-run shares', () => {
  it('threads rr state through successive calls', () => {
    const dests = [d(1, 1), d(2, 1)];
    const pkt = { src: { address: '10.1.1.1', port: 1 }, dst: '10.96.0.1' };
    const r1 = schedule('rr', dests, 0, pkt);
    const r2 = schedule('rr', dests, 0, pkt, r1.state);
    expect([r1.dest, r2.dest]).toEqual([0, 1]);
  });
  it('rr shares ignore weight magnitude, wrr shares follow it, lc has none', () => {
    const dests = [d(1, 1), d(2, 3), d(3, 0)];
    expect(longRunShares('rr', dests).shares).toEqual([0.5, 0.5, 0]);
    expect(longRunShares('wrr', dests).shares).toEqual([0.25, 0.75, 0]);
    expect(longRunShares('lc', dests)).toEqual({ shares: [null, null, 0], basis: 'connection-state' });
    const mh = longRunShares('mh', [d(1, 1), d(2, 1)]).shares as number[];
    expect(mh[0]! + mh[1]!).toBeCloseTo(1, 10);
  });
});
