// Small timing helpers for `npm run bench` (never used by tests: speed is measured here only).
import { performance } from 'node:perf_hooks';

export interface Timing {
  median: number;
  min: number;
  runs: number;
}

/** Runs fn `runs` times after one warm-up and reports milliseconds. */
export function time(fn: () => unknown, runs = 5): Timing {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)]!, min: t[0]!, runs };
}

export const ms = (x: number) => `${x.toFixed(x < 10 ? 3 : 1)} ms`;

export function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i]!)).join('  ')).join('\n');
}
