// IP <-> bigint helpers for the allocators (ipaddr.js does the parsing).
import ipaddr from 'ipaddr.js';

export type Family = 'IPv4' | 'IPv6';

export interface ParsedCIDR {
  family: Family;
  /** network address */
  base: bigint;
  prefix: number;
  bits: 32 | 128;
  text: string;
}

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIP(text: string): { family: Family; value: bigint } | null {
  if (typeof text !== 'string') return null;
  const q = DOTTED_QUAD.exec(text);
  if (q) {
    // fast path (10,000 Services): plain IPv4 without ipaddr.js; leading zeros are not valid
    let v = 0;
    for (let i = 1; i <= 4; i++) {
      const part = q[i];
      if (part.length > 1 && part[0] === '0') return null;
      const n = Number(part);
      if (n > 255) return null;
      v = v * 256 + n;
    }
    return { family: 'IPv4', value: BigInt(v) };
  }
  if (!ipaddr.isValid(text)) return null;
  // ipaddr.js accepts "10" or "0x0a.0.0.1" as IPv4; the API server does not.
  if (!text.includes(':') && !/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return null;
  const addr = ipaddr.parse(text);
  const bytes = addr.toByteArray();
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return { family: addr.kind() === 'ipv4' ? 'IPv4' : 'IPv6', value: v };
}

export function ipToString(value: bigint, family: Family): string {
  if (family === 'IPv4') {
    const v = Number(value);
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const n = 16;
  const bytes: number[] = new Array(n);
  let v = value;
  for (let i = n - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

export function parseCIDR(text: string): ParsedCIDR | null {
  if (typeof text !== 'string' || !ipaddr.isValidCIDR(text)) return null;
  const [addr, prefix] = ipaddr.parseCIDR(text);
  const family: Family = addr.kind() === 'ipv4' ? 'IPv4' : 'IPv6';
  const bits = family === 'IPv4' ? 32 : 128;
  const ip = parseIP(addr.toString());
  if (!ip) return null;
  const hostBits = BigInt(bits - prefix);
  const base = (ip.value >> hostBits) << hostBits;
  return { family, base, prefix, bits, text: `${ipToString(base, family)}/${prefix}` };
}

export function cidrSize(c: ParsedCIDR): bigint {
  return 1n << BigInt(c.bits - c.prefix);
}

export function cidrContains(c: ParsedCIDR, ip: { family: Family; value: bigint }): boolean {
  return ip.family === c.family && ip.value >= c.base && ip.value < c.base + cidrSize(c);
}

/** Canonical text of an IP (the form the API server stores after re-stringifying). */
export function canonicalIP(text: string): string | null {
  const p = parseIP(text);
  return p ? ipToString(p.value, p.family) : null;
}

export function familyOf(text: string): Family | null {
  return parseIP(text)?.family ?? null;
}
