// The kernel's view: parsing a 100,000-line iptables-save against merely splitting it, one packet
// through a 10,000-Service ruleset, and 100,000 sampled connections (issue 3's targets).
import { WORKLOADS } from '../engine/netfilter/bench.ts';
import { ms, table, time } from './measure.ts';

export function benchNetfilter(): string {
  const rows: (string | number)[][] = [['workload', 'target', 'median', 'min']];
  let split = 0;
  for (const w of WORKLOADS) {
    const ctx = w.setup() as never;
    const t = time(() => w.run(ctx), 5);
    if (w.name.startsWith('split')) split = t.median;
    const ratio = w.name.startsWith('parse') && split > 0 ? ` (${(t.median / split).toFixed(1)}x split)` : '';
    rows.push([w.name, w.target, ms(t.median) + ratio, ms(t.min)]);
  }
  return `## netfilter parse and evaluate\n${table(rows)}\n`;
}
