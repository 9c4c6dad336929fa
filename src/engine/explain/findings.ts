// Diagnostics about the rules themselves: jumps to chains the dump lacks, chains nothing jumps
// to, rules that can never match because an earlier rule in the chain catches the same packets.
import type { Diagnostic } from '../diagnostics.ts';
import type { Rule, Ruleset } from '../netfilter/model.ts';
import { BUILTIN_CHAINS } from '../netfilter/model.ts';
import { renderNote, type NoteKey } from './notes.ts';

export const TARGET_EXTENSIONS = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP', 'MARK', 'CONNMARK', 'LOG', 'NFLOG', 'ULOG', 'TRACE', 'AUDIT', 'CT', 'NOTRACK', 'CHECKSUM', 'TCPMSS', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HL', 'NFQUEUE', 'QUEUE', 'TPROXY', 'TEE', 'SET', 'SECMARK', 'CONNSECMARK', 'IDLETIMER', 'LED', 'HMARK', 'SYNPROXY', 'CLUSTERIP', 'NFACCT']);
const TERMINATING = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);
/** chains left unreferenced on purpose (kube-proxy and kubelet probe whether their rules were flushed) */
const ENSURED_TARGETS = new Set(['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-FORWARD', 'KUBE-PROXY-FIREWALL', 'KUBE-FIREWALL', 'KUBE-POSTROUTING']);
const STANDALONE = new Set(['KUBE-PROXY-CANARY', 'KUBE-KUBELET-CANARY', 'KUBE-MARK-DROP', 'KUBE-MARK-MASQ']);

export function diag(code: string, severity: Diagnostic['severity'], line: number, key: NoteKey, params: Record<string, string | number>): Diagnostic {
  return { code, severity, line, col: line ? 1 : 0, message: renderNote(key, params, 'en'), key: `explain.${key}`, params };
}

export function chainFindings(rs: Ruleset): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of rs.tables) {
    const names = new Set(t.chains.map((c) => c.name));
    const referenced = new Set<string>();
    for (const c of t.chains) {
      for (const r of c.rules) {
        const target = r.target?.name;
        if (!target || TARGET_EXTENSIONS.has(target)) continue;
        referenced.add(target);
        if (!names.has(target)) {
          out.push(diag('jump-missing-chain', rs.partial ? 'info' : 'warning', r.line, 'diag.missing-chain', {
            chain: target,
            partial: rs.partial ? ' (the paste is partial, so it may just be left out)' : '',
            partialZh: rs.partial ? '（粘贴内容不完整，可能只是被省略了）' : '',
          }));
        }
      }
      out.push(...shadowed(c.name, c.rules));
    }
    // kube-proxy's restore input never holds the built-in chains: their jumps are ensured separately
    const restoreInput = !t.chains.some((c) => (BUILTIN_CHAINS[t.name] ?? []).includes(c.name));
    for (const c of t.chains) {
      if ((BUILTIN_CHAINS[t.name] ?? []).includes(c.name) || referenced.has(c.name) || STANDALONE.has(c.name)) continue;
      if (restoreInput && ENSURED_TARGETS.has(c.name)) continue;
      if (rs.partial) continue;
      out.push(diag('unreferenced-chain', 'info', c.line || c.rules[0]?.line || 0, 'diag.unreferenced-chain', { chain: c.name, table: t.name }));
    }
  }
  return out;
}

function conditions(r: Rule): string[] | null {
  const out: string[] = [];
  for (const m of r.matches) {
    if (m.module === 'comment' || m.module === 'nfacct') continue;
    // state-dependent matches make "catches the same packets" undecidable here
    if (m.module === 'statistic' || m.module === 'recent' || (m.module !== null && !['tcp', 'udp', 'sctp', 'multiport', 'conntrack', 'state', 'mark', 'addrtype', 'set', 'physdev', 'icmp'].includes(m.module))) return null;
    // as written: a subset test needs no kernel forms (and parsing every address would cost)
    for (const o of m.opts) out.push(`${m.module ?? ''}|${o.negated ? '!' : ''}${o.name}=${o.values.join(' ')}`);
  }
  if (r.unknown.length) return null;
  return out.sort();
}

/** A rule is shadowed when an earlier terminating rule's conditions are a subset of its own. */
function shadowed(chain: string, rules: Rule[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const catchers = new Map<string, Rule>();
  for (const r of rules) {
    const conds = conditions(r);
    if (conds && conds.length <= 10) {
      const n = conds.length;
      let hit: Rule | undefined;
      for (let mask = 0; mask < 1 << n && !hit; mask++) {
        const subset: string[] = [];
        for (let i = 0; i < n; i++) if (mask & (1 << i)) subset.push(conds[i]);
        hit = catchers.get(subset.join('\u0001'));
      }
      if (hit) {
        out.push(diag('shadowed-rule', 'warning', r.line, 'diag.shadowed-rule', { earlier: hit.index, line: hit.line, chain, target: hit.target?.name ?? '' }));
        continue;
      }
    }
    const t = r.target;
    if (conds && t && (TERMINATING.has(t.name) || t.goto)) {
      const k = conds.join('\u0001');
      if (!catchers.has(k)) catchers.set(k, r);
    }
  }
  return out;
}
