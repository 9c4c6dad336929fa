// The kernel's IPVS schedulers (net/netfilter/ipvs/ip_vs_{rr,wrr,lc,wlc,sed,nq,sh,dh,mh}.c) as pure
// functions over an explicit destination list in kernel list order (newest-added first) and an
// explicit state, so the UI can step a sequence and show why each connection went where it did.
import { ipWords } from './addr.ts';
import { buildMhTable, gcd, mhLookup, type MhTable } from './maglev.ts';

import type { SchedulerName } from './scheduler-names.ts';

export { SCHEDULERS, isScheduler, type SchedulerName } from './scheduler-names.ts';

export interface SchedDest {
  address: string;
  port: number;
  weight: number;
  lastWeight?: number;
  activeConns?: number;
  inactConns?: number;
  /** IP_VS_DEST_F_OVERLOAD: an upper connection threshold was reached */
  overloaded?: boolean;
}

export interface SchedClient {
  address: string;
  port: number;
}

/** IP_VS_SVC_F_SCHED1..3: sh-fallback/mh-fallback = 0x08, sh-port/mh-port = 0x10 */
export const SCHED_FLAG_FALLBACK = 0x08;
export const SCHED_FLAG_PORT = 0x10;

const unavailable = (d: SchedDest) => d.weight <= 0 || d.overloaded === true;

// ---------------------------------------------------------------- rr
/** ip_vs_rr: the last chosen destination; -1 is the list head (nothing chosen yet). */
export interface RrState {
  last: number;
}

export function rrInit(): RrState {
  return { last: -1 };
}

/** Next available destination after the last one, wrapping; rr ignores weight magnitudes (any weight > 0). */
export function rrSchedule(dests: SchedDest[], s: RrState): { dest: number | null; state: RrState } {
  const n = dests.length;
  for (let k = 1; k <= n + 1; k++) {
    // the kernel walks the circular list including the head, so from the head it starts at index 0
    const i = (s.last + k) % (n + 1);
    if (i === n) continue;
    if (!unavailable(dests[i]!)) return { dest: i, state: { last: i } };
  }
  return { dest: null, state: s };
}

// ---------------------------------------------------------------- wrr
/** ip_vs_wrr_mark: current destination (-1 = head), current weight, max weight, decreasing interval. */
export interface WrrState {
  cl: number;
  cw: number;
  mw: number;
  di: number;
}


function wrrGcd(dests: SchedDest[]): number {
  let g = 0;
  for (const d of dests) if (d.weight > 0) g = g > 0 ? gcd(d.weight, g) : d.weight;
  return g || 1;
}

export function wrrInit(dests: SchedDest[]): WrrState {
  const di = wrrGcd(dests);
  const mw = Math.max(0, ...dests.map((d) => d.weight)) - (di - 1);
  return { cl: -1, cw: mw, mw, di };
}

/** ip_vs_wrr_dest_changed: the list or a weight changed. */
export function wrrUpdate(dests: SchedDest[], s: WrrState): WrrState {
  const di = wrrGcd(dests);
  const mw = Math.max(0, ...dests.map((d) => d.weight)) - (di - 1);
  let cw = s.cw;
  if (cw > mw || !cw) cw = mw;
  else if (di > 1) cw = Math.trunc(cw / di) * di + 1;
  return { cl: -1, cw, mw, di };
}

export function wrrSchedule(dests: SchedDest[], s0: WrrState): { dest: number | null; state: WrrState } {
  const s = { ...s0 };
  let dest = s.cl;
  if (s.mw === 0) return { dest: null, state: { ...s, cl: dest } };
  const last = dest;
  let stop: number | null = null;
  let lastPass = false;
  let restarted = false;
  for (;;) {
    for (let i = dest + 1; i < dests.length; i++) {
      dest = i;
      const d = dests[i]!;
      if (!d.overloaded && d.weight >= s.cw) return { dest: i, state: { ...s, cl: i } };
      if (i === stop) return { dest: null, state: { ...s, cl: i } };
    }
    dest = -1;
    s.cw -= s.di;
    if (s.cw <= 0) {
      s.cw = s.mw;
      if (lastPass || last === -1) return { dest: null, state: { ...s, cl: dest } };
      restarted = true;
    }
    lastPass = s.cw <= s.di;
    if (lastPass && restarted && last !== -1) stop = last;
  }
}

/** The next n choices of wrr from a fresh state (the deterministic sequence the UI shows). */
export function wrrSequence(dests: SchedDest[], n: number): (number | null)[] {
  let s = wrrInit(dests);
  const out: (number | null)[] = [];
  for (let k = 0; k < n; k++) {
    const r = wrrSchedule(dests, s);
    out.push(r.dest);
    s = r.state;
  }
  return out;
}

export function rrSequence(dests: SchedDest[], n: number): (number | null)[] {
  let s = rrInit();
  const out: (number | null)[] = [];
  for (let k = 0; k < n; k++) {
    const r = rrSchedule(dests, s);
    out.push(r.dest);
    s = r.state;
  }
  return out;
}

// ---------------------------------------------------------------- lc, wlc, sed, nq
/**
 * ip_vs_dest_conn_overhead (include/net/ip_vs.h): `(activeconns << 8) + inactconns`, an active
 * connection weighs 256 inactive ones. (ip_vs_lc.c's own comment still says `<< 5`, from 2.4.)
 */
export const ACTIVE_CONN_WEIGHT = 256;

export function connOverhead(d: SchedDest): number {
  return (d.activeConns ?? 0) * ACTIVE_CONN_WEIGHT + (d.inactConns ?? 0);
}

/** ip_vs_lc: least overhead; ties go to the earlier destination in list order; weight 0 is skipped. */
export function lcSchedule(dests: SchedDest[]): number | null {
  let least: number | null = null;
  let loh = 0;
  dests.forEach((d, i) => {
    if (unavailable(d)) return;
    const doh = connOverhead(d);
    if (least === null || doh < loh) {
      least = i;
      loh = doh;
    }
  });
  return least;
}

/**
 * Shared loop of wlc, sed and nq: least overhead/weight, compared by cross-multiplication as the
 * kernel does (`loh * w > doh * least_w`: a later destination must be strictly better, so ties go
 * to the earlier one in list order). wlc multiplies in 64 bits; sed and nq in `unsigned int`, so
 * their products wrap at 2^32 as the kernel's do.
 */
function weightedLeast(dests: SchedDest[], overhead: (d: SchedDest) => number, mul: (a: number, b: number) => number): number | null {
  let least: number | null = null;
  let loh = 0;
  dests.forEach((d, i) => {
    if (unavailable(d)) return;
    const doh = overhead(d);
    if (least === null || mul(loh, d.weight) > mul(doh, dests[least]!.weight)) {
      least = i;
      loh = doh;
    }
  });
  return least;
}

const mul64 = (a: number, b: number) => a * b;
const mulU32 = (a: number, b: number) => Math.imul(a, b) >>> 0;

export function wlcSchedule(dests: SchedDest[]): number | null {
  return weightedLeast(dests, connOverhead, mul64);
}

/** ip_vs_sed: shortest expected delay, (active + 1) / weight; inactive connections do not count. */
export const sedOverhead = (d: SchedDest) => (d.activeConns ?? 0) + 1;

export function sedSchedule(dests: SchedDest[]): number | null {
  return weightedLeast(dests, sedOverhead, mulU32);
}

/** ip_vs_nq: the first idle destination (no active connections) wins outright, else as sed. */
export function nqSchedule(dests: SchedDest[]): number | null {
  const idle = dests.findIndex((d) => !unavailable(d) && (d.activeConns ?? 0) === 0);
  return idle >= 0 ? idle : sedSchedule(dests);
}

// ---------------------------------------------------------------- sh, dh
export const SH_TAB_BITS = 8;
export const DH_TAB_BITS = 8;

/** include/linux/hash.h hash_32: multiply by GOLDEN_RATIO_32 and keep the top bits. */
export function hash32(val: number, bits: number): number {
  return Math.imul(val >>> 0, 0x61c88647) >>> (32 - bits);
}

function fold(address: string): number {
  return ipWords(address).reduce((a, w) => (a ^ w) >>> 0, 0);
}

/** ip_vs_sh_hashkey (mainline: hash_32 of port + folded address, plus the fallback offset). */
export function shHashKey(address: string, port: number, offset = 0, bits = SH_TAB_BITS): number {
  return (offset + hash32((port + fold(address)) >>> 0, bits)) & ((1 << bits) - 1);
}

export function dhHashKey(address: string, bits = DH_TAB_BITS): number {
  return hash32(fold(address), bits);
}

/** ip_vs_sh_reassign: buckets filled in list order, each destination taking `weight` consecutive buckets (at least one). */
export function shBuildTable(dests: SchedDest[], bits = SH_TAB_BITS): Int32Array {
  const size = 1 << bits;
  const t = new Int32Array(size).fill(-1);
  if (!dests.length) return t;
  let p = 0;
  let count = 0;
  for (let i = 0; i < size; i++) {
    t[i] = p;
    if (++count >= dests[p]!.weight) {
      p = (p + 1) % dests.length;
      count = 0;
    }
  }
  return t;
}

/** ip_vs_dh_reassign: buckets dealt round-robin, one per destination, weights ignored. */
export function dhBuildTable(dests: SchedDest[], bits = DH_TAB_BITS): Int32Array {
  const size = 1 << bits;
  const t = new Int32Array(size).fill(-1);
  if (dests.length) for (let i = 0; i < size; i++) t[i] = i % dests.length;
  return t;
}

export function shSchedule(dests: SchedDest[], table: Int32Array, client: SchedClient, flags: number): number | null {
  const bits = Math.log2(table.length);
  const port = flags & SCHED_FLAG_PORT ? client.port : 0;
  const ihash = shHashKey(client.address, port, 0, bits);
  const first = table[ihash]!;
  if (first < 0) return null;
  if (!unavailable(dests[first]!)) return first;
  if (!(flags & SCHED_FLAG_FALLBACK)) return null;
  for (let off = 0; off < table.length; off++) {
    const roff = (off + ihash) % table.length;
    const d = table[shHashKey(client.address, port, roff, bits)]!;
    if (d < 0) return null;
    if (!unavailable(dests[d]!)) return d;
  }
  return null;
}

/** dh hashes the packet's destination address (for cache clusters); in kube-proxy that is the VIP. */
export function dhSchedule(dests: SchedDest[], table: Int32Array, dstAddress: string): number | null {
  const d = table[dhHashKey(dstAddress, Math.log2(table.length))]!;
  return d < 0 || unavailable(dests[d]!) ? null : d;
}

// ---------------------------------------------------------------- one entry point
export interface SchedState {
  rr?: RrState;
  wrr?: WrrState;
  sh?: Int32Array;
  dh?: Int32Array;
  mh?: MhTable;
}

export interface SchedPacket {
  src: SchedClient;
  /** the virtual server address the packet was sent to (dh hashes it) */
  dst: string;
}

/**
 * One scheduling decision for a new connection. Tables (sh/dh/mh) are built on first use and kept
 * in the returned state; rr/wrr advance their pointers.
 */
export function schedule(
  name: SchedulerName,
  dests: SchedDest[],
  flags: number,
  packet: SchedPacket,
  state: SchedState = {},
): { dest: number | null; state: SchedState } {
  switch (name) {
    case 'rr': {
      const r = rrSchedule(dests, state.rr ?? rrInit());
      return { dest: r.dest, state: { ...state, rr: r.state } };
    }
    case 'wrr': {
      const r = wrrSchedule(dests, state.wrr ?? wrrInit(dests));
      return { dest: r.dest, state: { ...state, wrr: r.state } };
    }
    case 'lc':
      return { dest: lcSchedule(dests), state };
    case 'wlc':
      return { dest: wlcSchedule(dests), state };
    case 'sed':
      return { dest: sedSchedule(dests), state };
    case 'nq':
      return { dest: nqSchedule(dests), state };
    case 'sh': {
      const t = state.sh ?? shBuildTable(dests);
      return { dest: shSchedule(dests, t, packet.src, flags), state: { ...state, sh: t } };
    }
    case 'dh': {
      const t = state.dh ?? dhBuildTable(dests);
      return { dest: dhSchedule(dests, t, packet.dst), state: { ...state, dh: t } };
    }
    case 'mh': {
      const t = state.mh ?? buildMhTable(dests);
      return { dest: mhLookup(t, packet.src, flags).dest, state: { ...state, mh: t } };
    }
  }
}

export interface ShareResult {
  /** per destination (same index), the share of new connections over time; null when not predictable */
  shares: (number | null)[];
  /** i18n key explaining how the shares arise */
  basis: 'rr-equal' | 'wrr-weight' | 'connection-state' | 'hash-buckets';
}

/**
 * Long-run share of new connections per destination, from many clients. rr counts every
 * destination with weight > 0 equally; wrr by weight; hash schedulers by bucket ownership; the
 * least-connection family depends on how long connections live, so it has no fixed share.
 */
export function longRunShares(name: SchedulerName, dests: SchedDest[]): ShareResult {
  const avail = dests.map((d) => !unavailable(d));
  switch (name) {
    case 'rr': {
      const n = avail.filter(Boolean).length;
      return { shares: avail.map((a) => (a && n ? 1 / n : 0)), basis: 'rr-equal' };
    }
    case 'wrr': {
      const sum = dests.reduce((a, d, i) => a + (avail[i] ? d.weight : 0), 0);
      return { shares: dests.map((d, i) => (avail[i] && sum ? d.weight / sum : 0)), basis: 'wrr-weight' };
    }
    case 'sh':
    case 'dh':
    case 'mh': {
      const table = name === 'mh' ? buildMhTable(dests).table : name === 'sh' ? shBuildTable(dests) : dhBuildTable(dests);
      const counts = dests.map(() => 0);
      // buckets owned by an unavailable destination yield "no destination" (without fallback)
      for (const i of table) if (i >= 0 && avail[i]) counts[i]!++;
      return { shares: counts.map((c) => c / table.length), basis: 'hash-buckets' };
    }
    default:
      return { shares: dests.map((_, i) => (avail[i] ? null : 0)), basis: 'connection-state' };
  }
}
