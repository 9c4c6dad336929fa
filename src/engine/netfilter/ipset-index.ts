// ipset membership as the kernel finds it: a hash lookup, not a walk over the entries. IPVS mode
// at 10,000 Services has ~22,000 entries; a linear scan made one packet cost ~300 ms. Each set is
// indexed once (cached per IpsetModel object) by a string key of its dimensions; address
// dimensions of net types are bucketed by prefix length, tried from the most specific, as
// hash:net* does with its nets[] array (so a "nomatch" entry can carve out a more specific range).
import { parseCidr, type Addr } from './addr.ts';
import { canonicalProto } from './canonical.ts';
import type { IpsetModel } from './trace-types.ts';

type Dim = 'ip' | 'net' | 'port';

export interface IpsetPacket {
  srcA: Addr | null;
  dstA: Addr | null;
  sport: number | null;
  dport: number | null;
  proto: string;
}

interface Index {
  entries: readonly string[];
  count: number;
  dims: Dim[] | null;
  bitmapPort: boolean;
  /** prefix lengths per address dimension, most specific first (one combination per distinct tuple) */
  combos: number[][];
  keys: Map<string, boolean>;
}

const cache = new WeakMap<IpsetModel, Index>();

function dimsOf(type: string): { dims: Dim[] | null; bitmapPort: boolean } {
  const m = /^(hash|bitmap):(.+)$/.exec(type.trim());
  if (!m) return { dims: null, bitmapPort: false };
  const dims = m[2]!.split(',');
  if (!dims.every((d) => d === 'ip' || d === 'net' || d === 'port')) return { dims: null, bitmapPort: false };
  return { dims: dims as Dim[], bitmapPort: m[1] === 'bitmap' && m[2] === 'port' };
}

function addrKey(v6: boolean, n: number, b: Uint8Array, len: number): string {
  if (!v6) {
    const mask = len === 0 ? 0 : len >= 32 ? 0xffffffff : (~0 << (32 - len)) >>> 0;
    return `4:${(n & mask) >>> 0}/${len}`;
  }
  let s = '6:';
  let bits = len;
  for (let i = 0; i < 16; i++, bits -= 8) {
    const m = bits >= 8 ? 0xff : bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff;
    s += (b[i]! & m).toString(16) + '.';
  }
  return `${s}/${len}`;
}

function portKey(v: string, bitmap: boolean): string | null {
  const colon = v.indexOf(':');
  const proto = colon < 0 ? 'tcp' : canonicalProto(v.slice(0, colon).toLowerCase());
  const port = colon < 0 ? v : v.slice(colon + 1);
  if (!/^\d+$/.test(port)) return null;
  return bitmap ? String(Number(port)) : `${proto}:${Number(port)}`;
}

function build(set: IpsetModel): Index {
  const { dims, bitmapPort } = dimsOf(set.type);
  const idx: Index = { entries: set.entries, count: set.entries.length, dims, bitmapPort, combos: [], keys: new Map() };
  if (!dims) return idx;
  const combos = new Map<string, number[]>();
  for (const entry of set.entries) {
    const words = entry.trim().split(/\s+/);
    const parts = words[0]!.split(',');
    if (parts.length !== dims.length) continue;
    const nomatch = words.includes('nomatch');
    const lens: number[] = [];
    const key: string[] = [];
    let ok = true;
    for (let i = 0; i < dims.length && ok; i++) {
      if (dims[i] === 'port') {
        const k = portKey(parts[i]!, bitmapPort);
        if (k === null) ok = false;
        else key.push(k);
      } else {
        const c = parseCidr(parts[i]!);
        if (!c) ok = false;
        else {
          lens.push(c.len);
          key.push(addrKey(c.v6, c.n, c.b, c.len));
        }
      }
    }
    if (!ok) continue;
    combos.set(lens.join(','), lens);
    const k = key.join(',');
    // an exact duplicate: the kernel keeps one element; a plain entry wins over nomatch only if added later, keep the first
    if (!idx.keys.has(k)) idx.keys.set(k, !nomatch);
  }
  idx.combos = [...combos.values()].sort((a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
    return 0;
  });
  return idx;
}

function indexOf(set: IpsetModel): Index {
  const hit = cache.get(set);
  if (hit && hit.entries === set.entries && hit.count === set.entries.length) return hit;
  const idx = build(set);
  cache.set(set, idx);
  return idx;
}

/**
 * Is the packet in the set, with the given directions per dimension ("src,dst,...": the last one
 * repeats)? null: the set's type is not modelled or the packet lacks a needed field (no port).
 */
export function ipsetMember(set: IpsetModel, e: IpsetPacket, dirs: readonly string[]): boolean | null {
  const idx = indexOf(set);
  const dims = idx.dims;
  if (!dims) return null;
  const proto = canonicalProto(e.proto);
  // bitmap:port only takes TCP and UDP (ip_set_get_ip_port in the kernel refuses the others)
  if (idx.bitmapPort && proto !== 'tcp' && proto !== 'udp') return false;
  const fixed: (string | null)[] = [];
  const addrs: (Addr | null)[] = [];
  for (let i = 0; i < dims.length; i++) {
    const src = (dirs[i] ?? dirs[dirs.length - 1]) === 'src';
    if (dims[i] === 'port') {
      const p = src ? e.sport : e.dport;
      if (p === null) return null;
      fixed.push(idx.bitmapPort ? String(p) : `${proto}:${p}`);
    } else {
      const a = src ? e.srcA : e.dstA;
      if (!a) return false;
      addrs.push(a);
      fixed.push(null);
    }
  }
  for (const lens of idx.combos) {
    let j = 0;
    let key = '';
    for (let i = 0; i < dims.length; i++) {
      if (i) key += ',';
      const f = fixed[i];
      if (f !== null) key += f;
      else {
        const a = addrs[j]!;
        key += addrKey(a.v6, a.n, a.b, lens[j]!);
        j++;
      }
    }
    const hit = idx.keys.get(key);
    if (hit !== undefined) return hit;
  }
  return false;
}
