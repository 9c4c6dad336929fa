// `Send 1000 packets` as a burst: the sampled connections arrive in the order the seeded draws
// made them, and the distribution fills as they land. Pure helpers; useBurst.ts drives the clock.

/** observed counts (by fate index) of the first `shown` connections */
export function burstCounts(order: readonly number[] | undefined, fates: number, shown: number): number[] {
  const out = new Array<number>(fates).fill(0);
  if (!order) return out;
  const n = Math.max(0, Math.min(shown, order.length));
  for (let i = 0; i < n; i++) {
    const f = order[i]!;
    if (f < fates) out[f]!++;
  }
  return out;
}

/** how many connections have landed `elapsed` ms into a burst of `n` lasting `duration` ms (ease-out) */
export function burstShown(n: number, elapsed: number, duration: number): number {
  if (duration <= 0 || elapsed >= duration) return n;
  if (elapsed <= 0) return 0;
  const x = elapsed / duration;
  return Math.min(n, Math.round(n * (1 - (1 - x) * (1 - x))));
}

/** the connections in flight at `shown`: the last `window` to have left, newest last, with their progress 0..1 */
export function inFlight(order: readonly number[] | undefined, shown: number, window: number): { fate: number; t: number; i: number }[] {
  if (!order || shown >= order.length) return [];
  const out: { fate: number; t: number; i: number }[] = [];
  const from = Math.max(0, shown);
  const to = Math.min(order.length, shown + window);
  // connection i leaves when i - window < shown and lands when i < shown
  for (let i = from; i < to; i++) out.push({ fate: order[i]!, t: 1 - (i - shown + 1) / (window + 1), i });
  return out;
}
