// explain(): what a pasted dump says, kube-proxy-aware. Services with their addresses, ports and
// effective endpoint shares; every rule with plain-language notes; who owns each chain; and
// diagnostics (missing chains, unreferenced chains, shadowed rules, uneven shares and why, what
// the paste cannot show). Nothing is invented: a field the text does not show is null.
import type { Diagnostic } from '../diagnostics.ts';
import { parseDump, type ParseResult } from '../netfilter/parse.ts';
import { forceRules, type DumpFormat, type Ruleset } from '../netfilter/model.ts';
import { chainOwner, type KubeChainKind, type Owner } from './owners.ts';
import { reconstructServices, type ServiceReport } from './services.ts';
import { ruleNotes, type RuleNotes } from './rule-notes.ts';
import { chainFindings, diag, TARGET_EXTENSIONS } from './findings.ts';
import { intendedFraction, percent, probabilityOf } from './rule-facts.ts';
import { renderNote } from './notes.ts';
import { readIpvs, type IpvsPart } from './ipvs.ts';

export interface ChainReport {
  table: string;
  name: string;
  owner: Owner;
  software: string;
  kind: KubeChainKind | null;
  line: number;
  rules: number;
  /** chains this chain's rules jump or go to, in rule order */
  jumpsTo: string[];
  referencedBy: number;
  /** in IPVS mode: an iptables-mode chain (KUBE-SVC-..., KUBE-SEP-...) left behind by an earlier mode */
  leftover?: true;
}

export interface Explanation {
  format: DumpFormat;
  partial: boolean;
  era: { legacy: boolean; signs: string[]; largeClusterMode: boolean };
  services: ServiceReport[];
  chains: ChainReport[];
  notes: RuleNotes[];
  diagnostics: Diagnostic[];
  ruleset: Ruleset;
  /** IPVS state in the paste (virtual servers as Services, ipset rules); null when not IPVS mode */
  ipvs: IpvsPart | null;
  /** in IPVS mode: Services read from iptables-mode chains an earlier mode left behind */
  leftoverServices: ServiceReport[];
}

export function explain(input: string | ParseResult): Explanation {
  const parsed = typeof input === 'string' ? parseDump(input) : input;
  const rs = parsed.ruleset;
  const ipvs = typeof input === 'string' ? readIpvs(input, parsed) : null;
  let services = reconstructServices(rs);
  let leftoverServices: ServiceReport[] = [];
  const chains = chainReports(rs);
  if (ipvs) {
    // IPVS mode: the iptables-mode Service chains do nothing any more
    leftoverServices = services;
    services = [];
    for (const c of chains) if (c.owner === 'kube-proxy' && c.kind && LEFTOVER_KINDS.has(c.kind)) c.leftover = true;
  }
  // a lazily parsed paste: read every rule now, with the findings about their words
  const deferred = rs.deferredDiagnostics !== undefined ? forceRules(rs) : [];
  const diagnostics: Diagnostic[] = [...parsed.diagnostics, ...deferred];
  const era = detectEra(rs, chains);

  if (rs.partial) diagnostics.push(diag('partial-dump', 'info', 0, 'diag.partial', {}));
  if (era.legacy) diagnostics.push(diag('legacy-kube-proxy', 'info', 0, 'diag.legacy', { signs: era.signs.join('; ') }));
  if (era.largeClusterMode) diagnostics.push(diag('large-cluster-mode', 'info', 0, 'diag.large-cluster', {}));
  if (!chains.some((c) => c.owner === 'kube-proxy') && rs.tables.length) diagnostics.push(diag('no-kube-proxy', 'info', 0, 'diag.no-kube-proxy', {}));
  const others = [...new Set(chains.filter((c) => !['kernel', 'kube-proxy', 'kubelet', 'unknown'].includes(c.owner)).map((c) => c.software))];
  if (others.length) diagnostics.push(diag('other-software', 'info', 0, 'diag.other-software', { list: others.join(', ') }));
  const otherFormats = new Map<string, number[]>();
  for (const l of rs.otherFormatLines) otherFormats.set(l.format, [...(otherFormats.get(l.format) ?? []), l.line]);
  for (const [format, lines] of otherFormats) if (!ipvs || (format !== 'ipvsadm' && format !== 'ipset')) diagnostics.push(diag('other-format', 'info', lines[0], 'diag.other-format', { format, lines: `${lines[0]}–${lines[lines.length - 1]}` }));
  diagnostics.push(...chainFindings(rs));
  diagnostics.push(...shareFindings(services));
  if (ipvs) diagnostics.push(...ipvs.diagnostics);

  return {
    format: ipvs ? ipvs.format : parsed.format, partial: rs.partial, era, services, chains, notes: ruleNotes(rs, ipvs ? leftoverServices : services), diagnostics, ruleset: rs,
    ipvs: ipvs ? ipvs.part : null, leftoverServices,
  };
}

const LEFTOVER_KINDS = new Set<KubeChainKind>(['service', 'endpoint', 'external', 'service-local', 'firewall', 'external-local-legacy']);

function chainReports(rs: Ruleset): ChainReport[] {
  const out: ChainReport[] = [];
  for (const t of rs.tables) {
    const refs = new Map<string, number>();
    for (const c of t.chains) for (const r of c.rules) if (r.target && !TARGET_EXTENSIONS.has(r.target.name)) refs.set(r.target.name, (refs.get(r.target.name) ?? 0) + 1);
    for (const c of t.chains) {
      const o = chainOwner(c.name);
      const jumps: string[] = [];
      for (const r of c.rules) if (r.target && !TARGET_EXTENSIONS.has(r.target.name) && !jumps.includes(r.target.name)) jumps.push(r.target.name);
      out.push({ table: t.name, name: c.name, owner: o.owner, software: o.software, kind: o.kind, line: c.line || c.rules[0]?.line || 0, rules: c.rules.length, jumpsTo: jumps, referencedBy: c.references ?? refs.get(c.name) ?? 0 });
    }
  }
  return out;
}

function detectEra(rs: Ruleset, chains: ChainReport[]): Explanation['era'] {
  const signs: string[] = [];
  if (chains.some((c) => c.kind === 'external-local-legacy')) signs.push('KUBE-XLB chains (before ~1.24)');
  if (chains.some((c) => c.name === 'KUBE-MARK-DROP' && c.owner === 'kube-proxy')) signs.push('KUBE-MARK-DROP (before ~1.25)');
  let fiveDigit = false;
  let sepRules = 0;
  let sepUncommented = 0;
  let commented = 0;
  for (const t of rs.tables) {
    for (const c of t.chains) {
      const kind = chainOwner(c.name).kind;
      for (const r of c.rules) {
        const p = probabilityOf(r);
        if (p && kind === 'service' && !intendedFraction(p.value) && /^0\.\d{5}$/.test(p.written)) fiveDigit = true;
        if (p && kind === 'service' && !intendedFraction(p.value) && Math.abs(Number(p.value.toFixed(5)) - p.value) < 1e-9 && Math.abs(1 / Math.round(1 / p.value) - p.value) < 1e-5) fiveDigit = true;
        if (kind === 'endpoint' || (kind === 'service' && chainOwner(r.target?.name ?? '').kind === 'endpoint')) {
          sepRules++;
          if (!r.matches.some((m) => m.module === 'comment')) sepUncommented++;
        }
        if (r.matches.some((m) => m.module === 'comment')) commented++;
      }
    }
  }
  if (fiveDigit) signs.push('probabilities with 5 decimals (before ~1.10)');
  const masqInServices = rs.tables.find((t) => t.name === 'nat')?.chains.find((c) => c.name === 'KUBE-SERVICES')?.rules.some((r) => r.target?.name === 'KUBE-MARK-MASQ' && r.matches.some((m) => m.opts.some((o) => o.name === 'd')));
  if (masqInServices) signs.push('ClusterIP masquerade rules in KUBE-SERVICES (before ~1.24)');
  return { legacy: signs.length > 0, signs, largeClusterMode: sepRules > 0 && sepUncommented === sepRules && commented > 0 };
}

function shareFindings(services: ServiceReport[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of services) {
    const eps = s.endpoints;
    const name = s.name ?? s.chains.svc ?? '(unnamed Service)';
    if (s.affinity) out.push(diag('session-affinity', 'info', eps[0]?.line ?? 0, 'diag.affinity', { service: name, seconds: s.affinity.timeoutSeconds ?? '?' }));
    if (eps.length < 2) continue;
    const first = eps[0].probability;
    const even = eps.every((e) => Math.abs(e.probability - first) < 1e-9);
    const ws = eps.map((e) => e.written ?? 'nothing');
    const written = ws.length > 1 ? `${ws.slice(0, -1).join(', ')} and ${ws[ws.length - 1]}` : ws[0];
    if (even) {
      out.push(diag('even-shares', 'info', eps[0].line, 'diag.even-shares', { service: name, count: eps.length, share: `1/${eps.length} (${percent(first)})`, written }));
      continue;
    }
    const addrs = eps.map((e) => e.address).filter((a): a is string => a !== null);
    const dup = addrs.find((a, i) => addrs.indexOf(a) !== i);
    const whys: [string, string][] = [];
    const t = (k: 'diag.why-5digit' | 'diag.why-duplicate' | 'diag.why-hand', p: Record<string, string> = {}) => {
      const d = diag('', 'info', 0, k, p);
      whys.push([d.message, renderZh(k, p)]);
    };
    if (eps.some((e) => e.written && /^0\.\d{5}$/.test(e.written)) || eps.some((e) => e.written && !intendedFraction(Number(e.written)) && Math.abs(1 / Math.round(1 / Number(e.written)) - Number(e.written)) < 1e-5)) t('diag.why-5digit');
    if (dup) t('diag.why-duplicate', { address: dup });
    if (!whys.length) t('diag.why-hand');
    out.push(diag('uneven-shares', 'warning', eps[0].line, 'diag.uneven-shares', { service: name, why: whys.map((w) => w[0]).join('; ') + ` (${eps.map((e) => `${(e.probability * 100).toFixed(4)}%`).join(', ')})`, whyZh: whys.map((w) => w[1]).join('；') }));
  }
  return out;
}

function renderZh(k: 'diag.why-5digit' | 'diag.why-duplicate' | 'diag.why-hand', p: Record<string, string>): string {
  return renderNote(k, p, 'zh');
}
