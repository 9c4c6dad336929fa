// kube-apiserver's Service IP and NodePort allocators (KEP-3070 / KEP-3668): the range is split
// into a low "static" band kept for hand-picked values and an upper "dynamic" band that random
// allocations try first; a random start, then the first free slot scanning upward (wrapping
// inside the band), then the same in the static band.
import type { Rng } from '../util/rng.ts';
import { cidrContains, cidrSize, ipToString, parseIP, type Family, type ParsedCIDR } from './ip.ts';

export type AllocResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** uniform bigint in [0, n) from the seeded RNG (32 bits per draw) */
function randomBig(rng: Rng, n: bigint): bigint {
  if (n <= 0x100000000n) return BigInt(rng.int(Number(n)));
  let v = 0n;
  let span = 1n;
  while (span < n << 32n) {
    v = (v << 32n) | BigInt(rng.int(0x100000000));
    span <<= 32n;
  }
  return v % n;
}

/** first free offset in [lo, hi], starting at a random point and wrapping */
function scanBand(used: Set<bigint>, lo: bigint, hi: bigint, rng: Rng): bigint | null {
  if (hi < lo) return null;
  const count = hi - lo + 1n;
  const start = randomBig(rng, count);
  // The scan is bounded by the number of used slots + 1: a free slot is always reached by then.
  const limit = count < BigInt(used.size) + 1n ? count : BigInt(used.size) + 1n;
  for (let i = 0n; i < limit; i++) {
    const off = lo + ((start + i) % count);
    if (!used.has(off)) return off;
  }
  return null;
}

export class ServiceIPAllocator {
  readonly cidr: ParsedCIDR;
  /** offsets from the first usable address */
  private readonly used = new Set<bigint>();
  readonly max: bigint;
  readonly staticBand: bigint;

  constructor(cidr: ParsedCIDR) {
    this.cidr = cidr;
    const size = cidrSize(cidr);
    // IPv4 loses the network and broadcast addresses, IPv6 only the network address.
    this.max = cidr.family === 'IPv4' ? (size > 2n ? size - 2n : 0n) : size - 1n;
    this.staticBand = calculateRangeOffset(size, 16n, 256n);
  }

  get family(): Family {
    return this.cidr.family;
  }

  private offsetOf(ip: string): bigint | null {
    const p = parseIP(ip);
    if (!p || !cidrContains(this.cidr, p)) return null;
    const off = p.value - this.cidr.base - 1n;
    return off >= 0n && off < this.max ? off : null;
  }

  ipAt(offset: bigint): string {
    return ipToString(this.cidr.base + 1n + offset, this.cidr.family);
  }

  /** the n-th usable address, 1-based (1 = the `kubernetes` Service, 10 = kubeadm's kube-dns) */
  nth(n: number): string {
    return this.ipAt(BigInt(n - 1));
  }

  allocate(ip: string): AllocResult<string> {
    const off = this.offsetOf(ip);
    if (off === null) {
      return { ok: false, error: `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr.text}` };
    }
    if (this.used.has(off)) return { ok: false, error: 'provided IP is already allocated' };
    this.used.add(off);
    return { ok: true, value: this.ipAt(off) };
  }

  allocateNext(rng: Rng): AllocResult<string> {
    const off =
      scanBand(this.used, this.staticBand, this.max - 1n, rng) ?? scanBand(this.used, 0n, this.staticBand - 1n, rng);
    if (off === null) return { ok: false, error: 'range is full' };
    this.used.add(off);
    return { ok: true, value: this.ipAt(off) };
  }

  release(ip: string): void {
    const off = this.offsetOf(ip);
    if (off !== null) this.used.delete(off);
  }

  isAllocated(ip: string): boolean {
    const off = this.offsetOf(ip);
    return off !== null && this.used.has(off);
  }
}

/** KEP-3070/3668: static band size = min(max(min, size/divisor), max); none for tiny ranges */
export function calculateRangeOffset(size: bigint, divisor: bigint, cap: bigint): bigint {
  const min = 16n;
  if (size <= min) return 0n;
  const o = size / divisor;
  if (o < min) return min;
  return o > cap ? cap : o;
}

export class NodePortAllocator {
  readonly base: number;
  readonly size: number;
  readonly staticBand: number;
  private readonly used = new Set<bigint>();

  constructor(range: { base: number; size: number }) {
    this.base = range.base;
    this.size = range.size;
    this.staticBand = Number(calculateRangeOffset(BigInt(range.size), 32n, 128n));
  }

  get text(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  allocate(port: number): AllocResult<number> {
    const off = port - this.base;
    if (!Number.isInteger(port) || off < 0 || off >= this.size) {
      return { ok: false, error: `provided port is not in the valid range. The range of valid ports is ${this.text}` };
    }
    if (this.used.has(BigInt(off))) return { ok: false, error: 'provided port is already allocated' };
    this.used.add(BigInt(off));
    return { ok: true, value: port };
  }

  allocateNext(rng: Rng): AllocResult<number> {
    const max = BigInt(this.size);
    const band = BigInt(this.staticBand);
    const off = scanBand(this.used, band, max - 1n, rng) ?? scanBand(this.used, 0n, band - 1n, rng);
    if (off === null) return { ok: false, error: 'range is full' };
    this.used.add(off);
    return { ok: true, value: this.base + Number(off) };
  }

  release(port: number): void {
    this.used.delete(BigInt(port - this.base));
  }
}

/** --service-node-port-range: "30000-32767", "30000+2767" or a single port */
export function parsePortRange(text: string): { base: number; size: number } | null {
  const m = /^\s*(\d+)\s*(?:([-+])\s*(\d+))?\s*$/.exec(text);
  if (!m) return null;
  const base = Number(m[1]);
  if (m[2] === undefined) return { base, size: 1 };
  const other = Number(m[3]);
  const size = m[2] === '+' ? other + 1 : other - base + 1;
  if (size < 1 || base < 1 || base + size - 1 > 65535) return null;
  return { base, size };
}
