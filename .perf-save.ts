import { makeLargeCluster } from './src/engine/proxy/iptables/bench.ts';
import { syncIptables } from './src/engine/proxy/iptables/proxier.ts';
import { renderSave } from './src/engine/proxy/iptables/save.ts';
const config = { nodeName: 'node-0', localDetector: { mode: 'ClusterCIDR' as const, clusterCIDR: '10.0.0.0/8' } };
for (const n of [10000]) {
  const c = makeLargeCluster(n, 10);
  const s = syncIptables(c.services, c.slices, config);
  const a = process.cpuUsage(); const t = performance.now();
  const out = renderSave(s, 'IPv4');
  const b = process.cpuUsage(a);
  console.log(n, (performance.now() - t).toFixed(0), 'ms wall', ((b.user + b.system) / 1000).toFixed(0), 'ms cpu', out.length);
}
