// IPVS state in a paste (ipvsadm -Ln, ipset list, ip addr show kube-ipvs0, IPVS-mode
// iptables-save), explained through the same explain() entry point as iptables dumps. The IPVS
// reading itself is explainIpvs (src/engine/ipvs/parse.ts); this decides when a paste is IPVS
// mode and folds the two readings together: in IPVS mode, KUBE-SVC/KUBE-SEP-style chains are
// leftovers of an earlier iptables mode and are reported as such, not as the node's Services.
import type { Diagnostic } from '../diagnostics.ts';
import { explainIpvs, type ExplainedService, type IpsetRuleNote, type IpvsExplanation } from '../ipvs/parse.ts';
import type { ParseResult } from '../netfilter/parse.ts';
import type { DumpFormat } from '../netfilter/model.ts';

export interface IpvsPart {
  services: ExplainedService[];
  /** iptables rules that consult an ipset, with the set's purpose */
  ipsetRules: IpsetRuleNote[];
  virtualServers: number;
  ipsets: string[];
  kubeIpvs0: string[] | null;
}

const IPVS_SIGNS = /^(?:.*\s)?(?:IP Virtual Server version|Prot LocalAddress:Port|Name: KUBE-|\d+: kube-ipvs0:)|--match-set KUBE-|KUBE-IPVS-FILTER|KUBE-IPVS-IPS/m;

/** Cheap test before the IPVS parser runs: most pastes are plain iptables. */
export function mayHoldIpvs(text: string, parsed: ParseResult): boolean {
  if (parsed.ruleset.otherFormatLines.some((l) => l.format === 'ipvsadm' || l.format === 'ipset')) return true;
  return IPVS_SIGNS.test(text);
}

export function isIpvsMode(x: IpvsExplanation): boolean {
  const s = x.state;
  return s.virtualServers.length > 0 || s.ipsets.some((i) => i.name.startsWith('KUBE-')) || s.kubeIpvs0 !== null || s.iptablesLines.some((l) => /KUBE-IPVS-FILTER|--match-set KUBE-/.test(l.text));
}

export interface IpvsMerge {
  part: IpvsPart;
  format: DumpFormat;
  diagnostics: Diagnostic[];
}

export function readIpvs(text: string, parsed: ParseResult): IpvsMerge | null {
  if (!mayHoldIpvs(text, parsed)) return null;
  const x = explainIpvs(text);
  if (!isIpvsMode(x)) return null;
  const state = x.state;
  const hasIptables = parsed.ruleset.tables.some((t) => t.chains.some((c) => c.rules.length > 0));
  const ipvsFormats = new Set(state.formats.map((f) => (f.startsWith('ipvsadm') ? 'ipvsadm' : f)).filter((f) => f !== 'iptables-save'));
  let format: DumpFormat;
  if (ipvsFormats.size === 0) format = parsed.format;
  else if (hasIptables || ipvsFormats.size > 1) format = 'mixed';
  else {
    const only = [...ipvsFormats][0]!;
    format = only === 'ipvsadm' || only === 'ipset' ? only : 'unknown';
  }
  return {
    part: {
      services: x.services,
      ipsetRules: x.ipsetRules,
      virtualServers: state.virtualServers.length,
      ipsets: state.ipsets.map((s) => s.name),
      kubeIpvs0: state.kubeIpvs0 ? state.kubeIpvs0.addresses : null,
    },
    format,
    diagnostics: x.diagnostics,
  };
}
