// The `explain --format json` shape (CONTRACTS.md): other tools rely on these field names.
import type { Explanation } from './explain.ts';
import type { ExplainedService, IpsetRuleNote } from '../ipvs/parse.ts';
import type { ServiceReport } from './services.ts';

export interface ExplainJson {
  format: Explanation['format'];
  partial: boolean;
  era: Explanation['era'];
  /** IPVS virtual servers as Services first (their real servers are the endpoints), then iptables-mode Services */
  services: (Omit<ServiceReport, 'lines'> | ExplainedService)[];
  /** IPVS mode: Services read from chains an earlier iptables mode left behind (not in use) */
  leftoverServices: Omit<ServiceReport, 'lines'>[];
  ipvs: { virtualServers: number; ipsets: string[]; kubeIpvs0: string[] | null; ipsetRules: IpsetRuleNote[] } | null;
  chains: Explanation['chains'];
  notes: { line: number; table: string; chain: string; rule: number; owner: string; notes: { key: string; en: string; zh: string }[] }[];
  diagnostics: { code: string; severity: string; line: number; col: number; message: string }[];
}

export function explainJson(x: Explanation): ExplainJson {
  return {
    format: x.format,
    partial: x.partial,
    era: x.era,
    services: [...(x.ipvs?.services ?? []), ...x.services.map(({ lines: _lines, ...s }) => s)],
    leftoverServices: x.leftoverServices.map(({ lines: _lines, ...s }) => s),
    ipvs: x.ipvs ? { virtualServers: x.ipvs.virtualServers, ipsets: x.ipvs.ipsets, kubeIpvs0: x.ipvs.kubeIpvs0, ipsetRules: x.ipvs.ipsetRules } : null,
    chains: x.chains,
    notes: x.notes.filter((n) => n.notes.length).map((n) => ({ ...n, notes: n.notes.map((m) => ({ key: m.key, en: m.en, zh: m.zh })) })),
    diagnostics: x.diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.line, col: d.col, message: d.message })),
  };
}
