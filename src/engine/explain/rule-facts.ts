// Small readers of one rule's facts (destination, port, protocol, probability, comment) and of
// kube-proxy's comment vocabulary, shared by the service reconstruction and the notes.
import type { Rule } from '../netfilter/model.ts';
import { commentOf, optOf } from '../netfilter/model.ts';
import { kernelProbability } from '../netfilter/canonical.ts';

export function hostOf(v: string | undefined): string | null {
  if (!v) return null;
  return v.replace(/\/(32|128)$/, '');
}

export function destIP(r: Rule): string | null {
  const d = optOf(r, 'd');
  return d && !d.negated ? hostOf(d.values[0]) : null;
}

export function sourceCIDR(r: Rule): { cidr: string; negated: boolean } | null {
  const s = optOf(r, 's');
  return s && s.values[0] !== undefined ? { cidr: s.values[0], negated: s.negated } : null;
}

export function destPort(r: Rule): number | null {
  const d = optOf(r, 'dport');
  if (!d || d.negated) return null;
  const n = Number(d.values[0]);
  return Number.isInteger(n) ? n : null;
}

export function protoOf(r: Rule): string | null {
  const p = optOf(r, 'p');
  return p && !p.negated && p.values[0] !== undefined ? p.values[0].toLowerCase() : null;
}

export function probabilityOf(r: Rule): { written: string; value: number } | null {
  const mode = optOf(r, 'mode');
  const p = optOf(r, 'probability');
  if (!p || mode?.values[0] !== 'random') return null;
  const value = Number(p.values[0]);
  return Number.isFinite(value) ? { written: p.values[0], value: p.negated ? 1 - value : value } : null;
}

/** 1/m when the written probability is (the kernel's rounding of) 1/m, as kube-proxy writes it. */
export function intendedFraction(p: number): number | null {
  if (p <= 0 || p > 1) return null;
  const m = Math.round(1 / p);
  if (m < 1 || m > 1_000_000) return null;
  return kernelProbability(1 / m) === kernelProbability(p) || Math.abs(p - 1 / m) < 1e-10 ? m : null;
}

export function hasRecent(r: Rule, op: 'rcheck' | 'set'): { name: string; seconds: number | null } | null {
  const m = r.matches.find((x) => x.module === 'recent' && x.opts.some((o) => o.name === op));
  if (!m) return null;
  const name = m.opts.find((o) => o.name === 'name')?.values[0] ?? 'DEFAULT';
  const s = m.opts.find((o) => o.name === 'seconds')?.values[0];
  return { name, seconds: s !== undefined ? Number(s) : null };
}

export function hasAddrtype(r: Rule, which: 'src-type' | 'dst-type', type = 'LOCAL'): boolean {
  const o = optOf(r, which);
  return !!o && !o.negated && o.values[0]?.toUpperCase() === type;
}

export type CommentKind = 'clusterip' | 'externalip' | 'lbip' | 'no-endpoints' | 'no-local-endpoints' | 'endpoint' | 'healthcheck' | 'masq-external' | 'pod-external' | 'local-masq' | 'local-route' | 'fw-not-accepted' | 'fw-other' | 'balancing' | 'plain' | 'other';

const SERVICE = '([\\w.-]+/[\\w.-]+(?::[\\w.-]*)?)';
const PATTERNS: [RegExp, CommentKind][] = [
  [new RegExp(`^${SERVICE} cluster IP$`), 'clusterip'],
  [new RegExp(`^${SERVICE} external IP$`), 'externalip'],
  [new RegExp(`^${SERVICE} loadbalancer IP$`), 'lbip'],
  [new RegExp(`^${SERVICE} has no endpoints$`), 'no-endpoints'],
  [new RegExp(`^${SERVICE} has no local endpoints$`), 'no-local-endpoints'],
  [new RegExp(`^${SERVICE} -> (\\S+)$`), 'endpoint'],
  [new RegExp(`^${SERVICE} health check node port$`), 'healthcheck'],
  [new RegExp(`^masquerade traffic for ${SERVICE} external destinations$`), 'masq-external'],
  [new RegExp(`^pod traffic for ${SERVICE} external destinations$`), 'pod-external'],
  [new RegExp(`^masquerade LOCAL traffic for ${SERVICE} (?:external destinations|LB IP)$`), 'local-masq'],
  [new RegExp(`^route LOCAL traffic for ${SERVICE} (?:external destinations|LB IP to service chain)$`), 'local-route'],
  [new RegExp(`^${SERVICE} traffic not accepted by KUBE-FW-\\S+$`), 'fw-not-accepted'],
  [new RegExp(`^other traffic to ${SERVICE} will be dropped by KUBE-PROXY-FIREWALL$`), 'fw-other'],
  [new RegExp(`^Balancing rule \\d+ for ${SERVICE}$`), 'balancing'],
  [new RegExp(`^${SERVICE}$`), 'plain'],
];

export interface CommentFacts {
  kind: CommentKind;
  service: string | null;
  endpoint: string | null;
}

export function readComment(r: Rule): CommentFacts | null {
  const c = commentOf(r);
  if (c === null) return null;
  for (const [re, kind] of PATTERNS) {
    const m = re.exec(c);
    if (m) return { kind, service: m[1] ?? null, endpoint: kind === 'endpoint' ? m[2] : null };
  }
  return { kind: 'other', service: null, endpoint: null };
}

export function percent(x: number): string {
  const p = x * 100;
  return `${Number.isInteger(Math.round(p * 10) / 10) ? Math.round(p) : (Math.round(p * 10) / 10).toFixed(1)}%`;
}

export function round10(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}
