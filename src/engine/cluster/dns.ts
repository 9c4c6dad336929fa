// DNS records per the Kubernetes DNS spec (schema 1.1.0) as CoreDNS answers them
// (semantics.md §6). Only ready endpoints count (conditions.ready true or unset). Names are
// fully qualified with the trailing dot. SRV values are "priority weight port target" with
// CoreDNS's weights (plugin/backend_lookup.go: floor of 100 split over the records of one name).
import type { EndpointSlice, Service } from '../k8s/types.ts';
import { parseIP } from './ip.ts';
import { nsOf } from './pods.ts';
import { isHeadlessService, SERVICE_NAME_LABEL } from './endpointslices.ts';
import type { DnsRecord } from './types.ts';

export function reverseName(ip: string): string | null {
  const p = parseIP(ip);
  if (!p) return null;
  if (p.family === 'IPv4') return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  const hex = p.value.toString(16).padStart(32, '0');
  return `${hex.split('').reverse().join('.')}.ip6.arpa.`;
}

/** CoreDNS's name for an endpoint without a hostname: the IP with dashes */
export function dashedIP(ip: string): string {
  if (!ip.includes(':')) return ip.replace(/\./g, '-');
  let s = ip.replace(/:/g, '-');
  if (s.startsWith('-')) s = `0${s}`;
  if (s.endsWith('-')) s = `${s}0`;
  return s;
}

function addrType(ip: string): 'A' | 'AAAA' {
  return ip.includes(':') ? 'AAAA' : 'A';
}

export function dnsRecords(services: Service[], slices: EndpointSlice[], zone = 'cluster.local'): DnsRecord[] {
  const bySvc = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svc) continue;
    const k = `${nsOf(s)}/${svc}`;
    let l = bySvc.get(k);
    if (!l) bySvc.set(k, (l = []));
    l.push(s);
  }
  const out: DnsRecord[] = [];
  for (const svc of services) {
    const ns = nsOf(svc);
    const name = svc.metadata.name as string;
    const fqdn = `${name}.${ns}.svc.${zone}.`;
    if (svc.spec.type === 'ExternalName') {
      if (svc.spec.externalName) {
        const target = svc.spec.externalName.endsWith('.') ? svc.spec.externalName : `${svc.spec.externalName}.`;
        out.push({ name: fqdn, type: 'CNAME', value: target });
      }
      continue;
    }
    const named = (svc.spec.ports ?? []).filter((p) => p.name);
    if (!isHeadlessService(svc)) {
      const ips = (svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : [])).filter((ip) => parseIP(ip));
      for (const ip of ips) out.push({ name: fqdn, type: addrType(ip), value: ip });
      for (const p of named) {
        out.push({ name: `_${p.name}._${(p.protocol ?? 'TCP').toLowerCase()}.${fqdn}`, type: 'SRV', value: `0 100 ${p.port} ${fqdn}` });
      }
      for (const ip of ips) {
        const r = reverseName(ip);
        if (r) out.push({ name: r, type: 'PTR', value: fqdn });
      }
      continue;
    }
    // headless: one record per ready endpoint
    const eps: { ip: string; host: string; ports: { name?: string; protocol?: string; port?: number }[] }[] = [];
    const seen = new Set<string>();
    for (const s of bySvc.get(`${ns}/${name}`) ?? []) {
      if (s.addressType === 'FQDN') continue;
      for (const e of s.endpoints ?? []) {
        if (e.conditions?.ready === false) continue;
        for (const ip of e.addresses ?? []) {
          if (seen.has(ip)) continue;
          seen.add(ip);
          eps.push({ ip, host: e.hostname ?? dashedIP(ip), ports: s.ports ?? [] });
        }
      }
    }
    for (const e of eps) out.push({ name: fqdn, type: addrType(e.ip), value: e.ip });
    for (const e of eps) out.push({ name: `${e.host}.${fqdn}`, type: addrType(e.ip), value: e.ip });
    for (const p of named) {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      const matching = eps
        .map((e) => ({ e, ep: e.ports.find((x) => x.name === p.name && (x.protocol ?? 'TCP').toLowerCase() === proto) }))
        .filter((x) => x.ep?.port !== undefined);
      // backend_lookup.go: every record weighs 100 (Weight 0), then floor(100 / sum * 100) in float64
      const weight = matching.length > 0 ? Math.floor((100 / (100 * matching.length)) * 100) : 0;
      for (const { e, ep } of matching) {
        out.push({ name: `_${p.name}._${proto}.${fqdn}`, type: 'SRV', value: `0 ${weight} ${ep?.port} ${e.host}.${fqdn}` });
      }
    }
    for (const e of eps) {
      const r = reverseName(e.ip);
      if (r) out.push({ name: r, type: 'PTR', value: `${e.host}.${fqdn}` });
    }
  }
  return out;
}
