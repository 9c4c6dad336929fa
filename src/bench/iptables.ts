// iptables-mode generation: time at 1k/10k/50k Services x 10 endpoints, its ratio to a floor that
// only joins the same number of pre-built lines, and the heap kept by a 10k result.
import { makeLargeCluster } from '../engine/proxy/iptables/bench.ts';
import { generateIptablesRestore, syncIptables } from '../engine/proxy/iptables/proxier.ts';
import { renderSave } from '../engine/proxy/iptables/save.ts';
import { resolveProxierConfig } from '../engine/proxy/config.ts';
import { ms, table, time } from './measure.ts';

export function benchIptables(): string {
  const config = resolveProxierConfig({ nodeName: 'node-0', localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.0.0.0/8' } });
  const rows: (string | number)[][] = [['services', 'rules (lines)', 'generate', 'floor (join)', 'ratio', 'per service']];
  for (const n of [1_000, 10_000, 50_000]) {
    const c = makeLargeCluster(n, 10);
    const out = generateIptablesRestore(c.services, c.slices, config);
    const lines = out.split('\n');
    // the floor: the same number of lines, already built, joined once
    const prebuilt = lines.map((l) => l.slice(0));
    const g = time(() => generateIptablesRestore(c.services, c.slices, config), n >= 50_000 ? 3 : 5);
    const f = time(() => prebuilt.join('\n'), 5);
    rows.push([n, lines.length, ms(g.median), ms(f.median), (g.median / Math.max(f.median, 1e-6)).toFixed(1) + 'x', `${((g.median * 1000) / n).toFixed(1)} µs`]);
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  let heap = 'run with --expose-gc for heap figures';
  if (gc) {
    const c = makeLargeCluster(10_000, 10);
    gc();
    const before = process.memoryUsage().heapUsed;
    const out = generateIptablesRestore(c.services, c.slices, config);
    const peakish = process.memoryUsage().heapUsed;
    gc();
    const kept = process.memoryUsage().heapUsed;
    heap = `heap at 10k: +${((peakish - before) / 2 ** 20).toFixed(0)} MiB before GC, +${((kept - before) / 2 ** 20).toFixed(0)} MiB kept (output ${(out.length / 2 ** 20).toFixed(0)} MiB of text)`;
  }
  // renderSave: the restore text re-read and printed by the netfilter layer (iptables-save view)
  const saveRows: (string | number)[][] = [['services', 'save (lines)', 'renderSave', 'per service']];
  for (const n of [1_000, 10_000]) {
    const c = makeLargeCluster(n, 10);
    const sync = syncIptables(c.services, c.slices, config);
    const lines = renderSave(sync, 'IPv4').split('\n').length;
    const t = time(() => renderSave(sync, 'IPv4'), n >= 10_000 ? 1 : 3);
    saveRows.push([n, lines, ms(t.median), `${((t.median * 1000) / n).toFixed(1)} µs`]);
  }
  return `## iptables generation (10 endpoints per Service)\n${table(rows)}\n${heap}\n\n## iptables-save rendering of one sync\n${table(saveRows)}\n`;
}
