// Compiles each rule's matches into checks run in the kernel's order (built-in first, then each
// module as written; the first failing match stops the rule, so a statistic or recent --set match
// only acts when everything before it matched). A check answers PASS, FAIL or UNKNOWN, never a guess.
import type { MatchBlock, Opt, Rule, Target } from './model.ts';
import { ipsetMember } from './ipset-index.ts';
import { canonicalProto, canonicalTarget, kernelProbability, parseMarkValue, portNumber } from './canonical.ts';
import { cidrContains, isLoopback, isMulticast, parseAddr, parseCidr, splitHostPort, type Addr } from './addr.ts';
import type { CtState, Hook, IpsetModel, PacketView } from './trace-types.ts';

export const PASS = 0;
export const FAIL = 1;
export const UNKNOWN = 2;
export type CheckResult = 0 | 1 | 2;

/** The packet as a match sees it, plus what the hook and conntrack add. */
export interface MatchEnv extends PacketView {
  hook: Hook;
  srcA: Addr | null;
  dstA: Addr | null;
  bridged: boolean;
  physIn: string | null;
  physOut: string | null;
  ctState: CtState;
  ctDnat: boolean;
  ctSnat: boolean;
  ctMark: number;
  /** first packet of a TCP connection (SYN) */
  syn: boolean;
  /** the node's own addresses (127.0.0.0/8 and ::1 are always local) */
  localSet: Set<string>;
  broadcast: Set<string>;
  ipsets: Map<string, IpsetModel> | null;
  recent: Map<string, Map<string, { last: number; hits: number }>>;
  now: number;
  decide: (rule: Rule, kind: 'random' | 'nth', probability: number) => boolean;
}

export function isLocalAddr(e: MatchEnv, a: Addr): boolean {
  return e.localSet.has(a.text) || isLoopback(a);
}

/**
 * Why a match failed or is unknown: the English text the trace prints, and an i18n key (src/i18n,
 * `trace.why.*`) with the values that key's template needs, so the UI can say it in any language.
 */
export interface Why {
  text: string;
  key: string;
  params: Record<string, string | number>;
}

const why = (key: string, params: Record<string, string | number>, text: string): Why => ({ text, key, params });

export interface Check {
  run: (env: MatchEnv) => CheckResult;
  /** why it failed or is unknown, for the trace */
  why: (env: MatchEnv, r: CheckResult) => Why;
  label: string;
}

export interface CompiledRule {
  rule: Rule;
  checks: Check[];
  /** a non-negated single-host -d: lets the walker skip rules whose destination cannot match */
  dstHost: string | null;
  /** the target in canonical form (MARK as --set-xmark, ...), computed once */
  target: Target | null;
  /** DNAT --to-destination / SNAT --to-source, split once */
  natTo: { host: string; port: number | null } | null;
  /** MARK --set-xmark value/mask, parsed once */
  markXm: [number, number] | null;
}

const neg = (o: Opt, r: boolean): boolean => (o.negated ? !r : r);
const res = (b: boolean): CheckResult => (b ? PASS : FAIL);

function unknownCheck(label: string, w: Why): Check {
  return { run: () => UNKNOWN, why: () => w, label };
}

function addrCheck(o: Opt, which: 's' | 'd'): Check {
  const label = `${o.negated ? '! ' : ''}-${which} ${o.values.join(',')}`;
  const cidrs = o.values.flatMap((v) => v.split(',')).map(parseCidr);
  if (cidrs.some((c) => c === null)) return unknownCheck(label, why('trace.why.notAddress', { value: o.values.join(',') }, `"${o.values.join(',')}" is not an address (a name resolved by a listing?)`));
  const cs = cidrs as NonNullable<(typeof cidrs)[number]>[];
  return {
    label,
    run: (e) => {
      const a = which === 's' ? e.srcA : e.dstA;
      if (!a) return UNKNOWN;
      let hit = false;
      for (const c of cs) if (cidrContains(c, a)) { hit = true; break; }
      return res(neg(o, hit));
    },
    why: (e, r) =>
      r === UNKNOWN
        ? why('trace.why.packetAddr', {}, 'the packet address is not an IP address')
        : why(`trace.why.${which === 's' ? 'src' : 'dst'}${o.negated ? 'In' : 'NotIn'}`, { addr: which === 's' ? e.src : e.dst, range: o.values.join(',') },
          `${which === 's' ? 'source' : 'destination'} ${which === 's' ? e.src : e.dst} ${o.negated ? 'is' : 'is not'} in ${o.values.join(',')}`),
  };
}

function ifaceCheck(o: Opt, which: 'i' | 'o'): Check {
  const pat = o.values[0] ?? '';
  const label = `${o.negated ? '! ' : ''}-${which} ${pat}`;
  const test = pat.endsWith('+') ? (n: string) => n.startsWith(pat.slice(0, -1)) : (n: string) => n === pat;
  return {
    label,
    run: (e) => {
      const n = which === 'i' ? e.inIface : e.outIface;
      if (n === null) return UNKNOWN;
      return res(neg(o, test(n)));
    },
    why: (e, r) =>
      r === UNKNOWN
        ? why(`trace.why.${which === 'i' ? 'in' : 'out'}IfaceUnknown`, {}, `the packet's ${which === 'i' ? 'input' : 'output'} interface is not known`)
        : why(`trace.why.${which === 'i' ? 'in' : 'out'}Iface${o.negated ? 'Matches' : 'NoMatch'}`, { iface: String(which === 'i' ? e.inIface : e.outIface), pattern: pat },
          `${which === 'i' ? 'input' : 'output'} interface ${which === 'i' ? e.inIface : e.outIface} ${o.negated ? 'matches' : 'does not match'} ${pat}`),
  };
}

function protoCheck(o: Opt): Check {
  const p = canonicalProto(o.values[0] ?? '');
  return {
    label: `${o.negated ? '! ' : ''}-p ${p}`,
    run: (e) => res(neg(o, p === 'all' || p === '0' || canonicalProto(e.proto) === p)),
    why: (e) => why(o.negated ? 'trace.why.protoIs' : 'trace.why.protoIsNot', { proto: e.proto, want: p }, `protocol ${e.proto} ${o.negated ? 'is' : 'is not'} ${p}`),
  };
}

function portRangeTest(spec: string): ((p: number) => boolean) | null {
  const parts = spec.split(',');
  const ranges: [number, number][] = [];
  for (const part of parts) {
    const [a, b] = part.split(':');
    const lo = a === '' ? 0 : Number(portNumber(a));
    const hi = b === undefined ? lo : b === '' ? 65535 : Number(portNumber(b));
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
    ranges.push([lo, hi]);
  }
  return (p) => ranges.some(([lo, hi]) => p >= lo && p <= hi);
}

function portCheck(o: Opt, which: 'sport' | 'dport' | 'ports', proto: string | null): Check {
  const spec = o.values[0] ?? '';
  const label = `${o.negated ? '! ' : ''}--${o.name} ${spec}`;
  const t = portRangeTest(spec);
  if (!t) return unknownCheck(label, why('trace.why.portName', { spec }, `port "${spec}" is a name the evaluator cannot resolve`));
  return {
    label,
    run: (e) => {
      if (proto && canonicalProto(e.proto) !== proto) return FAIL;
      if (which === 'ports') {
        if (e.sport === null && e.dport === null) return UNKNOWN;
        return res(neg(o, (e.sport !== null && t(e.sport)) || (e.dport !== null && t(e.dport))));
      }
      const p = which === 'sport' ? e.sport : e.dport;
      if (p === null) return UNKNOWN;
      return res(neg(o, t(p)));
    },
    why: (e, r) => {
      if (proto && canonicalProto(e.proto) !== proto) return why('trace.why.protoIsNot', { proto: e.proto, want: proto }, `protocol ${e.proto} is not ${proto}`);
      const s = which === 'sport';
      if (r === UNKNOWN) return why(s ? 'trace.why.sportUnknown' : 'trace.why.dportUnknown', {}, `the packet's ${s ? 'source' : 'destination'} port is not given`);
      return why(`trace.why.${s ? 'sport' : 'dport'}${o.negated ? 'Is' : 'IsNot'}`, { port: String(s ? e.sport : e.dport), spec },
        `${s ? 'source port ' + e.sport : 'destination port ' + e.dport} ${o.negated ? 'is' : 'is not'} ${spec}`);
    },
  };
}

function statesOf(e: MatchEnv, withVirtual: boolean): Set<string> {
  const s = new Set<string>([e.ctState]);
  if (withVirtual && e.ctDnat) s.add('DNAT');
  if (withVirtual && e.ctSnat) s.add('SNAT');
  return s;
}

function stateCheck(o: Opt, virtual: boolean): Check {
  const want = (o.values[0] ?? '').toUpperCase().split(',');
  return {
    label: `${o.negated ? '! ' : ''}--${o.name} ${o.values[0]}`,
    run: (e) => {
      const have = statesOf(e, virtual);
      return res(neg(o, want.some((w) => have.has(w))));
    },
    why: (e) => {
      const have = [...statesOf(e, virtual)].join(',');
      return why(o.negated ? 'trace.why.stateIs' : 'trace.why.stateIsNot', { state: have, want: String(o.values[0]) }, `connection state ${have} ${o.negated ? 'is' : 'is not'} ${o.values[0]}`);
    },
  };
}

function markCheck(o: Opt, conn: boolean): Check {
  const [a, m] = (o.values[0] ?? '').split('/');
  const v = parseMarkValue(a);
  const mask = m === undefined ? 0xffffffff : parseMarkValue(m);
  const label = `${o.negated ? '! ' : ''}--mark ${o.values[0]}`;
  if (v === null || mask === null) return unknownCheck(label, why('trace.why.markValue', {}, 'mark value not understood'));
  return {
    label,
    run: (e) => res(neg(o, (((conn ? e.ctMark : e.mark) & mask) >>> 0) === v)),
    why: (e) => {
      const have = `0x${((conn ? e.ctMark : e.mark) >>> 0).toString(16)}`;
      return why(`trace.why.${conn ? 'connmark' : 'mark'}${o.negated ? 'Matches' : 'NoMatch'}`, { mark: have, want: String(o.values[0]) },
        `${conn ? 'connection ' : ''}mark ${have} ${o.negated ? 'matches' : 'does not match'} ${o.values[0]}`);
    },
  };
}

const KNOWN_ADDRTYPES = new Set(['LOCAL', 'UNICAST', 'BROADCAST', 'MULTICAST']);
function addrtypeCheck(o: Opt): Check | null {
  if (o.name === 'limit-iface-in' || o.name === 'limit-iface-out') return unknownCheck(`--${o.name}`, why('trace.why.addrtypeLimit', {}, 'addrtype interface limits are not modelled'));
  const which = o.name === 'src-type' ? 'src' : 'dst';
  const types = (o.values[0] ?? '').toUpperCase().split(',');
  const label = `${o.negated ? '! ' : ''}--${o.name} ${o.values[0]}`;
  if (!types.every((t) => KNOWN_ADDRTYPES.has(t))) return unknownCheck(label, why('trace.why.addrtypeRoutes', { types: String(o.values[0]) }, `address type ${o.values[0]} depends on routes the evaluator does not model`));
  const typeOf = (e: MatchEnv, a: Addr): string => (isLocalAddr(e, a) ? 'LOCAL' : isMulticast(a) ? 'MULTICAST' : e.broadcast.has(a.text) ? 'BROADCAST' : 'UNICAST');
  return {
    label,
    run: (e) => {
      const a = which === 'src' ? e.srcA : e.dstA;
      if (!a) return UNKNOWN;
      return res(neg(o, types.includes(typeOf(e, a))));
    },
    why: (e) => {
      const a = which === 'src' ? e.srcA : e.dstA;
      const type = a ? typeOf(e, a) : '?';
      return why(`trace.why.${which}Type${o.negated ? 'Is' : 'IsNot'}`, { addr: which === 'src' ? e.src : e.dst, type, want: String(o.values[0]) },
        `${which === 'src' ? 'source' : 'destination'} ${which === 'src' ? e.src : e.dst} is ${type}${o.negated ? '' : ', not ' + o.values[0]}`);
    },
  };
}

function statisticChecks(rule: Rule, m: MatchBlock): Check[] {
  const mode = m.opts.find((x) => x.name === 'mode')?.values[0];
  if (mode === 'random') {
    const po = m.opts.find((x) => x.name === 'probability');
    const p = Number(po?.values[0]);
    if (!po || !Number.isFinite(p)) return [unknownCheck('-m statistic', why('trace.why.statisticNoProbability', {}, 'statistic without a probability'))];
    const q = kernelProbability(p);
    const eff = po.negated ? 1 - q : q;
    return [{
      label: `-m statistic --mode random --probability ${po.values[0]}`,
      run: (e) => res(e.decide(rule, 'random', eff)),
      why: () => why('trace.why.random', { percent: (eff * 100).toFixed(4) }, `the random draw fell outside the ${(eff * 100).toFixed(4)}% branch`),
    }];
  }
  if (mode === 'nth') {
    const every = Number(m.opts.find((x) => x.name === 'every')?.values[0]);
    if (!Number.isFinite(every) || every < 1) return [unknownCheck('-m statistic --mode nth', why('trace.why.nthNoEvery', {}, 'nth without --every'))];
    return [{
      label: `-m statistic --mode nth --every ${every}`,
      // a per-rule packet counter: over many connections 1 in `every`
      run: (e) => res(e.decide(rule, 'nth', 1 / every)),
      why: () => why('trace.why.nth', { every }, `the rule's packet counter was not at its turn (1 in ${every})`),
    }];
  }
  return [unknownCheck('-m statistic', mode === undefined
    ? why('trace.why.statisticNoMode', {}, 'statistic mode (none) not understood')
    : why('trace.why.statisticMode', { mode }, `statistic mode ${mode} not understood`))];
}

function recentCheck(m: MatchBlock): Check {
  const has = (n: string) => m.opts.some((x) => x.name === n);
  const val = (n: string) => m.opts.find((x) => x.name === n)?.values[0];
  const name = val('name') ?? 'DEFAULT';
  const seconds = val('seconds') !== undefined ? Number(val('seconds')) : null;
  const hitcount = val('hitcount') !== undefined ? Number(val('hitcount')) : null;
  const rdest = has('rdest');
  const maskText = val('mask');
  const negated = m.opts.some((x) => x.negated && ['set', 'rcheck', 'update', 'remove'].includes(x.name));
  const op = has('set') ? 'set' : has('rcheck') ? 'rcheck' : has('update') ? 'update' : has('remove') ? 'remove' : null;
  const label = `-m recent --${op} --name ${name}`;
  if (!op) return unknownCheck(label, why('trace.why.recentNoAction', {}, 'recent match without an action'));
  if (maskText && maskText !== '255.255.255.255' && maskText !== 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff') return unknownCheck(label, why('trace.why.recentMask', { mask: maskText }, `recent --mask ${maskText} is not modelled`));
  return {
    label,
    run: (e) => {
      const key = rdest ? e.dst : e.src;
      let list = e.recent.get(name);
      if (op === 'set') {
        if (!list) e.recent.set(name, (list = new Map()));
        const prev = list.get(key);
        list.set(key, { last: e.now, hits: (prev?.hits ?? 0) + 1 });
        return res(!negated);
      }
      const entry = list?.get(key);
      let hit = !!entry && (seconds === null || e.now - entry.last <= seconds) && (hitcount === null || entry.hits >= hitcount);
      if (op === 'update' && hit) list!.set(key, { last: e.now, hits: entry!.hits + 1 });
      if (op === 'remove' && entry) {
        list!.delete(key);
        hit = true;
      }
      return res(negated ? !hit : hit);
    },
    why: (e) =>
      seconds !== null
        ? why('trace.why.recentSeconds', { addr: rdest ? e.dst : e.src, list: name, seconds }, `${rdest ? e.dst : e.src} is not in the recent list ${name} (last ${seconds}s)`)
        : why('trace.why.recent', { addr: rdest ? e.dst : e.src, list: name }, `${rdest ? e.dst : e.src} is not in the recent list ${name}`),
  };
}

function setCheck(o: Opt): Check {
  const name = o.values[0] ?? '';
  const dirs = (o.values[1] ?? 'src').split(',');
  const label = `${o.negated ? '! ' : ''}--match-set ${name} ${o.values[1] ?? ''}`;
  return {
    label,
    run: (e) => {
      const set = e.ipsets?.get(name);
      if (!set) return UNKNOWN;
      const m = ipsetMember(set, e, dirs);
      if (m === null) return UNKNOWN;
      return res(neg(o, m));
    },
    why: (e, r) =>
      r === UNKNOWN
        ? e.ipsets?.get(name)
          ? why('trace.why.ipsetType', { set: name }, `ipset ${name} has a type the evaluator cannot check`)
          : why('trace.why.ipsetUnknown', { set: name }, `ipset ${name} is not known (paste "ipset list" too)`)
        : why(o.negated ? 'trace.why.ipsetIn' : 'trace.why.ipsetNotIn', { set: name }, `the packet ${o.negated ? 'is' : 'is not'} in ipset ${name}`),
  };
}

function physdevCheck(o: Opt): Check {
  const label = `${o.negated ? '! ' : ''}--${o.name}${o.values.length ? ' ' + o.values[0] : ''}`;
  return {
    label,
    run: (e) => {
      switch (o.name) {
        case 'physdev-is-bridged':
          return res(neg(o, e.bridged));
        case 'physdev-is-in':
          return res(neg(o, e.bridged && e.physIn !== null));
        case 'physdev-is-out':
          return res(neg(o, e.bridged && e.physOut !== null));
        case 'physdev-in':
        case 'physdev-out': {
          if (!e.bridged) return res(neg(o, false));
          const n = o.name === 'physdev-in' ? e.physIn : e.physOut;
          if (n === null) return UNKNOWN;
          const pat = o.values[0] ?? '';
          return res(neg(o, pat.endsWith('+') ? n.startsWith(pat.slice(0, -1)) : n === pat));
        }
        default:
          return UNKNOWN;
      }
    },
    why: (e) => (e.bridged ? why('trace.why.physdevPort', { match: label }, `bridge port does not match ${label}`) : why('trace.why.physdevNotBridged', { match: label }, `the packet is not bridged (${label})`)),
  };
}

function tcpFlagsCheck(o: Opt): Check {
  const label = `--${o.name} ${o.values.join(' ')}`;
  if (o.name === 'syn') return { label, run: (e) => res(neg(o, e.syn)), why: (e) => (e.syn ? why('trace.why.syn', {}, 'the packet is a SYN') : why('trace.why.notSyn', {}, 'the packet is not a SYN')) };
  const [maskS, compS] = o.values;
  if (!maskS || !compS) return unknownCheck(label, why('trace.why.tcpFlagsBad', {}, 'tcp-flags not understood'));
  const flags = (s: string) => new Set(s.split(',').flatMap((f) => (f === 'ALL' ? ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'] : f === 'NONE' ? [] : [f])));
  const mask = flags(maskS);
  const comp = flags(compS);
  return {
    label,
    run: (e) => {
      const have = e.syn ? new Set(['SYN']) : new Set(['ACK']);
      let ok = true;
      for (const f of mask) if (have.has(f) !== comp.has(f)) ok = false;
      return res(neg(o, ok));
    },
    why: () => why('trace.why.tcpFlags', { flags: o.values.join(' ') }, `TCP flags do not match ${o.values.join(' ')}`),
  };
}

function moduleChecks(rule: Rule, m: MatchBlock): Check[] {
  const out: Check[] = [];
  const mod = m.module!;
  switch (mod) {
    case 'comment':
    case 'nfacct':
      return [];
    case 'tcp':
    case 'udp':
    case 'sctp':
    case 'udplite':
    case 'dccp':
      for (const o of m.opts) {
        if (o.name === 'dport' || o.name === 'destination-port') out.push(portCheck(o, 'dport', mod));
        else if (o.name === 'sport' || o.name === 'source-port') out.push(portCheck(o, 'sport', mod));
        else if (o.name === 'syn' || o.name === 'tcp-flags') out.push(tcpFlagsCheck(o));
        else out.push(unknownCheck(`--${o.name}`, why('trace.why.moduleOption', { module: mod, option: o.name }, `${mod} option --${o.name} is not modelled`)));
      }
      if (!m.opts.length) out.push({ label: `-m ${mod}`, run: (e) => res(canonicalProto(e.proto) === mod), why: (e) => why('trace.why.protoIsNot', { proto: e.proto, want: mod }, `protocol ${e.proto} is not ${mod}`) });
      return out;
    case 'multiport':
      for (const o of m.opts) {
        const w = o.name.startsWith('s') ? 'sport' : o.name.startsWith('d') ? 'dport' : 'ports';
        out.push(portCheck(o, w, null));
      }
      return out;
    case 'conntrack':
      for (const o of m.opts) out.push(o.name === 'ctstate' ? stateCheck(o, true) : unknownCheck(`--${o.name}`, why('trace.why.conntrackOption', { option: o.name }, `conntrack --${o.name} is not modelled`)));
      return out;
    case 'state':
      return m.opts.map((o) => (o.name === 'state' ? stateCheck(o, false) : unknownCheck(`--${o.name}`, why('trace.why.notModelled', {}, 'not modelled'))));
    case 'mark':
      return m.opts.map((o) => markCheck(o, false));
    case 'connmark':
      return m.opts.map((o) => markCheck(o, true));
    case 'addrtype':
      return m.opts.map((o) => addrtypeCheck(o)!).filter(Boolean);
    case 'statistic':
      return statisticChecks(rule, m);
    case 'recent':
      return [recentCheck(m)];
    case 'set':
      return m.opts.map((o) => (o.name === 'match-set' ? setCheck(o) : unknownCheck(`--${o.name}`, why('trace.why.ipsetOption', {}, 'ipset option not modelled'))));
    case 'physdev':
      return m.opts.map(physdevCheck);
    default:
      return [unknownCheck(`-m ${mod}`, why('trace.why.unknownModule', { module: mod }, `the match "-m ${mod}" is not known to the evaluator`))];
  }
}

export function compileRule(rule: Rule): CompiledRule {
  const checks: Check[] = [];
  let dstHost: string | null = null;
  let proto: string | null = null;
  for (const m of rule.matches) {
    if (m.module !== null) continue;
    for (const o of m.opts) {
      if (o.name === 's') checks.push(addrCheck(o, 's'));
      else if (o.name === 'd') {
        checks.push(addrCheck(o, 'd'));
        const c = o.values.length === 1 && !o.values[0].includes(',') ? parseCidr(o.values[0]) : null;
        if (!o.negated && c && c.len === (c.v6 ? 128 : 32)) dstHost = parseAddr(o.values[0].split('/')[0])!.text;
      } else if (o.name === 'i' || o.name === 'o') checks.push(ifaceCheck(o, o.name));
      else if (o.name === 'p') {
        checks.push(protoCheck(o));
        if (!o.negated) proto = canonicalProto(o.values[0] ?? '');
      } else if (o.name === 'f') checks.push({ label: `${o.negated ? '! ' : ''}-f`, run: () => res(neg(o, false)), why: () => why('trace.why.fragment', {}, 'the packet is not a fragment') });
    }
  }
  void proto;
  for (const m of rule.matches) if (m.module !== null) checks.push(...moduleChecks(rule, m));
  if (rule.unknown.length) checks.push(unknownCheck(rule.unknown.join(' '), why('trace.why.unknownWords', { words: rule.unknown.join(' ') }, `words not understood: ${rule.unknown.join(' ')}`)));
  const target = rule.target && rule.target.name ? canonicalTarget(rule.target, 'ipv4') : null;
  const to = target?.opts.find((o) => o.name === 'to-destination' || o.name === 'to-source')?.values[0];
  const xm = target?.name === 'MARK' ? target.opts.find((o) => o.name === 'set-xmark')?.values[0] : undefined;
  const xmParts = xm?.split('/').map((x) => parseMarkValue(x));
  const markXm: [number, number] | null = xmParts && xmParts.length === 2 && xmParts[0] !== null && xmParts[1] !== null ? [xmParts[0], xmParts[1]] : null;
  return { rule, checks, dstHost, target, natTo: to ? splitHostPort(to) : null, markXm };
}
