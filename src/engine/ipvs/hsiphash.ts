// The kernel's hsiphash (lib/siphash.c) as built on 64-bit kernels, where "HalfSipHash" is in fact
// SipHash-1-3 over 64-bit lanes truncated to 32 bits. ip_vs_mh hashes with it, so reproducing the
// kernel's Maglev table needs this exact function (32-bit kernels use real HalfSipHash: not modelled).

const MASK = (1n << 64n) - 1n;

export interface HsiphashKey {
  k0: bigint;
  k1: bigint;
}

function rol(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK;
}

/** hsiphash(data, key) on a 64-bit little-endian kernel; returns an unsigned 32-bit number. */
export function hsiphash(data: Uint8Array, key: HsiphashKey): number {
  let v0 = 0x736f6d6570736575n ^ key.k0;
  let v1 = 0x646f72616e646f6dn ^ key.k1;
  let v2 = 0x6c7967656e657261n ^ key.k0;
  let v3 = 0x7465646279746573n ^ key.k1;
  const round = () => {
    v0 = (v0 + v1) & MASK; v1 = rol(v1, 13n); v1 ^= v0; v0 = rol(v0, 32n);
    v2 = (v2 + v3) & MASK; v3 = rol(v3, 16n); v3 ^= v2;
    v0 = (v0 + v3) & MASK; v3 = rol(v3, 21n); v3 ^= v0;
    v2 = (v2 + v1) & MASK; v1 = rol(v1, 17n); v1 ^= v2; v2 = rol(v2, 32n);
  };
  const len = data.length;
  const whole = len - (len % 8);
  for (let i = 0; i < whole; i += 8) {
    let m = 0n;
    for (let j = 7; j >= 0; j--) m = (m << 8n) | BigInt(data[i + j]!);
    v3 ^= m;
    round();
    v0 ^= m;
  }
  let b = (BigInt(len) << 56n) & MASK;
  for (let j = len - 1; j >= whole; j--) b |= BigInt(data[j]!) << BigInt(8 * (j - whole));
  v3 ^= b;
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  round();
  return Number((v0 ^ v1 ^ v2 ^ v3) & 0xffffffffn);
}

/** hsiphash of one u32 stored in memory little-endian (what ip_vs_mh_hashkey passes: &v, 4). */
export function hsiphashU32(v: number, key: HsiphashKey): number {
  const u = v >>> 0;
  return hsiphash(new Uint8Array([u & 0xff, (u >>> 8) & 0xff, (u >>> 16) & 0xff, u >>> 24]), key);
}
