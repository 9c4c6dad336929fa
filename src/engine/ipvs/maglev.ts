// The Linux IPVS `mh` scheduler (net/netfilter/ipvs/ip_vs_mh.c): Maglev consistent hashing with the
// kernel's fixed hsiphash keys, its per-destination offset/skip, weight turns and round-by-round fill,
// so a table drawn here is the table the kernel builds for the same destination list.
import { hsiphashU32, type HsiphashKey } from './hsiphash.ts';
import { hostPort, ipWords } from './addr.ts';

/** CONFIG_IP_VS_MH_TAB_INDEX picks one of these (index - 8); the default 12 gives 4093. */
export const MH_PRIMES = [251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071] as const;
export const MH_DEFAULT_TAB_INDEX = 12;
export const MH_TABLE_SIZE = 4093;

export const MH_KEY1: HsiphashKey = { k0: 2654435761n, k1: 2654435761n };
export const MH_KEY2: HsiphashKey = { k0: 2654446892n, k1: 2654446892n };

/** IP_VS_SVC_F_SCHED1 / SCHED2 as the mh module names them */
export const MH_FLAG_FALLBACK = 0x08;
export const MH_FLAG_PORT = 0x10;

export function mhTableSize(tabIndex: number = MH_DEFAULT_TAB_INDEX): number {
  const p = MH_PRIMES[tabIndex - 8];
  if (p === undefined) throw new RangeError(`CONFIG_IP_VS_MH_TAB_INDEX must be 8..17, got ${tabIndex}`);
  return p;
}

export interface MhDest {
  address: string;
  port: number;
  /** current weight; <= 0 makes the destination unavailable for new connections */
  weight: number;
  /** the kernel's last_weight: latest non-zero weight (defaults to weight) */
  lastWeight?: number;
  /** IP_VS_DEST_F_OVERLOAD (upper threshold reached) */
  overloaded?: boolean;
}

/** ip_vs_mh_hashkey: hsiphash of the u32 offset + port + address (IPv6 folded by XOR of its words). */
export function mhHashKey(address: string, port: number, key: HsiphashKey, offset = 0): number {
  const fold = ipWords(address).reduce((a, w) => (a ^ w) >>> 0, 0);
  return hsiphashU32((offset + port + fold) >>> 0, key);
}

export interface MhDestSetup {
  dest: string;
  hash1: number;
  hash2: number;
  offset: number;
  skip: number;
  turns: number;
}

/** Greatest common divisor (weights are scaled by it, as ip_vs_mh_gcd_weight and ip_vs_wrr_gcd_weight do). */
export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function fls(x: number): number {
  return x <= 0 ? 0 : 32 - Math.clz32(x);
}

function lastWeight(d: MhDest): number {
  return d.lastWeight ?? d.weight;
}

/** gcd of positive last_weights (0 when none) and the shift that keeps turns within 2^TAB_BITS. */
export function mhWeightScale(dests: MhDest[], tabIndex = MH_DEFAULT_TAB_INDEX): { gcd: number; rshift: number } {
  let g = 0;
  for (const d of dests) {
    const w = lastWeight(d);
    if (w > 0) g = g > 0 ? gcd(w, g) : w;
  }
  if (g < 1) return { gcd: g, rshift: 0 };
  const mw = Math.max(0, ...dests.map(lastWeight)) / g;
  const shift = fls(Math.trunc(mw)) - Math.trunc(tabIndex / 2);
  return { gcd: g, rshift: shift >= 0 ? shift : 0 };
}

/** Per destination, in kernel list order: hashes, offset, skip and turns (ip_vs_mh_permutate). */
export function mhDestSetups(dests: MhDest[], size = MH_TABLE_SIZE, tabIndex = MH_DEFAULT_TAB_INDEX): MhDestSetup[] {
  const { gcd: g, rshift } = mhWeightScale(dests, tabIndex);
  return dests.map((d) => {
    const hash1 = mhHashKey(d.address, d.port, MH_KEY1);
    const hash2 = mhHashKey(d.address, d.port, MH_KEY2);
    const lw = lastWeight(d);
    const t = g >= 1 ? Math.trunc(lw / g) >> rshift : 0;
    return {
      dest: hostPort(d.address, d.port),
      hash1,
      hash2,
      offset: hash1 % size,
      skip: (hash2 % (size - 1)) + 1,
      turns: t || (lw !== 0 ? 1 : 0),
    };
  });
}

/** One slot claim during the fill: round number, destination index, the slot taken, slots skipped. */
export interface MhFillStep {
  round: number;
  dest: number;
  slot: number;
  /** occupied slots the destination's preference list passed over before this one */
  skipped: number;
}

export interface MhTable {
  size: number;
  /** kernel list order (newest-added first) */
  dests: MhDest[];
  setups: MhDestSetup[];
  /** slot -> destination index, -1 when empty (no destination with a positive last_weight) */
  table: Int32Array;
  /** how many slots each destination owns, by index */
  slotCounts: number[];
  /** every claim in order, when asked for (turn-by-turn view) */
  steps?: MhFillStep[];
}

/**
 * ip_vs_mh_populate: destinations in kernel list order each take `turns` slots per round, each time
 * their next preferred free slot, until every slot is taken.
 */
export function buildMhTable(
  dests: MhDest[],
  opts: { tabIndex?: number; recordSteps?: boolean } = {},
): MhTable {
  const tabIndex = opts.tabIndex ?? MH_DEFAULT_TAB_INDEX;
  const size = mhTableSize(tabIndex);
  const setups = mhDestSetups(dests, size, tabIndex);
  const table = new Int32Array(size).fill(-1);
  const slotCounts = dests.map(() => 0);
  const steps: MhFillStep[] | undefined = opts.recordSteps ? [] : undefined;
  const { gcd: g } = mhWeightScale(dests, tabIndex);
  if (g >= 1 && dests.length <= size) {
    const perm = setups.map((s) => s.offset);
    let n = 0;
    let round = 0;
    fill: while (n < size) {
      for (let i = 0; i < setups.length; i++) {
        const s = setups[i]!;
        for (let t = 0; t < s.turns; t++) {
          let c = perm[i]!;
          let skipped = 0;
          while (table[c] !== -1) {
            c += s.skip;
            if (c >= size) c -= size;
            skipped++;
          }
          perm[i] = c;
          table[c] = i;
          slotCounts[i]!++;
          steps?.push({ round, dest: i, slot: c, skipped });
          if (++n === size) break fill;
        }
      }
      round++;
    }
  }
  return { size, dests, setups, table, slotCounts, ...(steps ? { steps } : {}) };
}

export interface MhLookup {
  hash1: number;
  slot: number;
  /** index into the table's dests, or null: "no destination available" */
  dest: number | null;
  /** fallback probes made (mh-fallback only) */
  probes: number;
}

function unavailable(d: MhDest): boolean {
  return d.weight <= 0 || d.overloaded === true;
}

/**
 * ip_vs_mh_schedule for a client: the source port is hashed only with mh-port (0x10); with
 * mh-fallback (0x08) an unavailable destination makes it probe hash(offset = slot + i).
 */
export function mhLookup(t: MhTable, client: { address: string; port: number }, flags: number): MhLookup {
  const port = flags & MH_FLAG_PORT ? client.port : 0;
  const hash1 = mhHashKey(client.address, port, MH_KEY1);
  const slot = hash1 % t.size;
  const first = t.table[slot]!;
  if (first < 0) return { hash1, slot, dest: null, probes: 0 };
  if (!unavailable(t.dests[first]!)) return { hash1, slot, dest: first, probes: 0 };
  if (!(flags & MH_FLAG_FALLBACK)) return { hash1, slot, dest: null, probes: 0 };
  for (let off = 0; off < t.size; off++) {
    const roff = (off + slot) % t.size;
    const h = mhHashKey(client.address, port, MH_KEY1, roff) % t.size;
    const d = t.table[h]!;
    if (d < 0) return { hash1, slot, dest: null, probes: off + 1 };
    if (!unavailable(t.dests[d]!)) return { hash1, slot, dest: d, probes: off + 1 };
  }
  return { hash1, slot, dest: null, probes: t.size };
}

/**
 * The kernel puts each newly added destination at the head of its list, so destinations added in
 * the given order end up reversed. kube-proxy adds in Go map order (random); svcpath assumes the
 * sorted endpoint order and says so.
 */
export function kernelListOrder<T>(addedInOrder: T[]): T[] {
  return [...addedInOrder].reverse();
}

export interface SlotShare {
  dest: string;
  slots: number;
  share: number;
}

export function mhSlotShares(t: MhTable): SlotShare[] {
  return t.setups.map((s, i) => ({ dest: s.dest, slots: t.slotCounts[i]!, share: t.slotCounts[i]! / t.size }));
}

/** The table as destination names per slot (null for empty), for diffs and drawing. */
export function mhOwners(t: MhTable): (string | null)[] {
  return Array.from(t.table, (i) => (i < 0 ? null : t.setups[i]!.dest));
}

export interface TableDiff {
  size: number;
  /** slots whose owner changed */
  moved: number;
  /** slots that changed owner although their old owner is still present (cascade) */
  movedFromSurvivors: number;
  movedSlots: number[];
}

export function diffOwners(before: (string | null)[], after: (string | null)[]): TableDiff {
  const survivors = new Set(after.filter((x): x is string => x !== null));
  const movedSlots: number[] = [];
  let movedFromSurvivors = 0;
  for (let i = 0; i < before.length; i++) {
    if (before[i] !== after[i]) {
      movedSlots.push(i);
      if (before[i] !== null && survivors.has(before[i]!)) movedFromSurvivors++;
    }
  }
  return { size: before.length, moved: movedSlots.length, movedFromSurvivors, movedSlots };
}

/** Owners under plain modulo hashing: slot i goes to backends[i mod N] (the naive scheme Maglev replaces). */
export function moduloOwners(backends: string[], size = MH_TABLE_SIZE): (string | null)[] {
  return Array.from({ length: size }, (_, i) => (backends.length ? backends[i % backends.length]! : null));
}

export interface ChangeComparison {
  maglev: TableDiff;
  modulo: TableDiff;
}

/**
 * Slots that move when the destination list changes, under Maglev (kernel tables before/after)
 * and under modulo hashing over the same sorted backends.
 */
export function compareChange(before: MhDest[], after: MhDest[], opts: { tabIndex?: number } = {}): ChangeComparison {
  const tb = buildMhTable(before, opts);
  const ta = buildMhTable(after, opts);
  const names = (ds: MhDest[]) => ds.map((d) => hostPort(d.address, d.port));
  return {
    maglev: diffOwners(mhOwners(tb), mhOwners(ta)),
    modulo: diffOwners(moduloOwners(names(before), tb.size), moduloOwners(names(after), ta.size)),
  };
}

/**
 * The mh table of a virtual server as svcpath shows it: real servers given in kube-proxy's
 * `ip:port` string order are assumed added in that order, so the kernel list is the reverse.
 */
export function maglevForRealServers(
  realServers: readonly { address: string; port: number; weight: number; lastWeight?: number }[],
  opts: { tabIndex?: number; recordSteps?: boolean } = {},
): MhTable {
  return buildMhTable(kernelListOrder(realServers.map((r) => ({ address: r.address, port: r.port, weight: r.weight, lastWeight: r.lastWeight }))), opts);
}
