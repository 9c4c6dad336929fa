// Exact decimal rendering of binary fractions, because JavaScript's toFixed rounds ties up
// while Go's fmt (%0.10f) and glibc's printf (%.11f) round the exact value half-to-even.

/** num/den (both >= 0) with `digits` decimals, exact, ties to even. */
export function formatRationalFixed(num: bigint, den: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const scaled = num * scale;
  let q = scaled / den;
  const r2 = (scaled % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  const s = q.toString().padStart(digits + 1, '0');
  return digits === 0 ? s : `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
}

/** A finite double >= 0 as Go's %0.<digits>f prints it. */
export function formatFloatFixed(x: number, digits: number): string {
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`formatFloatFixed: ${x}`);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) {
    exp = -1074;
  } else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  return exp >= 0
    ? formatRationalFixed(mant << BigInt(exp), 1n, digits)
    : formatRationalFixed(mant, 1n << BigInt(-exp), digits);
}

/** kube-proxy's probability text for the i-th of n remaining endpoints: 1/n as %0.10f. */
export function kubeProxyProbability(n: number): string {
  return formatFloatFixed(1 / n, 10);
}

/**
 * What iptables-save prints for a `--probability P` rule: libxt_statistic stores
 * lround(P * 2^31) and prints it back divided by 2^31 with %.11f.
 */
export function kernelProbability(text: string): string {
  const p = Number(text);
  const stored = Math.round(p * 0x80000000);
  return formatRationalFixed(BigInt(stored), 0x80000000n, 11);
}
