// The burst's clock: how many sampled connections have landed, advanced by animation frames.
// A new burst (a new `order` array) starts from zero; reduced motion shows the result at once.
import { useEffect, useState } from 'react';
import { burstShown } from './burst.ts';

export const BURST_MS = 1600;

function reducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export function useBurst(order: readonly number[] | undefined): number {
  const n = order?.length ?? 0;
  const [shown, setShown] = useState(n);
  useEffect(() => {
    if (!order || order.length === 0 || reducedMotion() || typeof requestAnimationFrame === 'undefined') {
      setShown(order?.length ?? 0);
      return;
    }
    let start: number | null = null;
    let id = 0;
    const tick = (now: number) => {
      start ??= now;
      const s = burstShown(order.length, now - start, BURST_MS);
      setShown(s);
      if (s < order.length) id = requestAnimationFrame(tick);
    };
    setShown(0);
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, [order]);
  return Math.min(shown, n);
}
