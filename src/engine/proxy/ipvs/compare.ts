// iptables mode and IPVS mode side by side for one scenario (issue: "Compare the modes"): the
// rules on the node, the rules a packet walks and where it may end up, and what one pod restart
// changes in each mode's dataplane.
import type { EndpointSlice, Service } from '../../k8s/types.ts';
import type { ProxierConfig } from '../config.ts';
import { resolveProxierConfig } from '../config.ts';
import type { IpvsDataplane } from '../../ipvs/types.ts';
import { virtualServerKey } from '../../ipvs/types.ts';
import { hostPort } from '../../ipvs/addr.ts';
import type { NodeModel, PacketSpec } from '../../netfilter/trace-types.ts';
import { outcomes } from '../../netfilter/outcomes.ts';
import { trace } from '../../netfilter/evaluate.ts';
import { applyRestore, emptyRuleset } from '../../netfilter/restore.ts';
import { allRules } from '../../netfilter/model.ts';
import { kubeProxyJumpsRestore } from '../../netfilter/kube-jumps.ts';
import { createRng } from '../../util/rng.ts';
import { generateIptablesRestore } from '../iptables/proxier.ts';
import { generateIpvs, type IpvsConfigExtras } from './proxier.ts';
import { ipvsHook, ipvsIpsets, ipvsNodeModel, ipvsNodeRuleset } from './node.ts';

export interface ModeSide {
  mode: 'iptables' | 'ipvs';
  /** rules kube-proxy keeps in iptables on this node (both tables, jumps included) */
  rulesOnNode: number;
  /** IPVS virtual servers + real servers (0 in iptables mode) */
  ipvsObjects: number;
  /** rules the kernel evaluates for this packet's first packet (seeded run) */
  rulesEvaluated: number;
  fates: { verdict: string; dnat: string | null; masquerade: boolean; probability: number }[];
}

export interface ModeComparison {
  iptables: ModeSide;
  ipvs: ModeSide;
}

export function compareModes(
  services: Service[],
  slices: EndpointSlice[],
  partial: Partial<ProxierConfig> & IpvsConfigExtras,
  packet: PacketSpec,
  node: NodeModel,
  seed = 1,
): ModeComparison {
  const config = resolveProxierConfig(partial);
  const family = config.ipFamily === 'IPv6' ? 'ipv6' : 'ipv4';

  const iptRestore = generateIptablesRestore(services, slices, config);
  const iptRules = applyRestore(applyRestore(emptyRuleset(family), kubeProxyJumpsRestore()).ruleset, iptRestore).ruleset;
  const iptInput = { ruleset: iptRules, packet, node };
  const iptTrace = trace({ ...iptInput, rng: createRng(seed), detail: 'none' });

  const dp = generateIpvs(services, slices, config);
  const ipvsInput = { ruleset: ipvsNodeRuleset(dp), packet, node: ipvsNodeModel(dp, node), ipsets: ipvsIpsets(dp), ipvs: ipvsHook(dp) };
  const ipvsTrace = trace({ ...ipvsInput, rng: createRng(seed), detail: 'none' });

  const fates = (o: ReturnType<typeof outcomes>) => o.fates.map((f) => ({ verdict: f.verdict, dnat: f.dnat, masquerade: f.masquerade, probability: f.probability }));
  return {
    iptables: { mode: 'iptables', rulesOnNode: allRules(iptRules).length, ipvsObjects: 0, rulesEvaluated: iptTrace.rulesEvaluated, fates: fates(outcomes(iptInput)) },
    ipvs: {
      mode: 'ipvs',
      rulesOnNode: allRules(ipvsInput.ruleset).length,
      ipvsObjects: dp.virtualServers.length + dp.virtualServers.reduce((a, v) => a + v.realServers.length, 0),
      rulesEvaluated: ipvsTrace.rulesEvaluated,
      fates: fates(outcomes(ipvsInput)),
    },
  };
}

export interface RestartDiff {
  iptables: { linesAdded: string[]; linesRemoved: string[] };
  ipvs: {
    realServersAdded: string[];
    realServersRemoved: string[];
    ipsetEntriesAdded: string[];
    ipsetEntriesRemoved: string[];
    iptablesLinesChanged: number;
  };
}

function lineDiff(a: string, b: string): { added: string[]; removed: string[] } {
  const count = (t: string) => {
    const m = new Map<string, number>();
    for (const l of t.split('\n')) if (l) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const added: string[] = [];
  const removed: string[] = [];
  for (const [l, n] of cb) for (let i = ca.get(l) ?? 0; i < n; i++) added.push(l);
  for (const [l, n] of ca) for (let i = cb.get(l) ?? 0; i < n; i++) removed.push(l);
  return { added, removed };
}

function ipvsItems(dp: IpvsDataplane) {
  const rs = new Set<string>();
  for (const v of dp.virtualServers) for (const r of v.realServers) rs.add(`${virtualServerKey(v)} -> ${hostPort(r.address, r.port)}`);
  const sets = new Set<string>();
  for (const s of dp.ipsets) for (const e of s.entries) sets.add(`${s.name} ${e}`);
  return { rs, sets };
}

/**
 * What one pod restart (its endpoint replaced: `before` -> `after` slices) changes: iptables mode
 * rewrites chains (KUBE-SEP-* names hash the endpoint), IPVS mode swaps a real server and an
 * ipset entry and leaves the iptables text alone.
 */
export function podRestartDiff(
  services: Service[],
  before: EndpointSlice[],
  after: EndpointSlice[],
  partial: Partial<ProxierConfig> & IpvsConfigExtras,
): RestartDiff {
  const config = resolveProxierConfig(partial);
  const ipt = lineDiff(generateIptablesRestore(services, before, config), generateIptablesRestore(services, after, config));
  const a = generateIpvs(services, before, config);
  const b = generateIpvs(services, after, config);
  const ia = ipvsItems(a);
  const ib = ipvsItems(b);
  const minus = (x: Set<string>, y: Set<string>) => [...x].filter((k) => !y.has(k));
  const d = lineDiff(a.iptablesRestore, b.iptablesRestore);
  return {
    iptables: { linesAdded: ipt.added, linesRemoved: ipt.removed },
    ipvs: {
      realServersAdded: minus(ib.rs, ia.rs),
      realServersRemoved: minus(ia.rs, ib.rs),
      ipsetEntriesAdded: minus(ib.sets, ia.sets),
      ipsetEntriesRemoved: minus(ia.sets, ib.sets),
      iptablesLinesChanged: d.added.length + d.removed.length,
    },
  };
}
