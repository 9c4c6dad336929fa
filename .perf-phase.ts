import { makeLargeCluster } from './src/engine/proxy/iptables/bench.ts';
import { syncIptables, renderRestore } from './src/engine/proxy/iptables/proxier.ts';
import { buildServicePorts } from './src/engine/proxy/serviceport.ts';
import { buildEndpointsMap } from './src/engine/proxy/endpoints.ts';
import { resolveProxierConfig } from './src/engine/proxy/config.ts';
const config = resolveProxierConfig({ nodeName: 'node-0', localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.0.0.0/8' } });
const c = makeLargeCluster(10000, 10);
const cpu = (f: () => unknown) => { const a = process.cpuUsage(); f(); const b = process.cpuUsage(a); return ((b.user + b.system) / 1000).toFixed(0); };
for (let i = 0; i < 4; i++) {
  let s: any; let text = '';
  const r = [
    cpu(() => buildServicePorts(c.services, { ipFamily: 'IPv4' })),
    cpu(() => buildEndpointsMap(c.slices, { ipFamily: 'IPv4', nodeName: 'node-0', endpointDedupPrefers: 'nonTerminating' })),
    cpu(() => (s = syncIptables(c.services, c.slices, config))),
    cpu(() => (text = renderRestore(s.tables))),
  ];
  const lines = text.split('\n');
  const floor = cpu(() => lines.join('\n'));
  console.log('sp', r[0], 'eps', r[1], 'sync(all)', r[2], 'render', r[3], 'floor', floor);
}
