// IP checks with Go's net.ParseIP / netutils.ParseIPSloppy semantics (IPv4 parts may carry leading
// zeros, read as decimal; no IPv6 zones) and the API server's "special IP" rules.
import ipaddr from 'ipaddr.js';

const v4Re = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(s: string): number[] | null {
  const m = v4Re.exec(s);
  if (!m) return null;
  const parts = m.slice(1, 5).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

export type IPFamily = 'IPv4' | 'IPv6';

/** Family of a sloppily-parsed IP, or null when Go would not parse it. IPv4-mapped IPv6 counts as IPv4, as in Go. */
export function ipFamilyOf(s: string): IPFamily | null {
  if (parseV4(s)) return 'IPv4';
  if (!s.includes(':') || s.includes('%')) return null;
  const tail = s.slice(s.lastIndexOf(':') + 1);
  // ipaddr.js does not accept leading zeros in an embedded IPv4 tail; Go's sloppy parser does not either
  if (!ipaddr.IPv6.isValid(s)) return null;
  if (tail.includes('.') && !parseV4(tail)) return null;
  const a = ipaddr.IPv6.parse(s);
  return a.isIPv4MappedAddress() ? 'IPv4' : 'IPv6';
}

export const isIP = (s: string): boolean => ipFamilyOf(s) !== null;

/** The textual family test netutils.IsIPv6String uses (a parsed IP whose To4() is nil). */
export const isIPv6String = (s: string): boolean => ipFamilyOf(s) === 'IPv6';

export const VALID_IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const VALID_CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

export function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const fam = ipFamilyOf(ip);
  if (!fam) return false;
  const n = Number(bits);
  return ip.includes(':') ? n <= 128 : n <= 32;
}

/** ValidateNonSpecialIP: messages for unspecified, loopback and link-local addresses (value already valid). */
export function nonSpecialIPMessages(s: string): string[] {
  const fam = ipFamilyOf(s);
  if (!fam) return ['must be a valid IP address'];
  const msgs: string[] = [];
  let range: string;
  if (s.includes(':')) {
    const a = ipaddr.IPv6.parse(s);
    range = a.isIPv4MappedAddress() ? a.toIPv4Address().range() : a.range();
  } else {
    range = ipaddr.IPv4.parse(parseV4(s)!.join('.')).range();
  }
  // Go's IsUnspecified is the single all-zero address, not ipaddr.js's 0.0.0.0/8
  if (range === 'unspecified' && /^[0.:]+$/.test(s) && !/[1-9]/.test(s)) msgs.push(`may not be unspecified (${s})`);
  if (range === 'loopback') msgs.push('may not be in the loopback range (127.0.0.0/8, ::1/128)');
  if (range === 'linkLocal') msgs.push('may not be in the link-local range (169.254.0.0/16, fe80::/10)');
  if (isLinkLocalMulticast(s)) msgs.push('may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
  return msgs;
}

// Go: IPv4 224.0.0.0/24, IPv6 ff02::/16 (the message says /10, as the source does).
function isLinkLocalMulticast(s: string): boolean {
  const v4 = parseV4(s);
  if (v4) return v4[0] === 224 && v4[1] === 0 && v4[2] === 0;
  const a = ipaddr.IPv6.parse(s);
  if (a.isIPv4MappedAddress()) {
    const p = a.toIPv4Address().octets;
    return p[0] === 224 && p[1] === 0 && p[2] === 0;
  }
  return a.parts[0] === 0xff02;
}

/** Is `ip` inside `cidr`? Both already valid; families must match. */
export function cidrContains(cidr: string, ip: string): boolean {
  try {
    const [net, bits] = ipaddr.parseCIDR(normalizeCidr(cidr));
    const addr = ipaddr.parse(normalizeIP(ip));
    if (net.kind() !== addr.kind()) return false;
    return addr.match(net, bits);
  } catch {
    return false;
  }
}

function normalizeIP(ip: string): string {
  const v4 = parseV4(ip);
  return v4 ? v4.join('.') : ip;
}
function normalizeCidr(c: string): string {
  const [ip, bits] = c.split('/');
  return `${normalizeIP(ip!)}/${bits}`;
}
