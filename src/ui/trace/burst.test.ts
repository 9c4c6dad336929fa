import { describe, expect, it } from 'vitest';
import { burstCounts, burstShown, inFlight } from './burst.ts';

describe('burst', () => {
  const order = [0, 1, 2, 0, 0, 1, 2, 2, 2, 1];
  it('counts the first connections that have landed, by fate', () => {
    expect(burstCounts(order, 3, 0)).toEqual([0, 0, 0]);
    expect(burstCounts(order, 3, 4)).toEqual([2, 1, 1]);
    expect(burstCounts(order, 3, 99)).toEqual([3, 3, 4]);
    expect(burstCounts(undefined, 2, 5)).toEqual([0, 0]);
  });
  it('lands every connection by the end, never goes backwards', () => {
    let prev = 0;
    for (let ms = 0; ms <= 2000; ms += 16) {
      const s = burstShown(1000, ms, 1600);
      expect(s).toBeGreaterThanOrEqual(prev);
      prev = s;
    }
    expect(burstShown(1000, 1600, 1600)).toBe(1000);
    expect(burstShown(1000, 0, 1600)).toBe(0);
    expect(burstShown(1000, 5, 0)).toBe(1000);
  });
  it('keeps a window of connections in flight, the next to land nearest its pod', () => {
    const f = inFlight(order, 3, 4);
    expect(f.map((x) => x.i)).toEqual([3, 4, 5, 6]);
    expect(f[0]!.t).toBeGreaterThan(f[3]!.t);
    expect(inFlight(order, 10, 4)).toEqual([]);
  });
});
