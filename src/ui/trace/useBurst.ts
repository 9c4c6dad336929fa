// The burst's clock: how many sampled connections have landed, advanced by animation frames.
// The count belongs to the burst it was counted for: a new burst (a new `order` array) reads 0
// from its first render, never the last burst's total; reduced motion shows the result at once.
import { useEffect, useState } from 'react';
import { burstShown } from './burst.ts';

export const BURST_MS = 1600;

function animated(): boolean {
  const reduced = typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  return !reduced && typeof requestAnimationFrame !== 'undefined';
}

export function useBurst(order: readonly number[] | undefined): number {
  const [landed, setLanded] = useState<{ of: readonly number[] | undefined; shown: number }>({ of: undefined, shown: 0 });
  useEffect(() => {
    if (!order || order.length === 0 || !animated()) return;
    let start: number | null = null;
    let id = 0;
    const tick = (now: number) => {
      start ??= now;
      const shown = burstShown(order.length, now - start, BURST_MS);
      setLanded({ of: order, shown });
      if (shown < order.length) id = requestAnimationFrame(tick);
    };
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, [order]);
  const n = order?.length ?? 0;
  if (n === 0 || !animated()) return n;
  return landed.of === order ? Math.min(landed.shown, n) : 0;
}
