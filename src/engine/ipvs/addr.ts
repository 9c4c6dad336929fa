// Address helpers shared by the IPVS engine: parsing, the kernel's numeric views of an address,
// and the `ip:port` / `[ip]:port` text forms kube-proxy and ipvsadm print.
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export function ipFamily(ip: string): Family | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(ip)) return 4;
  if (ipaddr.IPv6.isValid(ip)) return 6;
  return null;
}

/** Canonical text of an IP (IPv6 in RFC 5952 form); null when it is not an IP. */
export function canonicalIp(ip: string): string | null {
  const f = ipFamily(ip.trim());
  if (f === 4) {
    // kube-proxy parses "sloppily": leading zeros are decimal
    const parts = ip.trim().split('.').map((p) => parseInt(p, 10));
    return parts.join('.');
  }
  if (f === 6) return ipaddr.IPv6.parse(ip.trim()).toRFC5952String();
  return null;
}

export function ipBytes(ip: string): number[] {
  return ipaddr.parse(canonicalIp(ip) ?? ip).toByteArray();
}

/** The address as 32-bit words in network order (1 word for IPv4, 4 for IPv6). */
export function ipWords(ip: string): number[] {
  const b = ipBytes(ip);
  const words: number[] = [];
  for (let i = 0; i < b.length; i += 4) words.push(((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0);
  return words;
}

/** `ip:port`, or `[ip]:port` for IPv6 (kube-proxy's and ipvsadm's form). */
export { hostPort } from '../util/hostport.ts';

/** Split `ip:port` / `[ip]:port`; null when malformed. */
export function splitHostPort(s: string): { ip: string; port: number } | null {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(s) ?? /^([0-9.]+):(\d+)$/.exec(s);
  if (!m) return null;
  const ip = canonicalIp(m[1]!);
  const port = Number(m[2]);
  if (ip === null || port > 65535) return null;
  return { ip, port };
}

/** Numeric order of two addresses (IPv4 before IPv6), as bytes compare. */
export function compareIp(a: string, b: string): number {
  const x = ipBytes(a);
  const y = ipBytes(b);
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

export function cidrContains(cidr: string, ip: string): boolean {
  try {
    const [net, bits] = ipaddr.parseCIDR(cidr.trim());
    const addr = ipaddr.parse(canonicalIp(ip) ?? ip);
    if (addr.kind() !== net.kind()) return false;
    return (addr as ipaddr.IPv4).match(net as ipaddr.IPv4, bits);
  } catch {
    return false;
  }
}

/** Canonical CIDR text (network address kept as written, like net.ParseCIDR's String of the IPNet). */
export function canonicalCidr(cidr: string): string | null {
  try {
    const [net, bits] = ipaddr.parseCIDR(cidr.trim());
    const network =
      net.kind() === 'ipv4'
        ? ipaddr.IPv4.networkAddressFromCIDR(`${net.toString()}/${bits}`).toString()
        : ipaddr.IPv6.networkAddressFromCIDR(`${net.toString()}/${bits}`).toRFC5952String();
    return `${network}/${bits}`;
  } catch {
    return null;
  }
}
