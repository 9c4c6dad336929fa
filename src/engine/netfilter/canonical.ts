// The argument forms iptables-save prints once the kernel has stored a rule: addresses with a
// prefix length, ports as numbers, marks as 0x hex, probabilities as the kernel's 31-bit fraction
// with 11 decimals, and each extension's options in the order its save function prints them
// (iptables extensions/libxt_*.c). Unknown extensions keep the order they were written in.
import ipaddr from 'ipaddr.js';
import type { MatchBlock, Opt, Rule, Target } from './model.ts';

/** The probability the kernel really uses: iptables stores lround(p * 2^31) (xt_statistic). */
export function kernelProbability(p: number): number {
  const q = Math.round(Math.min(Math.max(p, 0), 1) * 0x80000000);
  return q / 0x80000000;
}

export function formatProbability(p: number): string {
  return kernelProbability(p).toFixed(11);
}

/** xtables_save_string: bare when only [A-Za-z0-9_-], else double-quoted with \ " ' escaped. */
export function saveString(s: string): string {
  if (s.length > 0 && /^[A-Za-z0-9_-]+$/.test(s)) return s;
  return '"' + s.replace(/["\\']/g, (c) => '\\' + c) + '"';
}

export function canonicalAddress(v: string, family: 'ipv4' | 'ipv6'): string {
  try {
    if (v.includes('/')) {
      const [a, m] = v.split('/');
      const addr = ipaddr.parse(a);
      let len: number;
      if (/^\d+$/.test(m)) len = Number(m);
      else {
        const maskLen = ipaddr.parse(m).prefixLengthFromSubnetMask();
        if (maskLen === null) return v;
        len = maskLen;
      }
      const net = ipaddr.parseCIDR(`${addr.toString()}/${len}`);
      return `${networkOf(net[0], len)}/${len}`;
    }
    const addr = ipaddr.parse(v);
    return `${addr.toString()}/${addr.kind() === 'ipv6' ? 128 : 32}`;
  } catch {
    void family;
    return v;
  }
}

function networkOf(addr: ipaddr.IPv4 | ipaddr.IPv6, len: number): string {
  const bytes = addr.toByteArray();
  for (let b = 0; b < bytes.length; b++) {
    const keep = Math.max(0, Math.min(8, len - b * 8));
    bytes[b] &= keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

const PORT_NAMES: Record<string, number> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, 'www': 80, pop3: 110, ntp: 123, https: 443,
  'http-alt': 8080, 'webcache': 8080, bgp: 179, ldap: 389, ldaps: 636, mysql: 3306, postgresql: 5432,
};

/** A port or service name as the kernel stores it (a number); unknown names are kept as written. */
export function portNumber(v: string): string {
  if (/^\d+$/.test(v)) return String(Number(v));
  const n = PORT_NAMES[v.toLowerCase()];
  return n === undefined ? v : String(n);
}

function portSpec(v: string): string {
  return v
    .split(',')
    .map((r) => r.split(':').map(portNumber).join(':'))
    .join(',');
}

const PROTO_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '132': 'sctp', '1': 'icmp', '58': 'ipv6-icmp', '136': 'udplite', '33': 'dccp' };

export function canonicalProto(v: string): string {
  const l = v.toLowerCase();
  return PROTO_NAMES[l] ?? (l === 'icmpv6' ? 'ipv6-icmp' : l);
}

export function parseMarkValue(v: string): number | null {
  const s = v.trim();
  if (/^0x[0-9a-f]+$/i.test(s)) return Number.parseInt(s.slice(2), 16) >>> 0;
  if (/^\d+$/.test(s)) return Number(s) >>> 0;
  return null;
}

export function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}

/** `0x4000/0x4000`, `0x4000` (full mask omitted) */
function markSpec(v: string): string {
  const [a, m] = v.split('/');
  const val = parseMarkValue(a);
  if (val === null) return v;
  if (m === undefined) return hex(val);
  const mask = parseMarkValue(m);
  if (mask === null) return v;
  return mask === 0xffffffff ? hex(val) : `${hex(val)}/${hex(mask)}`;
}

const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
function stateList(v: string): string {
  const set = new Set(v.toUpperCase().split(','));
  const known = CT_STATES.filter((s) => set.has(s));
  return known.length === set.size ? known.join(',') : v;
}

const REJECT_ALIASES: Record<string, string> = {
  'net-unreach': 'icmp-net-unreachable', 'host-unreach': 'icmp-host-unreachable', 'port-unreach': 'icmp-port-unreachable',
  'proto-unreach': 'icmp-proto-unreachable', 'net-prohib': 'icmp-net-prohibited', 'host-prohib': 'icmp-host-prohibited',
  'admin-prohib': 'icmp-admin-prohibited', 'tcp-rst': 'tcp-reset',
  'no-route': 'icmp6-no-route', 'adm-prohibited': 'icmp6-adm-prohibited', 'addr-unreach': 'icmp6-addr-unreachable',
  'port-unreach6': 'icmp6-port-unreachable',
};

const o = (name: string, values: string[], negated = false): Opt => ({ name, values, negated });

/** Orders a block's options by the extension's save order; options not listed keep their place after. */
function ordered(opts: Opt[], order: string[], alias: Record<string, string> = {}): Opt[] {
  const norm = opts.map((x) => (alias[x.name] ? { ...x, name: alias[x.name] } : x));
  const rank = (x: Opt) => {
    const r = order.indexOf(x.name);
    return r < 0 ? order.length : r;
  };
  return norm
    .map((x, k) => ({ x, k }))
    .sort((a, b) => rank(a.x) - rank(b.x) || a.k - b.k)
    .map((e) => e.x);
}

export function canonicalMatch(m: MatchBlock, family: 'ipv4' | 'ipv6'): MatchBlock {
  const mod = m.module;
  let opts = m.opts;
  switch (mod) {
    case null: {
      opts = ordered(opts, ['s', 'd', 'i', 'o', 'p', 'f']).map((x) =>
        x.name === 's' || x.name === 'd'
          ? { ...x, values: x.values.map((v) => v.split(',').map((a) => canonicalAddress(a, family)).join(',')) }
          : x.name === 'p'
            ? { ...x, values: x.values.map(canonicalProto) }
            : x,
      );
      // `-p all` is protocol 0: iptables-save omits it
      opts = opts.filter((x) => !(x.name === 'p' && x.values[0] === 'all' && !x.negated));
      break;
    }
    case 'tcp':
    case 'udp':
    case 'sctp':
    case 'udplite':
    case 'dccp':
      opts = ordered(opts, ['sport', 'dport', 'tcp-option', 'tcp-flags', 'syn'], { 'source-port': 'sport', 'destination-port': 'dport' }).map((x) =>
        x.name === 'sport' || x.name === 'dport' ? { ...x, values: x.values.map(portSpec) } : x,
      ).map((x) => (x.name === 'syn' ? o('tcp-flags', ['FIN,SYN,RST,ACK', 'SYN'], x.negated) : x));
      break;
    case 'multiport':
      opts = ordered(opts, ['sports', 'dports', 'ports'], { 'source-ports': 'sports', 'destination-ports': 'dports' }).map((x) => ({ ...x, values: x.values.map(portSpec) }));
      break;
    case 'mark':
    case 'connmark':
      opts = opts.map((x) => (x.name === 'mark' ? { ...x, values: x.values.map(markSpec) } : x));
      break;
    case 'conntrack':
      opts = ordered(opts, ['ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctorigsrcport', 'ctorigdstport', 'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctexpire', 'ctdir']).map(
        (x) => (x.name === 'ctstate' ? { ...x, values: x.values.map(stateList) } : x),
      );
      break;
    case 'state':
      opts = opts.map((x) => (x.name === 'state' ? { ...x, values: x.values.map(stateList) } : x));
      break;
    case 'addrtype':
      opts = ordered(opts, ['src-type', 'dst-type', 'limit-iface-in', 'limit-iface-out']);
      break;
    case 'statistic':
      opts = ordered(opts, ['mode', 'probability', 'every', 'packet']).map((x) =>
        x.name === 'probability' && x.values.length === 1 && Number.isFinite(Number(x.values[0])) ? { ...x, values: [formatProbability(Number(x.values[0]))] } : x,
      );
      // libxt_statistic's save always prints --packet in nth mode (its prefix is non-empty)
      if (opts.some((x) => x.name === 'every') && !opts.some((x) => x.name === 'packet')) opts = [...opts, o('packet', ['0'])];
      break;
    case 'recent': {
      const has = (n: string) => opts.some((x) => x.name === n);
      const extra: Opt[] = [];
      if (!has('name')) extra.push(o('name', ['DEFAULT']));
      if (!has('mask')) extra.push(o('mask', [family === 'ipv6' ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : '255.255.255.255']));
      if (!has('rsource') && !has('rdest')) extra.push(o('rsource', []));
      opts = ordered([...opts, ...extra], ['set', 'rcheck', 'update', 'remove', 'seconds', 'reap', 'hitcount', 'rttl', 'name', 'mask', 'rsource', 'rdest']);
      break;
    }
    case 'physdev':
      opts = ordered(opts, ['physdev-in', 'physdev-out', 'physdev-is-in', 'physdev-is-out', 'physdev-is-bridged']);
      break;
    default:
      break;
  }
  return { ...m, opts };
}

export function canonicalTarget(t: Target, family: 'ipv4' | 'ipv6'): Target {
  let opts = t.opts;
  switch (t.name) {
    case 'MARK': {
      opts = opts.map((x) => {
        const [a, m] = (x.values[0] ?? '').split('/');
        const v = parseMarkValue(a);
        const mask = m === undefined ? null : parseMarkValue(m);
        if (v === null) return x;
        switch (x.name) {
          case 'set-mark':
            return o('set-xmark', [`${hex(v)}/${hex(m === undefined ? 0xffffffff : ((mask ?? 0) | v) >>> 0)}`]);
          case 'set-xmark':
            return o('set-xmark', [`${hex(v)}/${hex(m === undefined ? 0xffffffff : (mask ?? 0))}`]);
          case 'or-mark':
            return o('set-xmark', [`${hex(v)}/${hex(v)}`]);
          case 'and-mark':
            return o('set-xmark', [`0x0/${hex(~v >>> 0)}`]);
          case 'xor-mark':
            return o('set-xmark', [`${hex(v)}/0x0`]);
          default:
            return x;
        }
      });
      break;
    }
    case 'REJECT': {
      opts = opts.map((x) => (x.name === 'reject-with' ? { ...x, values: x.values.map((v) => REJECT_ALIASES[v] ?? v) } : x));
      if (!opts.some((x) => x.name === 'reject-with')) opts = [...opts, o('reject-with', [family === 'ipv6' ? 'icmp6-port-unreachable' : 'icmp-port-unreachable'])];
      break;
    }
    case 'DNAT':
      opts = ordered(opts, ['to-destination', 'random', 'persistent'], { to: 'to-destination' });
      break;
    case 'SNAT':
      opts = ordered(opts, ['to-source', 'random', 'random-fully', 'persistent'], { to: 'to-source' });
      break;
    case 'MASQUERADE':
      opts = ordered(opts, ['to-ports', 'random', 'random-fully']);
      break;
    default:
      break;
  }
  return { ...t, opts };
}

function optText(x: Opt, module: string | null): string {
  const flag = module === null ? '-' + x.name : '--' + x.name;
  const vals = x.values.map((v) => (module === 'comment' || (module === 'nfacct' && x.name === 'nfacct-name') || /[\s"'\\]/.test(v) || v === '' ? saveString(v) : v));
  // libxt_nfacct prints its name with a second space
  const sep = module === 'nfacct' && x.name === 'nfacct-name' ? '  ' : ' ';
  return (x.negated ? '! ' : '') + flag + (vals.length ? sep + vals.join(' ') : '');
}

/** The rule's arguments after `-A CHAIN`, exactly as iptables-save prints them. */
export function canonicalArgs(rule: Rule, family: 'ipv4' | 'ipv6'): string {
  const parts: string[] = [];
  const builtin = rule.matches.find((m) => m.module === null);
  if (builtin) for (const x of canonicalMatch(builtin, family).opts) parts.push(optText(x, null));
  for (const m of rule.matches) {
    if (m.module === null) continue;
    const c = canonicalMatch(m, family);
    parts.push('-m ' + m.module);
    for (const x of c.opts) parts.push(optText(x, m.module));
  }
  for (const u of rule.unknown) parts.push(u);
  if (rule.target && rule.target.name) {
    const t = canonicalTarget(rule.target, family);
    parts.push((t.goto ? '-g ' : '-j ') + t.name);
    for (const x of t.opts) parts.push(optText(x, '__target'));
  }
  return parts.join(' ');
}
