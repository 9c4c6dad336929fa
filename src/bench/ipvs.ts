// IPVS mode at 10,000 Services x 10 endpoints: generation time and its ratio to iptables mode,
// and one packet's cost in the evaluator in both modes.
import { generateLargeIpvs, ipvsPacketCost } from '../engine/proxy/ipvs/bench.ts';
import { makeLargeCluster } from '../engine/proxy/iptables/bench.ts';
import { generateIptablesRestore } from '../engine/proxy/iptables/proxier.ts';
import { resolveProxierConfig } from '../engine/proxy/config.ts';
import { kubeProxyNode, trace } from '../engine/netfilter/index.ts';
import { BENCH_NODE } from '../engine/netfilter/bench.ts';
import { ms, table, time } from './measure.ts';

export function benchIpvs(): string {
  const n = 10_000;
  const config = resolveProxierConfig({ kubeProxyVersion: 'v1.34.0', nodeName: 'node-0', localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.0.0.0/8' } });
  const cluster = makeLargeCluster(n, 10);
  const ipt = time(() => generateIptablesRestore(cluster.services, cluster.slices, config), 3);
  let large = generateLargeIpvs(n, 10);
  const ipv = time(() => (large = generateLargeIpvs(n, 10)), 3);
  const rows: (string | number)[][] = [
    ['10k Services x 10 endpoints', 'generate', 'ratio to iptables'],
    ['iptables mode', ms(ipt.median), '1.0x'],
    ['IPVS mode', ms(ipv.median), `${(ipv.median / ipt.median).toFixed(2)}x`],
  ];
  // one packet to the last Service's ClusterIP
  const last = n - 1;
  const ipvsCost = ipvsPacketCost(large, last);
  const ipvsT = time(() => ipvsPacketCost(large, last), 5);
  const rs = kubeProxyNode(generateIptablesRestore(cluster.services, cluster.slices, config), 'ipv4');
  const svc = cluster.services[last]!;
  const packet = { src: '10.255.0.9', sport: 40000, dst: svc.spec.clusterIP!, dport: 80, proto: 'tcp' as const };
  const iptRun = () => trace({ ruleset: rs, node: BENCH_NODE, packet, detail: 'none' });
  const iptCost = iptRun();
  const iptT = time(iptRun, 5);
  const cost: (string | number)[][] = [
    ['one packet to Service #10,000', 'rules evaluated', 'time'],
    ['iptables mode', iptCost.rulesEvaluated, ms(iptT.median)],
    ['IPVS mode', ipvsCost.rulesEvaluated, ms(ipvsT.median)],
  ];
  return `## IPVS vs iptables\n${table(rows)}\n\n${table(cost)}\n`;
}
