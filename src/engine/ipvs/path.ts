// The IPVS step of a packet's path: at LOCAL_IN, a packet to a local address:port that matches a
// virtual server is given a real server by the service's scheduler and rewritten to it (Masq).
// Exposes every possible choice with its probability, and an IpvsHook-shaped function for the
// netfilter evaluator (src/engine/netfilter: TraceInput.ipvs).
import type { IpvsDataplane, RealServer, VirtualServer } from './types.ts';
import { IP_VS_SVC_F_PERSISTENT, virtualServerKey } from './types.ts';
import { canonicalIp } from './addr.ts';
import { isScheduler, longRunShares, rrInit, rrSchedule, schedule, wrrInit, wrrSchedule, type RrState, type SchedDest, type SchedulerName, type WrrState } from './schedulers.ts';
import { isConnScheduler, type ConnSchedulerName } from './connections.ts';

/** Each least-connection scheduler's kernel rule, for the reason text. */
const LEAST_RULE: Record<ConnSchedulerName, string> = {
  lc: 'lc takes the real server with the least active × 256 + inactive connections (ties: the first in the kernel\'s list)',
  wlc: 'wlc takes the least (active × 256 + inactive) / weight (ties: the first in the kernel\'s list)',
  sed: 'sed takes the least (active + 1) / weight, ignoring inactive connections (ties: the first in the kernel\'s list)',
  nq: 'nq takes the first idle real server (no active connection) in the kernel\'s list, else the least (active + 1) / weight',
};

export interface IpvsPacket {
  src: string;
  sport: number | null;
  dst: string;
  dport: number | null;
  /** tcp | udp | sctp (any case) */
  proto: string;
}

export interface IpvsOutcome {
  realServer: RealServer;
  probability: number;
}

export type IpvsPathKey =
  | 'ipvs.no-virtual-server'
  | 'ipvs.no-real-server'
  | 'ipvs.no-destination'
  | 'ipvs.choice.rr'
  | 'ipvs.choice.wrr'
  | 'ipvs.choice.least-connection'
  | 'ipvs.choice.hash'
  | 'ipvs.choice.unknown-scheduler';

export interface IpvsPathResult {
  virtualServer: VirtualServer | null;
  scheduler: string | null;
  /** what this packet's new connection gets now (given the simulated state); null: none */
  choice: RealServer | null;
  /** every possible real server for a new connection from this packet, with probabilities summing to 1 (or empty) */
  outcomes: IpvsOutcome[];
  /** why there is no fixed share for lc-like schedulers, when that applies */
  unpredictable: boolean;
  persistent: boolean;
  /** i18n key and English text */
  key: IpvsPathKey;
  reason: string;
  params: Record<string, string | number>;
}

/**
 * The kernel's destination list for a virtual server. __ip_vs_update_dest adds a new destination
 * with list_add_rcu(&dest->n_list, &svc->destinations), i.e. at the head, so the list runs newest
 * first. kube-proxy's syncEndpoint adds the missing real servers by ranging over a Go set
 * (newEndpoints.UnsortedList(), map order: random per sync); svcpath assumes ascending `ip:port`
 * adds, which makes the kernel list the sorted list reversed. Every scheduler walks this list: rr
 * and wrr start after the head (so the first pick is the newest), lc/wlc/sed/nq break ties by it,
 * sh/dh/mh fill their tables along it. `ipvsadm -Ln` sorts unless given --nosort, so it never shows it.
 */
export function kernelOrder(vs: VirtualServer): RealServer[] {
  return [...vs.realServers].reverse();
}

// the kernel finds a virtual server through a hash table (ip_vs_svc_table); so does this, one index per list
const vsIndex = new WeakMap<readonly VirtualServer[], { n: number; map: Map<string, VirtualServer> }>();

export function findVirtualServer(dp: Pick<IpvsDataplane, 'virtualServers'>, p: IpvsPacket): VirtualServer | null {
  const dst = canonicalIp(p.dst) ?? p.dst;
  const proto = p.proto.toUpperCase();
  const list = dp.virtualServers;
  let idx = vsIndex.get(list);
  if (!idx || idx.n !== list.length) {
    const map = new Map<string, VirtualServer>();
    for (const v of list) {
      const k = `${v.protocol} ${v.address} ${v.port}`;
      if (!map.has(k)) map.set(k, v);
    }
    idx = { n: list.length, map };
    vsIndex.set(list, idx);
  }
  return idx.map.get(`${proto} ${dst} ${p.dport}`) ?? null;
}

const toSched = (r: RealServer): SchedDest => ({
  address: r.address,
  port: r.port,
  weight: r.weight,
  activeConns: r.activeConns ?? 0,
  inactConns: r.inactConns ?? 0,
});

/** The IPVS decision for a new connection carried by this packet. */
export function ipvsPath(dp: Pick<IpvsDataplane, 'virtualServers'>, p: IpvsPacket): IpvsPathResult {
  const vs = findVirtualServer(dp, p);
  const target = `${p.proto.toUpperCase()} ${p.dst.includes(':') ? `[${p.dst}]` : p.dst}:${p.dport ?? '?'}`;
  if (!vs) {
    return {
      virtualServer: null, scheduler: null, choice: null, outcomes: [], unpredictable: false, persistent: false,
      key: 'ipvs.no-virtual-server',
      reason: `No IPVS virtual server for ${target}: the packet is delivered to the node itself (KUBE-IPVS-FILTER rejects new connections to a kube-ipvs0 address on a port no Service uses).`,
      params: { target },
    };
  }
  const persistent = (vs.flags & IP_VS_SVC_F_PERSISTENT) !== 0;
  const base = { virtualServer: vs, scheduler: vs.scheduler, persistent };
  const vsName = virtualServerKey(vs);
  if (vs.realServers.length === 0) {
    return {
      ...base, choice: null, outcomes: [], unpredictable: false,
      key: 'ipvs.no-real-server',
      reason: `Virtual server ${vsName} has no real servers: IPVS finds no destination and answers ICMP port unreachable.`,
      params: { vs: vsName },
    };
  }
  const name = vs.scheduler;
  if (!isScheduler(name)) {
    const n = vs.realServers.filter((r) => r.weight > 0);
    return {
      ...base, choice: null, unpredictable: true,
      outcomes: n.map((r) => ({ realServer: r, probability: 1 / n.length })),
      key: 'ipvs.choice.unknown-scheduler',
      reason: `Scheduler ${name} is not modelled; shares shown as equal.`,
      params: { vs: vsName, scheduler: name },
    };
  }
  const hashed = name === 'sh' || name === 'dh' || name === 'mh';
  const counted = isConnScheduler(name);
  const list = kernelOrder(vs);
  const dests = list.map(toSched);
  const r = schedule(name as SchedulerName, dests, vs.flags, { src: { address: canonicalIp(p.src) ?? p.src, port: p.sport ?? 0 }, dst: vs.address });
  const choice = r.dest === null ? null : list[r.dest]!;

  let outcomes: IpvsOutcome[];
  let key: IpvsPathKey;
  let unpredictable = false;
  if (hashed || counted) {
    // the choice is a function of the packet (hash) or of the current connection counts: given
    // those, the next new connection has exactly one fate
    outcomes = choice ? [{ realServer: choice, probability: 1 }] : [];
    key = hashed ? 'ipvs.choice.hash' : 'ipvs.choice.least-connection';
    unpredictable = !hashed;
  } else {
    // shares listed in ipvsadm's (sorted) order, whatever order the scheduler walks
    const shares = longRunShares(name as SchedulerName, dests).shares;
    const shareOf = new Map(list.map((rs, i) => [rs, shares[i] ?? 0]));
    outcomes = vs.realServers.flatMap((rs) => ((shareOf.get(rs) ?? 0) > 0 ? [{ realServer: rs, probability: shareOf.get(rs)! }] : []));
    key = name === 'wrr' ? 'ipvs.choice.wrr' : 'ipvs.choice.rr';
  }
  if (!choice && outcomes.length === 0) {
    return {
      ...base, choice: null, outcomes: [], unpredictable: false,
      key: 'ipvs.no-destination',
      reason: `Scheduler ${name} of ${vsName} finds no available destination (every real server has weight 0 or is overloaded, or the hash lands on one that does): ICMP port unreachable.`,
      params: { vs: vsName, scheduler: name },
    };
  }
  const chosen = choice ? `${choice.address}:${choice.port}` : '-';
  const why: Record<string, string> = {
    'ipvs.choice.rr': 'round robin takes the next real server with weight > 0; over many connections each gets an equal share',
    'ipvs.choice.wrr': 'weighted round robin steps through real servers by weight; shares follow the weights',
    'ipvs.choice.least-connection': `${LEAST_RULE[name as ConnSchedulerName] ?? 'the fewest (weighted) connections'}, under the connection counts given (ActiveConn / InActConn; 0 when generated). Given those counts the next new connection has one fate, so the exact outcomes list only this real server, with probability 1; over a burst of new connections that stay open the counts grow and the picks move on`,
    'ipvs.choice.hash': 'a hash of the client picks the slot of a lookup table, so one client keeps its real server',
  };
  return {
    ...base, choice, outcomes, unpredictable, key,
    reason: `IPVS virtual server ${vsName} (${name}${persistent ? `, persistent ${vs.timeout}s` : ''}) chose ${chosen}: ${why[key]}.`,
    params: { vs: vsName, scheduler: name, chosen },
  };
}

type HookResult =
  | { address: string; port: number; label?: string }
  | { verdict: 'REJECT' | 'DROP'; reason: string; label?: string; params?: Record<string, string | number> }
  | null;

type HookPacket = { src: string; dst: string; sport: number | null; dport: number | null; proto: string };
type HookFn = (p: HookPacket, decide: (probability: number, label: string) => boolean) => HookResult;

/**
 * An IPVS hook; `burst`, when present, makes a fresh hook for a burst of new connections (the
 * sampler's N connections) whose choices depend on the connections before them: it keeps its own
 * connection counters, so lc/wlc/sed/nq see each earlier connection of the burst still open.
 */
export type IpvsHookFn = HookFn & { burst?: () => HookFn };

/**
 * The netfilter evaluator's IPVS extension point (TraceInput.ipvs). Schedulers with shares (rr,
 * wrr) branch through `decide` as a cascade, so the evaluator can enumerate every outcome with
 * its probability; the others return their deterministic choice.
 */
export function makeIpvsHook(dp: Pick<IpvsDataplane, 'virtualServers'>): IpvsHookFn {
  const hook: IpvsHookFn = baseHook(dp);
  // only then: without such a virtual server the sampler's decision tree is exact and much faster
  if (dp.virtualServers.some((v) => stateful(v.scheduler) && v.realServers.length > 0)) hook.burst = () => burstHook(dp, hook);
  return hook;
}

/** schedulers whose next pick depends on the picks before it: the rotations and the connection counters */
function stateful(name: string): boolean {
  return name === 'rr' || name === 'wrr' || isConnScheduler(name);
}

/**
 * rr and wrr over a burst: the kernel keeps its place in the destination list between
 * connections (ip_vs_rr's sched_data, ip_vs_wrr_mark), so a burst of N is the deterministic
 * rotation, not N independent draws.
 */
function rotate(vs: VirtualServer, state: { rr?: RrState; wrr?: WrrState }): RealServer | null {
  const list = kernelOrder(vs);
  const dests = list.map(toSched);
  if (vs.scheduler === 'rr') {
    const r = rrSchedule(dests, state.rr ?? rrInit());
    state.rr = r.state;
    return r.dest === null ? null : list[r.dest]!;
  }
  const r = wrrSchedule(dests, state.wrr ?? wrrInit(dests));
  state.wrr = r.state;
  return r.dest === null ? null : list[r.dest]!;
}

/**
 * The connections of a burst arrive one after another and stay open: a least-connection virtual
 * server counts each one on the real server it got (activeconns, as ip_vs_bind_dest does), so the
 * next is scheduled on the grown counters. A persistent virtual server (ClientIP affinity) keeps
 * one client on the real server its first connection got, as the kernel's persistence template does.
 */
function burstHook(dp: Pick<IpvsDataplane, 'virtualServers'>, base: HookFn): HookFn {
  const tables = new Map<VirtualServer, { dp: { virtualServers: VirtualServer[] }; pinned: Map<string, RealServer>; rotation: { rr?: RrState; wrr?: WrrState } }>();
  return (p, decide) => {
    const vs = findVirtualServer(dp, p);
    if (!vs || !stateful(vs.scheduler)) return base(p, decide);
    let t = tables.get(vs);
    if (!t) {
      const copy = { ...vs, realServers: vs.realServers.map((r) => ({ ...r, activeConns: r.activeConns ?? 0, inactConns: r.inactConns ?? 0 })) };
      t = { dp: { virtualServers: [copy] }, pinned: new Map(), rotation: {} };
      tables.set(vs, t);
    }
    const own = t.dp.virtualServers[0]!;
    const client = canonicalIp(p.src) ?? p.src;
    const persistent = (own.flags & IP_VS_SVC_F_PERSISTENT) !== 0;
    const rotating = !isConnScheduler(own.scheduler);
    let c = persistent ? t.pinned.get(client) : undefined;
    if (!c) {
      const r = ipvsPath(t.dp, p);
      if (r.key === 'ipvs.no-real-server' || r.key === 'ipvs.no-destination') return leave(r, p.proto);
      const pick = rotating ? rotate(own, t.rotation) : r.choice;
      if (!pick) return leave({ ...r, key: 'ipvs.no-destination' }, p.proto);
      c = pick;
      if (persistent) t.pinned.set(client, c);
    }
    c.activeConns = (c.activeConns ?? 0) + 1;
    return { address: c.address, port: c.port, label: rotating ? `ipvs.choice.${own.scheduler}` : 'ipvs.choice.least-connection' };
  };
}

function baseHook(dp: Pick<IpvsDataplane, 'virtualServers'>): HookFn {
  return (p, decide) => {
    const r = ipvsPath(dp, p);
    if (r.key === 'ipvs.no-real-server' || r.key === 'ipvs.no-destination') return leave(r, p.proto);
    if (r.outcomes.length === 0) return null;
    if (r.outcomes.length === 1 || r.key === 'ipvs.choice.hash' || r.key === 'ipvs.choice.least-connection') {
      const c = r.choice ?? r.outcomes[0]!.realServer;
      return { address: c.address, port: c.port, label: r.key };
    }
    let left = 1;
    for (let i = 0; i < r.outcomes.length - 1; i++) {
      const o = r.outcomes[i]!;
      const p1 = o.probability / left;
      if (decide(p1, `${r.scheduler} ${o.realServer.address}:${o.realServer.port}`)) return { address: o.realServer.address, port: o.realServer.port, label: r.key };
      left -= o.probability;
    }
    const last = r.outcomes[r.outcomes.length - 1]!.realServer;
    return { address: last.address, port: last.port, label: r.key };
  };
}

/**
 * ip_vs_schedule found no destination (ignored = 0, persistent or not), so the protocol's
 * conn_schedule returns ip_vs_leave(): an ICMP packet is dropped, anything else gets
 * icmp_send(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH) and is dropped, i.e. the sender is told (REJECT).
 * The FTP-port and cache_bypass branches of ip_vs_leave never apply to kube-proxy's services.
 */
function leave(r: IpvsPathResult, proto: string): HookResult {
  const icmp = /^(icmp|icmpv6|ipv6-icmp)$/i.test(proto);
  const vs = String(r.params.vs ?? '');
  return icmp
    ? { verdict: 'DROP', reason: `IPVS virtual server ${vs} has no destination for this ICMP packet: ip_vs_leave drops it silently`, label: r.key, params: r.params }
    : { verdict: 'REJECT', reason: `${r.reason} (ip_vs_leave: the sender gets ICMP port unreachable and the packet is dropped; a TCP client sees "connection refused")`, label: r.key, params: r.params };
}

/**
 * Background for the IPVS step (the seed's paragraph), as i18n keys with their English text; the
 * UI translates them. Each is true of kube-proxy's IPVS mode as generated here.
 */
export const IPVS_NOTES = {
  'ipvs.note.local-in':
    'IPVS has no hook in PREROUTING: it only sees packets at LOCAL_IN, i.e. packets the routing decision has already found to be for this node.',
  'ipvs.note.kube-ipvs0':
    'That is why kube-proxy binds every ClusterIP (and external / load-balancer IP) to the dummy interface kube-ipvs0: the routing decision then finds the address local and hands the packet to INPUT, where IPVS takes it. The interface stays down and the node does not answer ARP for it (strict ARP), so other machines still cannot reach a ClusterIP directly.',
  'ipvs.note.ping':
    'A ClusterIP still does not answer ping: an ICMP echo matches no virtual server, and KUBE-IPVS-FILTER rejects new connections to kube-ipvs0 addresses that are not a Service IP and port.',
  'ipvs.note.masquerade':
    'IPVS rewrites the destination, but cannot masquerade: source NAT still happens in iptables, in nat POSTROUTING (KUBE-POSTROUTING), for packets marked in PREROUTING through ipset matches (KUBE-MARK-MASQ) or in KUBE-LOOP-BACK.',
  'ipvs.note.ipset':
    'The iptables rules do not grow with the number of Services: each rule consults an ipset (a hash lookup), and IPVS finds the virtual server by hash too.',
} as const;

export type IpvsNoteKey = keyof typeof IPVS_NOTES;
