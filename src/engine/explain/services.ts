// Reconstructs kube-proxy's Services from a ruleset of any era: per-service chains share a hash
// (KUBE-SVC/SVL/EXT/FW/XLB-<hash>), KUBE-SERVICES and KUBE-NODEPORTS say how each is reached, the
// SVC chain's probability cascade says how new connections are shared, filter rules say where a
// Service without endpoints is rejected. What the text does not show stays null.
import type { Chain, Rule, Ruleset } from '../netfilter/model.ts';
import { findTable } from '../netfilter/model.ts';
import { kernelProbability } from '../netfilter/canonical.ts';
import { chainOwner } from './owners.ts';
import { destIP, destPort, hasAddrtype, hasRecent, intendedFraction, probabilityOf, protoOf, readComment, round10, sourceCIDR } from './rule-facts.ts';

export interface EndpointReport {
  /** "10.244.1.5:8080" from the SEP chain's DNAT (or the jump's comment); null when not shown */
  address: string | null;
  /** effective share of new connections: the cascade multiplied out, as kube-proxy wrote it (10 decimals) */
  probability: number;
  /** the same share with the probabilities the kernel really stores (p * 2^31 as u32) */
  kernelProbability: number;
  /** the probability written on the jump, null on the last rule */
  written: string | null;
  chain: string;
  line: number;
}

export interface ServiceReport {
  name: string | null;
  protocol: string | null;
  clusterIP: string | null;
  port: number | null;
  nodePorts: number[];
  externalIPs: string[];
  loadBalancerIPs: string[];
  endpoints: EndpointReport[];
  noEndpoints: boolean;
  /** endpoints on this node only (KUBE-SVL, or KUBE-XLB in older versions) */
  localEndpoints: EndpointReport[] | null;
  /** addresses kube-proxy routes to this Service whose kind the text does not say */
  otherIPs: string[];
  chains: { svc: string | null; svl: string | null; ext: string | null; fw: string | null; xlb: string | null };
  externalTrafficPolicy: 'Cluster' | 'Local' | null;
  internalTrafficPolicy: 'Cluster' | 'Local' | null;
  affinity: { timeoutSeconds: number | null } | null;
  loadBalancerSourceRanges: string[];
  healthCheckNodePort: number | null;
  /** lines of the filter rules that REJECT (no endpoints) or DROP (no local endpoints) this Service's traffic */
  rejectLines: number[];
  dropLines: number[];
  /** masquerade decisions: which traffic is SNATed, with the rule's line */
  masquerade: { line: number; when: 'not-from-pods' | 'all' | 'hairpin' | 'external' | 'node-local' }[];
  /** all lines that belong to this Service, for highlighting */
  lines: number[];
}

const EMPTY = (): ServiceReport => ({
  name: null, protocol: null, clusterIP: null, port: null, nodePorts: [], externalIPs: [], loadBalancerIPs: [], endpoints: [], noEndpoints: false,
  localEndpoints: null, otherIPs: [], chains: { svc: null, svl: null, ext: null, fw: null, xlb: null }, externalTrafficPolicy: null, internalTrafficPolicy: null,
  affinity: null, loadBalancerSourceRanges: [], healthCheckNodePort: null, rejectLines: [], dropLines: [], masquerade: [], lines: [],
});

const push = <T>(list: T[], v: T | null) => {
  if (v !== null && !list.includes(v)) list.push(v);
};

export function reconstructServices(rs: Ruleset): ServiceReport[] {
  const byHash = new Map<string, ServiceReport>();
  const byName = new Map<string, ServiceReport>();
  const order: ServiceReport[] = [];
  const nat = findTable(rs, 'nat');
  const filter = findTable(rs, 'filter');
  const natChains = new Map<string, Chain>((nat?.chains ?? []).map((c) => [c.name, c]));

  const get = (hash: string | null, name: string | null): ServiceReport => {
    const h = hash ? byHash.get(hash) : undefined;
    const n = name ? byName.get(name) : undefined;
    if (h && n && h !== n) {
      // the same Service was first seen by name (e.g. a legacy masquerade rule), then by its chains
      merge(h, n);
      order.splice(order.indexOf(n), 1);
      byName.set(name!, h);
    }
    let s = h || n || undefined;
    if (!s) {
      s = EMPTY();
      order.push(s);
    }
    if (hash) byHash.set(hash, s);
    if (name) {
      if (!s.name) s.name = name;
      byName.set(name, s);
    }
    return s;
  };
  const note = (s: ServiceReport, r: Rule) => push(s.lines, r.line);

  // 1. every per-service chain is a service port
  for (const c of nat?.chains ?? []) {
    const o = chainOwner(c.name);
    if (!o.hash || o.kind === 'endpoint') continue;
    const s = get(o.hash, null);
    if (o.kind === 'service') s.chains.svc = c.name;
    if (o.kind === 'service-local') s.chains.svl = c.name;
    if (o.kind === 'external') s.chains.ext = c.name;
    if (o.kind === 'firewall') s.chains.fw = c.name;
    if (o.kind === 'external-local-legacy') s.chains.xlb = c.name;
    if (c.line) push(s.lines, c.line);
    for (const r of c.rules) {
      note(s, r);
      const cf = readComment(r);
      if (cf?.service && cf.kind !== 'other' && !s.name) get(o.hash, cf.service);
    }
  }

  // 2. how each is reached: KUBE-SERVICES (ClusterIP, external and LB IPs), KUBE-NODEPORTS
  for (const r of natChains.get('KUBE-SERVICES')?.rules ?? []) {
    const t = r.target?.name ?? '';
    const o = chainOwner(t);
    const cf = readComment(r);
    if (o.hash) {
      const s = get(o.hash, cf?.service ?? null);
      note(s, r);
      const ip = destIP(r);
      s.protocol ??= protoOf(r);
      const kind = cf?.kind ?? (o.kind === 'firewall' ? 'lbip' : s.clusterIP === null && (o.kind === 'service' || o.kind === 'service-local') ? 'clusterip' : null);
      if (kind === 'clusterip') {
        s.clusterIP ??= ip;
        s.port ??= destPort(r);
        if (o.kind === 'service-local') s.internalTrafficPolicy = 'Local';
        else if (o.kind === 'service') s.internalTrafficPolicy = 'Cluster';
      } else if (kind === 'externalip') push(s.externalIPs, ip);
      else if (kind === 'lbip') push(s.loadBalancerIPs, ip);
      else push(s.otherIPs, ip);
      s.port ??= destPort(r);
    } else if (t === 'KUBE-MARK-MASQ' && cf?.service) {
      // before ~1.24 the ClusterIP masquerade rule sat in KUBE-SERVICES itself
      const s = get(null, cf.service);
      note(s, r);
      const src = sourceCIDR(r);
      s.masquerade.push({ line: r.line, when: src?.negated ? 'not-from-pods' : 'all' });
    }
  }
  for (const r of natChains.get('KUBE-NODEPORTS')?.rules ?? []) {
    const o = chainOwner(r.target?.name ?? '');
    const cf = readComment(r);
    if (o.hash) {
      const s = get(o.hash, cf?.service ?? null);
      note(s, r);
      push(s.nodePorts, destPort(r));
      s.protocol ??= protoOf(r);
    } else if (r.target?.name === 'KUBE-MARK-MASQ' && cf?.service) {
      const s = get(null, cf.service);
      note(s, r);
      s.masquerade.push({ line: r.line, when: 'node-local' });
    }
  }

  // 3. inside each service: shares, affinity, policies, masquerade, source ranges
  for (const s of order) {
    const internal = s.internalTrafficPolicy === 'Local' ? s.chains.svl : s.chains.svc ?? s.chains.svl;
    if (internal) Object.assign(s, cascade(natChains, internal, s));
    if (s.chains.svl && s.chains.svl !== internal) s.localEndpoints = cascade(natChains, s.chains.svl, s).endpoints;
    if (s.chains.xlb) s.localEndpoints = cascade(natChains, s.chains.xlb, s).endpoints;
    const ext = s.chains.ext ? natChains.get(s.chains.ext) : undefined;
    for (const r of ext?.rules ?? []) {
      const t = chainOwner(r.target?.name ?? '');
      if (r.target?.name === 'KUBE-MARK-MASQ') s.masquerade.push({ line: r.line, when: hasAddrtype(r, 'src-type') ? 'node-local' : 'external' });
      else if (t.kind === 'service-local' && !sourceCIDR(r) && !hasAddrtype(r, 'src-type')) s.externalTrafficPolicy = 'Local';
      else if (t.kind === 'service' && !sourceCIDR(r) && !hasAddrtype(r, 'src-type')) s.externalTrafficPolicy ??= 'Cluster';
    }
    // eTP=Local with no local endpoint: the EXT chain has no final jump, but does short-circuit pods
    if (ext && !s.externalTrafficPolicy) s.externalTrafficPolicy = ext.rules.some((r) => sourceCIDR(r) && !sourceCIDR(r)!.negated) ? 'Local' : 'Cluster';
    if (s.chains.xlb) s.externalTrafficPolicy = 'Local';
    if (!ext && !s.chains.xlb && (s.nodePorts.length || s.externalIPs.length || s.loadBalancerIPs.length)) s.externalTrafficPolicy = 'Cluster';
    const fw = s.chains.fw ? natChains.get(s.chains.fw) : undefined;
    for (const r of fw?.rules ?? []) {
      const src = sourceCIDR(r);
      if (src && !src.negated && r.target && chainOwner(r.target.name).hash) push(s.loadBalancerSourceRanges, src.cidr);
    }
    const svc = internal ? natChains.get(internal) : undefined;
    for (const r of svc?.rules ?? []) {
      if (r.target?.name !== 'KUBE-MARK-MASQ') continue;
      const src = sourceCIDR(r);
      s.masquerade.push({ line: r.line, when: src?.negated ? 'not-from-pods' : 'all' });
    }
  }

  // 4. filter table: no endpoints (REJECT), no local endpoints (DROP), health checks, LB firewall
  for (const chainName of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) {
    for (const r of filter?.chains.find((c) => c.name === chainName)?.rules ?? []) {
      const cf = readComment(r);
      if (!cf?.service) continue;
      const s = get(null, cf.service);
      note(s, r);
      const ip = destIP(r);
      const port = destPort(r);
      s.protocol ??= protoOf(r);
      if (cf.kind === 'no-endpoints') {
        s.noEndpoints = true;
        s.rejectLines.push(r.line);
        if (hasAddrtype(r, 'dst-type')) push(s.nodePorts, port);
        else if (chainName === 'KUBE-SERVICES' && s.clusterIP === null) {
          s.clusterIP = ip;
          s.port ??= port;
        } else if (ip && ip !== s.clusterIP && !s.externalIPs.includes(ip) && !s.loadBalancerIPs.includes(ip)) push(s.otherIPs, ip);
      } else if (cf.kind === 'no-local-endpoints') {
        s.dropLines.push(r.line);
        s.externalTrafficPolicy ??= 'Local';
        if (hasAddrtype(r, 'dst-type')) push(s.nodePorts, port);
      } else if (cf.kind === 'healthcheck') s.healthCheckNodePort = port;
      else if (cf.kind === 'fw-not-accepted') {
        s.dropLines.push(r.line);
        push(s.loadBalancerIPs, ip);
      }
    }
  }
  for (const s of order) {
    const seen = new Set<number>();
    s.masquerade = s.masquerade.filter((m) => (seen.has(m.line) ? false : (seen.add(m.line), true)));
    s.lines.sort((a, b) => a - b);
  }
  return order.filter((s) => s.lines.length > 0);
}

function merge(into: ServiceReport, from: ServiceReport): void {
  into.name ??= from.name;
  into.protocol ??= from.protocol;
  into.clusterIP ??= from.clusterIP;
  into.port ??= from.port;
  for (const k of ['nodePorts', 'externalIPs', 'loadBalancerIPs', 'otherIPs', 'loadBalancerSourceRanges', 'lines'] as const) for (const v of from[k] as (string | number)[]) if (!(into[k] as (string | number)[]).includes(v)) (into[k] as (string | number)[]).push(v);
  into.masquerade.push(...from.masquerade);
  into.rejectLines.push(...from.rejectLines);
  into.dropLines.push(...from.dropLines);
  into.noEndpoints ||= from.noEndpoints;
  into.healthCheckNodePort ??= from.healthCheckNodePort;
  into.externalTrafficPolicy ??= from.externalTrafficPolicy;
}

function cascade(natChains: Map<string, Chain>, chainName: string, s: ServiceReport): { endpoints: EndpointReport[]; affinity: ServiceReport['affinity'] } {
  const chain = natChains.get(chainName);
  const endpoints: EndpointReport[] = [];
  let affinity = s.affinity;
  let remaining = 1;
  let remainingKernel = 1;
  for (const r of chain?.rules ?? []) {
    const target = r.target?.name ?? '';
    if (chainOwner(target).kind !== 'endpoint') continue;
    const check = hasRecent(r, 'rcheck');
    if (check) {
      affinity = { timeoutSeconds: check.seconds };
      continue;
    }
    const p = probabilityOf(r);
    const sep = natChains.get(target);
    const dnat = sep?.rules.find((x) => x.target?.name === 'DNAT');
    const to = dnat?.target?.opts.find((o) => o.name === 'to-destination')?.values[0] ?? null;
    const address = to ?? readComment(r)?.endpoint ?? null;
    let share: number;
    let shareKernel: number;
    if (p) {
      const m = intendedFraction(p.value);
      const intended = m ? 1 / m : p.value;
      share = remaining * intended;
      remaining *= 1 - intended;
      const k = kernelProbability(p.value);
      shareKernel = remainingKernel * k;
      remainingKernel *= 1 - k;
    } else {
      share = remaining;
      shareKernel = remainingKernel;
      remaining = 0;
      remainingKernel = 0;
    }
    endpoints.push({ address, probability: round10(share), kernelProbability: shareKernel, written: p?.written ?? null, chain: target, line: r.line });
    if (sep) for (const x of sep.rules) push(s.lines, x.line);
    if (sep?.line) push(s.lines, sep.line);
    for (const x of sep?.rules ?? []) if (x.target?.name === 'KUBE-MARK-MASQ' && sourceCIDR(x)) s.masquerade.push({ line: x.line, when: 'hairpin' });
    if (!p) break;
  }
  return { endpoints, affinity };
}

