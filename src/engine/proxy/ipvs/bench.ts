// Benchmark helpers for IPVS mode (the lead's bench/ times them; no timing here): a large
// synthetic cluster generated in IPVS mode, and the evaluator's work for one packet, to set
// against iptables mode's linear KUBE-SERVICES walk.
import { makeLargeCluster, type LargeCluster } from '../iptables/bench.ts';
import { resolveProxierConfig, type ProxierConfig } from '../config.ts';
import type { IpvsDataplane } from '../../ipvs/types.ts';
import { trace } from '../../netfilter/evaluate.ts';
import type { TraceInput } from '../../netfilter/trace-types.ts';
import { createRng } from '../../util/rng.ts';
import { generateIpvs, type IpvsConfigExtras } from './proxier.ts';
import { ipvsHook, ipvsIpsets, ipvsNodeModel, ipvsNodeRuleset } from './node.ts';

export interface LargeIpvs {
  cluster: LargeCluster;
  dataplane: IpvsDataplane;
  stats: { virtualServers: number; realServers: number; ipsetEntries: number; restoreLines: number; kubeIpvs0Addresses: number };
}

export function generateLargeIpvs(
  nServices: number,
  endpointsPerService: number,
  config: Partial<ProxierConfig> & IpvsConfigExtras = {},
): LargeIpvs {
  const cluster = makeLargeCluster(nServices, endpointsPerService);
  const dataplane = generateIpvs(cluster.services, cluster.slices, resolveProxierConfig({ kubeProxyVersion: 'v1.34.0', nodeName: 'node-0', ...config }));
  return { cluster, dataplane, stats: ipvsStats(dataplane) };
}

export function ipvsStats(dp: IpvsDataplane): LargeIpvs['stats'] {
  return {
    virtualServers: dp.virtualServers.length,
    realServers: dp.virtualServers.reduce((a, v) => a + v.realServers.length, 0),
    ipsetEntries: dp.ipsets.reduce((a, s) => a + s.entries.length, 0),
    restoreLines: dp.iptablesRestore.split('\n').filter(Boolean).length,
    kubeIpvs0Addresses: dp.dummyInterface.addresses.length,
  };
}

/**
 * One new connection from a pod to the ClusterIP of Service `index`: the rules the evaluator walks
 * (ipset lookups are one rule each, whatever the number of Services) and where IPVS sent it.
 */
export function ipvsPacketCost(large: LargeIpvs, index: number, seed = 1): { rulesEvaluated: number; dnat: string | null } {
  const svc = large.cluster.services[index]!;
  const r = trace({
    ...preparedNode(large.dataplane),
    packet: { src: '10.255.0.9', sport: 40000, dst: svc.spec.clusterIP!, dport: svc.spec.ports![0]!.port, proto: 'tcp' },
    rng: createRng(seed),
    detail: 'none',
  });
  return { rulesEvaluated: r.rulesEvaluated, dnat: r.outcome.dnat };
}

// the node is built once per dataplane, as the UI's worker keeps it: a packet's cost is the walk
const prepared = new WeakMap<IpvsDataplane, Pick<TraceInput, 'ruleset' | 'node' | 'ipsets' | 'ipvs'>>();
function preparedNode(dp: IpvsDataplane): Pick<TraceInput, 'ruleset' | 'node' | 'ipsets' | 'ipvs'> {
  let hit = prepared.get(dp);
  if (!hit) {
    hit = { ruleset: ipvsNodeRuleset(dp), node: ipvsNodeModel(dp, { localIPs: ['192.168.0.2', '127.0.0.1'], nodeIP: '192.168.0.2' }), ipsets: ipvsIpsets(dp), ipvs: ipvsHook(dp) };
    prepared.set(dp, hit);
  }
  return hit;
}
