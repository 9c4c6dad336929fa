// IP text as kube-proxy reads and prints it: "sloppy" parsing (netutils.ParseIPSloppy: IPv4
// octets with leading zeros are decimal, so 172.30.0.041 is 172.30.0.41) and Go's net.IP
// String() form (IPv6 compressed per RFC 5952, lowercase; IPv4-mapped printed as IPv4).
import ipaddr from 'ipaddr.js';

export type Family = 'IPv4' | 'IPv6';

export interface ParsedIP {
  family: Family;
  /** 4 bytes or 16 bytes */
  bytes: number[];
}

function parseIPv4Sloppy(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

export function parseIPSloppy(text: string): ParsedIP | null {
  const t = text.trim() === text ? text : null;
  if (t === null || t === '') return null;
  if (!t.includes(':')) {
    const b = parseIPv4Sloppy(t);
    return b ? { family: 'IPv4', bytes: b } : null;
  }
  if (!ipaddr.IPv6.isValid(t)) return null;
  const v6 = ipaddr.IPv6.parse(t);
  if (v6.zoneId) return null;
  const bytes = v6.toByteArray();
  // Go treats ::ffff:a.b.c.d as an IPv4 address
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return { family: 'IPv4', bytes: bytes.slice(12) };
  }
  return { family: 'IPv6', bytes };
}

export function formatIP(ip: ParsedIP): string {
  if (ip.family === 'IPv4') return ip.bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip.bytes[i] << 8) | ip.bytes[i + 1]);
  // longest run of >= 2 zero groups, first one on a tie
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number) => g.toString(16);
  if (bestStart < 0) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/**
 * Is `text` an IPv4 address already in canonical form (four decimal octets <= 255, no leading
 * zeros)? Endpoint addresses nearly always are; recognising them without parsing keeps a
 * 100k-endpoint sync from allocating a parse per address.
 */
function isCanonicalIPv4(text: string): boolean {
  const n = text.length;
  if (n < 7 || n > 15) return false;
  let dots = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return false;
      dots++;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false;
      value = value * 10 + (c - 48);
      if (value > 255) return false;
      digits++;
    } else {
      return false;
    }
  }
  return dots === 3 && digits > 0;
}

/** Canonical text of an IP, or null when it does not parse. */
export function canonicalIP(text: string): string | null {
  if (isCanonicalIPv4(text)) return text;
  const p = parseIPSloppy(text);
  return p ? formatIP(p) : null;
}

export function ipFamilyOf(text: string): Family | null {
  if (isCanonicalIPv4(text)) return 'IPv4';
  return parseIPSloppy(text)?.family ?? null;
}

export interface ParsedCIDR {
  ip: ParsedIP;
  prefix: number;
}

/** ParseCIDRSloppy: the address is masked to the prefix, as Go's IPNet holds it. */
export function parseCIDRSloppy(text: string): ParsedCIDR | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIPSloppy(text.slice(0, slash));
  const pl = text.slice(slash + 1);
  if (!ip || !/^[0-9]+$/.test(pl)) return null;
  const prefix = Number(pl);
  const bits = ip.bytes.length * 8;
  if (prefix > bits) return null;
  // an IPv4-mapped address with a /96+ prefix is not what users mean; Go keeps the family of the text
  if (ip.family === 'IPv4' && text.slice(0, slash).includes(':')) return null;
  return { ip: { family: ip.family, bytes: maskBytes(ip.bytes, prefix) }, prefix };
}

function maskBytes(bytes: number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return keep === 8 ? b : b & ((0xff << (8 - keep)) & 0xff);
  });
}

export function formatCIDR(c: ParsedCIDR): string {
  return `${formatIP(c.ip)}/${c.prefix}`;
}

export function cidrContains(c: ParsedCIDR, ip: ParsedIP): boolean {
  if (c.ip.family !== ip.family) return false;
  const masked = maskBytes(ip.bytes, c.prefix);
  return masked.every((b, i) => b === c.ip.bytes[i]);
}

export function isLoopback(ip: ParsedIP): boolean {
  if (ip.family === 'IPv4') return ip.bytes[0] === 127;
  return ip.bytes.slice(0, 15).every((b) => b === 0) && ip.bytes[15] === 1;
}

/** `IP:port`, IPv6 in brackets (net.JoinHostPort). */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
