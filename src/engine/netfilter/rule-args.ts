// Reads the words of one rule (`-A CHAIN ...`, as in iptables-save, iptables-restore or
// iptables -S) into matches and a target. Options are attributed to modules the way iptables does:
// the module that owns the option, else the protocol's implicit match (`-p tcp --dport 80` loads
// `-m tcp`), else the module just named; nothing is dropped, unplaceable words land in `unknown`.
import type { Counters, MatchBlock, Opt, Target } from './model.ts';
import type { Token } from './tokenize.ts';

const BUILTIN: Record<string, string> = {
  '-s': 's', '--source': 's', '--src': 's',
  '-d': 'd', '--destination': 'd', '--dst': 'd',
  '-i': 'i', '--in-interface': 'i',
  '-o': 'o', '--out-interface': 'o',
  '-p': 'p', '--protocol': 'p',
};

/** Options each well-known match module owns (iptables 1.8 extensions). */
export const MODULE_OPTS: Record<string, string[]> = {
  comment: ['comment'],
  tcp: ['sport', 'source-port', 'dport', 'destination-port', 'tcp-flags', 'syn', 'tcp-option'],
  udp: ['sport', 'source-port', 'dport', 'destination-port'],
  udplite: ['sport', 'dport'],
  sctp: ['sport', 'source-port', 'dport', 'destination-port', 'chunk-types'],
  dccp: ['sport', 'dport', 'source-port', 'destination-port', 'dccp-types', 'dccp-option'],
  icmp: ['icmp-type'],
  icmp6: ['icmpv6-type'],
  multiport: ['sports', 'dports', 'ports', 'source-ports', 'destination-ports'],
  conntrack: ['ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctorigsrcport', 'ctorigdstport',
    'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctexpire', 'ctdir'],
  state: ['state'],
  mark: ['mark'],
  connmark: ['mark'],
  addrtype: ['src-type', 'dst-type', 'limit-iface-in', 'limit-iface-out'],
  statistic: ['mode', 'probability', 'every', 'packet'],
  recent: ['name', 'set', 'rcheck', 'update', 'remove', 'seconds', 'reap', 'hitcount', 'rttl', 'rsource', 'rdest', 'mask'],
  set: ['match-set', 'set', 'return-nomatch', 'update-counters', 'update-subcounters', 'packets-eq', 'packets-lt',
    'packets-gt', 'bytes-eq', 'bytes-lt', 'bytes-gt'],
  physdev: ['physdev-in', 'physdev-out', 'physdev-is-in', 'physdev-is-out', 'physdev-is-bridged'],
  nfacct: ['nfacct-name'],
  limit: ['limit', 'limit-burst'],
  iprange: ['src-range', 'dst-range'],
  owner: ['uid-owner', 'gid-owner', 'socket-exists', 'suppl-groups'],
  pkttype: ['pkt-type'],
  length: ['length'],
  rpfilter: ['loose', 'validmark', 'accept-local', 'invert'],
  socket: ['transparent', 'nowildcard', 'restore-skmark'],
  mac: ['mac-source'],
  ttl: ['ttl-eq', 'ttl-gt', 'ttl-lt'],
  connlimit: ['connlimit-upto', 'connlimit-above', 'connlimit-mask', 'connlimit-saddr', 'connlimit-daddr'],
  hashlimit: ['hashlimit', 'hashlimit-upto', 'hashlimit-above', 'hashlimit-burst', 'hashlimit-mode', 'hashlimit-name',
    'hashlimit-htable-expire', 'hashlimit-srcmask', 'hashlimit-dstmask'],
  policy: ['dir', 'pol', 'strict', 'reqid', 'spi', 'proto', 'mode', 'tunnel-src', 'tunnel-dst', 'next'],
  bpf: ['bytecode', 'object-pinned'],
  u32: ['u32'],
  string: ['algo', 'string', 'hex-string', 'from', 'to', 'icase'],
  devgroup: ['src-group', 'dst-group'],
  dscp: ['dscp', 'dscp-class'],
  helper: ['helper'],
  cgroup: ['path', 'cgroup'],
  ipvs: ['ipvs', 'vproto', 'vaddr', 'vport', 'vdir', 'vmethod', 'vportctl'],
};

const PROTO_IMPLICIT: Record<string, string> = { tcp: 'tcp', udp: 'udp', sctp: 'sctp', icmp: 'icmp', 'ipv6-icmp': 'icmp6', icmpv6: 'icmp6', udplite: 'udplite', dccp: 'dccp', '6': 'tcp', '17': 'udp', '132': 'sctp' };

export interface ParsedArgs {
  chain: string | null;
  /** `-I CHAIN N` position, when the line inserts */
  insertAt: number | null;
  command: 'A' | 'I' | null;
  counters: Counters | null;
  matches: MatchBlock[];
  target: Target | null;
  unknown: string[];
}

function isOption(t: Token): boolean {
  return !t.quoted && t.text.length > 1 && t.text[0] === '-' && !/^-\d/.test(t.text);
}
function isBang(t: Token): boolean {
  return !t.quoted && t.text === '!';
}

export function parseRuleArgs(tokens: Token[]): ParsedArgs {
  const out: ParsedArgs = { chain: null, insertAt: null, command: null, counters: null, matches: [], target: null, unknown: [] };
  const builtin: MatchBlock = { module: null, implicit: false, opts: [] };
  let current: MatchBlock | null = null;
  let negate = false;
  let proto: string | null = null;
  let i = 0;
  const n = tokens.length;

  const takeValues = (): string[] => {
    const vals: string[] = [];
    while (i < n && !isOption(tokens[i]) && !isBang(tokens[i])) vals.push(tokens[i++].text);
    return vals;
  };
  const addOpt = (block: { opts: Opt[] }, name: string) => {
    let neg = negate;
    negate = false;
    // old-style placement: `--dport ! 80`
    if (i < n && isBang(tokens[i]) && i + 1 < n && !isOption(tokens[i + 1])) {
      neg = !neg;
      i++;
    }
    block.opts.push(intern(name, takeValues(), neg));
  };

  while (i < n) {
    const t = tokens[i];
    if (isBang(t)) {
      negate = !negate;
      i++;
      continue;
    }
    if (!isOption(t)) {
      out.unknown.push(t.text);
      i++;
      continue;
    }
    const w = t.text;
    i++;
    if ((w === '-A' || w === '--append' || w === '-I' || w === '--insert') && out.command === null) {
      out.command = w === '-A' || w === '--append' ? 'A' : 'I';
      if (i < n) out.chain = tokens[i++].text;
      if (out.command === 'I' && i < n && /^\d+$/.test(tokens[i].text)) out.insertAt = Number(tokens[i++].text);
      continue;
    }
    if (w === '-c' || w === '--set-counters') {
      const a = tokens[i]?.text;
      const b = tokens[i + 1]?.text;
      if (a !== undefined && /^\d+$/.test(a) && b !== undefined && /^\d+$/.test(b)) {
        out.counters = { packets: Number(a), bytes: Number(b) };
        i += 2;
      } else if (a !== undefined && /^\[\d+:\d+\]$/.test(a)) {
        const [p, by] = a.slice(1, -1).split(':');
        out.counters = { packets: Number(p), bytes: Number(by) };
        i++;
      } else out.unknown.push(w);
      continue;
    }
    if (w === '-4' || w === '--ipv4' || w === '-6' || w === '--ipv6') continue;
    const b = BUILTIN[w];
    if (b !== undefined) {
      addOpt(builtin, b);
      if (b === 'p') proto = builtin.opts[builtin.opts.length - 1].values[0]?.toLowerCase() ?? null;
      continue;
    }
    if (w === '-f' || w === '--fragment') {
      builtin.opts.push({ name: 'f', values: [], negated: negate });
      negate = false;
      continue;
    }
    if (w === '-m' || w === '--match') {
      const name = tokens[i]?.text ?? '';
      i++;
      const existing = out.matches.find((m) => m.module === name && m.implicit);
      // an explicit -m after an implicit load of the same module reuses it, as iptables does
      if (existing) {
        existing.implicit = false;
        current = existing;
      } else {
        current = { module: name, implicit: false, opts: [] };
        out.matches.push(current);
      }
      negate = false;
      continue;
    }
    if (w === '-j' || w === '--jump' || w === '-g' || w === '--goto') {
      out.target = { name: tokens[i]?.text ?? '', goto: w === '-g' || w === '--goto', opts: [] };
      i++;
      negate = false;
      continue;
    }
    if (w.startsWith('--')) {
      const name = w.slice(2);
      if (out.target) {
        addOpt(out.target, name);
        continue;
      }
      const owner = ownerOf(name, current, out.matches, proto);
      if (owner === 'implicit' && proto) {
        const mod = PROTO_IMPLICIT[proto];
        const block: MatchBlock = { module: mod, implicit: true, opts: [] };
        out.matches.push(block);
        addOpt(block, name);
        continue;
      }
      if (owner && owner !== 'implicit') {
        addOpt(owner, name);
        continue;
      }
    }
    // an option nobody owns: keep it with its values so nothing is lost
    const vals = takeValues();
    out.unknown.push([negate ? '!' : '', w, ...vals].filter(Boolean).join(' '));
    negate = false;
  }
  if (builtin.opts.length) out.matches.unshift(builtin);
  if (out.unknown.length === 0) out.unknown = NO_UNKNOWN;
  if (out.target && out.target.opts.length === 0) out.target = internTarget(out.target.name, out.target.goto);
  return out;
}

// Big dumps repeat the same options thousands of times (-p tcp, --mode random, --dport 80): one
// frozen object per distinct option keeps a 100,000-rule model small. Options are never mutated.
const interned = new Map<string, Opt>();
function intern(name: string, values: string[], negated: boolean): Opt {
  if (values.length > 1 || (values.length === 1 && values[0].length > 40)) return { name, values, negated };
  const key = (negated ? '!' : '') + name + '\u0000' + (values.length ? values[0] : '\u0001');
  let o = interned.get(key);
  if (!o) {
    if (interned.size > 200_000) interned.clear();
    o = Object.freeze({ name, values: Object.freeze(values) as string[], negated });
    interned.set(key, o);
  }
  return o;
}

const NO_UNKNOWN = Object.freeze([]) as unknown as string[];
const targets = new Map<string, Target>();
function internTarget(name: string, goto: boolean): Target {
  const key = (goto ? 'g ' : 'j ') + name;
  let t = targets.get(key);
  if (!t) {
    if (targets.size > 100_000) targets.clear();
    t = Object.freeze({ name, goto, opts: Object.freeze([]) as unknown as Opt[] });
    targets.set(key, t);
  }
  return t;
}

function ownerOf(name: string, current: MatchBlock | null, loaded: MatchBlock[], proto: string | null): MatchBlock | 'implicit' | null {
  const knows = (m: MatchBlock) => MODULE_OPTS[m.module ?? '']?.includes(name) ?? false;
  if (current && knows(current)) return current;
  for (let k = loaded.length - 1; k >= 0; k--) if (knows(loaded[k])) return loaded[k];
  if (proto && PROTO_IMPLICIT[proto] && MODULE_OPTS[PROTO_IMPLICIT[proto]]?.includes(name)) return 'implicit';
  // an extension we do not know: its options follow it
  if (current && !(current.module! in MODULE_OPTS)) return current;
  return null;
}
