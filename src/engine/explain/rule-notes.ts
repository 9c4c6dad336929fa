// One or more plain-language notes per rule, chosen from the rule's chain (kube-proxy's chain
// kinds, other software's chains) and its target, filled with what the rule itself says.
import type { Rule, Ruleset } from '../netfilter/model.ts';
import { optOf } from '../netfilter/model.ts';
import { chainOwner } from './owners.ts';
import { NOTES, renderNote, type NoteKey } from './notes.ts';
import type { ServiceReport } from './services.ts';
import { destIP, destPort, hasAddrtype, hasRecent, intendedFraction, percent, probabilityOf, protoOf, readComment, sourceCIDR } from './rule-facts.ts';
import { kernelProbability, formatProbability } from '../netfilter/canonical.ts';

export interface Note {
  key: NoteKey;
  params: Record<string, string | number>;
  en: string;
  zh: string;
}

interface EndpointFacts {
  share: number;
  index: number;
  count: number;
  remaining: number;
  written: string | null;
  address: string | null;
}

export interface RuleNotes {
  line: number;
  table: string;
  chain: string;
  rule: number;
  owner: string;
  notes: Note[];
}

function note(key: NoteKey, params: Record<string, string | number>): Note {
  return { key, params, en: renderNote(key, params, 'en'), zh: renderNote(key, params, 'zh') };
}

const WHERE: Record<string, [string, string]> = {
  PREROUTING: ['arriving at this node (PREROUTING)', '进入本节点（PREROUTING）'],
  OUTPUT: ['sent by this node itself (OUTPUT)', '由本节点自身发出（OUTPUT）'],
  INPUT: ['addressed to this node (INPUT)', '发往本节点（INPUT）'],
  FORWARD: ['passing through this node (FORWARD)', '经本节点转发（FORWARD）'],
};

export function ruleNotes(rs: Ruleset, services: ServiceReport[]): RuleNotes[] {
  const byLine = new Map<number, ServiceReport>();
  for (const s of services) for (const l of s.lines) byLine.set(l, s);
  const endpointOf = new Map<number, EndpointFacts>();
  for (const s of services) {
    for (const list of [s.endpoints, s.localEndpoints ?? []]) {
      list.forEach((e, i) => endpointOf.set(e.line, { share: e.probability, index: i, count: list.length, remaining: list.length - i, written: e.written, address: e.address }));
    }
  }
  const out: RuleNotes[] = [];
  for (const t of rs.tables) {
    for (const c of t.chains) {
      const owner = chainOwner(c.name);
      for (const r of c.rules) {
        const notes = notesFor(t.name, c.name, r, owner, byLine.get(r.line) ?? null, endpointOf);
        if (r.unknown.length) notes.push(note('rule.unknown', { words: r.unknown.join(' ') }));
        out.push({ line: r.line, table: t.name, chain: c.name, rule: r.index, owner: owner.software, notes });
      }
    }
  }
  return out;
}

function notesFor(table: string, chain: string, r: Rule, owner: ReturnType<typeof chainOwner>, svc: ServiceReport | null, endpointOf: Map<number, EndpointFacts>): Note[] {
  const target = r.target?.name ?? '';
  const tOwner = chainOwner(target);
  const cf = readComment(r);
  const service = cf?.service ?? svc?.name ?? '(unnamed Service)';
  const ip = destIP(r) ?? '?';
  const port = destPort(r) ?? '?';
  const proto = protoOf(r) ?? '?';
  if (owner.owner !== 'kernel' && owner.owner !== 'kube-proxy' && owner.owner !== 'kubelet') return [note('rule.other-software', { software: owner.software })];
  if (owner.owner === 'kernel') {
    if (target === 'KUBE-SERVICES' || target === 'KUBE-NODEPORTS' || target === 'KUBE-EXTERNAL-SERVICES' || target === 'KUBE-PROXY-FIREWALL' || target === 'KUBE-FORWARD' || target === 'KUBE-POSTROUTING' || target === 'KUBE-FIREWALL') {
      if (target === 'KUBE-SERVICES') {
        const [where, whereZh] = WHERE[chain] ?? [chain, chain];
        return [note('rule.portals', { where, whereZh })];
      }
      return [note('rule.jump', { chain: target })];
    }
    if (tOwner.owner !== 'kube-proxy' && tOwner.owner !== 'kernel' && tOwner.owner !== 'unknown') return [note('rule.other-software', { software: tOwner.software })];
    return generic(r);
  }
  switch (owner.kind) {
    case 'services':
      if (table === 'nat' && tOwner.hash) {
        const k = cf?.kind === 'externalip' ? 'rule.externalip' : cf?.kind === 'lbip' || tOwner.kind === 'firewall' ? 'rule.lbip' : 'rule.clusterip';
        return [note(k, { ip, port, proto, service, chain: target })];
      }
      if (target === 'KUBE-NODEPORTS') return [note('rule.nodeports-last', {})];
      if (target === 'KUBE-MARK-MASQ') return [note(sourceCIDR(r)?.negated ? 'rule.masq-not-pod' : 'rule.masq-all', { service, cidr: sourceCIDR(r)?.cidr ?? '' })];
      break;
    case 'nodeports':
      if (target === 'ACCEPT' && cf?.kind === 'healthcheck') return [note('rule.healthcheck', { port })];
      if (tOwner.hash) return [note('rule.nodeport', { port, proto, service, chain: target })];
      if (target === 'KUBE-MARK-MASQ') return [note('rule.masq-local-src', { service })];
      break;
    case 'service':
    case 'service-local':
    case 'external-local-legacy':
    case 'external': {
      if (target === 'KUBE-MARK-MASQ') {
        const src = sourceCIDR(r);
        if (owner.kind === 'external' || owner.kind === 'external-local-legacy') return [note(hasAddrtype(r, 'src-type') ? 'rule.masq-local-src' : 'rule.masq-external', { service })];
        return [note(src?.negated ? 'rule.masq-not-pod' : 'rule.masq-all', { service, cidr: src?.cidr ?? '' })];
      }
      if (tOwner.kind === 'endpoint') {
        const rc = hasRecent(r, 'rcheck');
        const ep = endpointOf.get(r.line);
        const endpoint = ep?.address ?? readComment(r)?.endpoint ?? target;
        if (rc) return [note('rule.affinity-check', { endpoint, seconds: rc.seconds ?? '?' })];
        const p = probabilityOf(r);
        const pct = ep ? percent(ep.share) : '?';
        if (!p) return [note('rule.sep-last', { endpoint, percent: pct })];
        const m = intendedFraction(p.value);
        const fraction = m ? `1/${m}` : percent(p.value);
        const notes = [note('rule.sep-share', { fraction, endpoint, percent: pct })];
        if (m) notes.push(note('rule.sep-probability-why', { remaining: m, kernel: formatProbability(kernelProbability(p.value)) }));
        return notes;
      }
      if (tOwner.kind === 'service' && sourceCIDR(r) && !sourceCIDR(r)!.negated) return [note('rule.ext-pod-shortcut', { service })];
      if (tOwner.kind === 'service' && hasAddrtype(r, 'src-type')) return [note('rule.ext-local-route', { service })];
      if (tOwner.kind === 'service') return [note(owner.kind === 'external' ? 'rule.ext-to-svc' : 'rule.jump', { service, chain: target })];
      if (tOwner.kind === 'service-local') return [note('rule.ext-to-svl', { service })];
      break;
    }
    case 'firewall': {
      const src = sourceCIDR(r);
      if (!r.target) return [note('rule.fw-end', {})];
      if (target === 'KUBE-MARK-DROP') return [note('rule.mark-drop-legacy', {})];
      if (src && !src.negated) return [note('rule.fw-allow', { cidr: src.cidr, service })];
      break;
    }
    case 'endpoint': {
      if (target === 'KUBE-MARK-MASQ') return [note('rule.masq-hairpin', { ip: sourceCIDR(r)?.cidr.replace(/\/(32|128)$/, '') ?? '?' })];
      if (target === 'DNAT') {
        const to = r.target!.opts.find((o) => o.name === 'to-destination')?.values[0] ?? '?';
        const notes = [note('rule.dnat', { target: to })];
        const set = hasRecent(r, 'set');
        if (set) notes.push(note('rule.affinity-set', { list: set.name }));
        return notes;
      }
      break;
    }
    case 'mark-masq':
    case 'mark-drop': {
      const xm = r.target?.opts[0]?.values[0] ?? '';
      if (owner.kind === 'mark-drop') return [note('rule.mark-drop-legacy', {})];
      return [note('rule.mark-masq', { mark: xm.split('/')[0] })];
    }
    case 'postrouting':
      if (target === 'RETURN') return [note('rule.postrouting-return', {})];
      if (target === 'MARK') return [note('rule.postrouting-clear', {})];
      if (target === 'MASQUERADE') return [note('rule.postrouting-masq', {})];
      break;
    case 'forward':
      if (target === 'DROP') return [note('rule.forward-invalid', {})];
      if (optOf(r, 'mark')) return [note('rule.forward-mark', {})];
      if (optOf(r, 'ctstate')) return [note('rule.forward-conntrack', {})];
      break;
    case 'firewall-localnet':
      return [note('rule.localnet', {})];
    case 'external-services':
    case 'proxy-firewall':
      break;
    default:
      break;
  }
  if (table === 'filter' && cf?.kind === 'no-endpoints') return [note('rule.reject-no-endpoints', { service })];
  if (table === 'filter' && cf?.kind === 'no-local-endpoints') return [note('rule.drop-no-local', { service })];
  if (table === 'filter' && cf?.kind === 'fw-not-accepted') return [note('rule.fw-drop', { service })];
  return generic(r);
}

function generic(r: Rule): Note[] {
  const t = r.target?.name;
  if (!t) return [];
  if (['ACCEPT', 'DROP', 'REJECT', 'RETURN'].includes(t)) return [note('rule.verdict', { target: t })];
  if (!/^[A-Z]+$/.test(t)) return [note('rule.jump', { chain: t })];
  return [];
}

export { NOTES };
