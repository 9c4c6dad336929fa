import { makeLargeCluster } from './src/engine/proxy/iptables/bench.ts';
import { generateIptablesRestore } from './src/engine/proxy/iptables/proxier.ts';
import { generateIptablesSave } from './src/engine/proxy/iptables/save.ts';
import { writeFileSync } from 'node:fs';
const dir = process.argv[2];
const c = makeLargeCluster(2000, 10);
const cfgs: any[] = [
  { nodeName: 'node-0', localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.0.0.0/8' } },
  { nodeName: 'node-3', masqueradeAll: true, largeClusterEndpointsThreshold: 100 },
  { nodeName: 'node-7', kubeProxyVersion: 'v1.28.0', localDetector: { mode: 'InterfaceNamePrefix', interfacePrefix: 'veth' } },
];
// tweak some services for more paths
c.services.forEach((s, i) => {
  if (i % 7 === 1) { (s.spec as any).sessionAffinity = 'ClientIP'; }
  if (i % 11 === 2) { (s.spec as any).type = 'LoadBalancer'; (s.spec as any).externalTrafficPolicy = 'Local'; (s.spec as any).healthCheckNodePort = 32000 + i % 700; (s.spec as any).ports[0].nodePort = 31000 + i % 700; (s as any).status = { loadBalancer: { ingress: [{ ip: `1.2.${i>>8&255}.${i&255}` }] } }; (s.spec as any).loadBalancerSourceRanges = ['10.0.0.0/8', '192.168.0.0/16']; }
  if (i % 13 === 3) { (s.spec as any).externalIPs = ['5.6.7.8']; (s.spec as any).internalTrafficPolicy = 'Local'; }
});
cfgs.forEach((cfg, k) => {
  writeFileSync(`${dir}/restore-${k}.txt`, generateIptablesRestore(c.services, c.slices, cfg));
  writeFileSync(`${dir}/save-${k}.txt`, generateIptablesSave(c.services, c.slices, cfg));
});
