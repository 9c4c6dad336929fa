import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatFloatFixed, formatRationalFixed, kernelProbability, kubeProxyProbability } from './fixed.ts';

describe('kube-proxy probability text (Go %0.10f)', () => {
  it('prints the usual cascade', () => {
    expect([2, 3, 4, 5, 6, 7].map(kubeProxyProbability)).toEqual([
      '0.5000000000', '0.3333333333', '0.2500000000', '0.2000000000', '0.1666666667', '0.1428571429',
    ]);
    expect(kubeProxyProbability(1)).toBe('1.0000000000');
  });
  it('rounds the exact binary tie at n=2048 to even, unlike toFixed', () => {
    expect(kubeProxyProbability(2048)).toBe('0.0004882812');
    expect((1 / 2048).toFixed(10)).toBe('0.0004882813');
  });
  it('agrees with toFixed wherever the value is not an exact tie', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100000 }), (n) => {
        if (n === 2048) return;
        expect(kubeProxyProbability(n)).toBe((1 / n).toFixed(10));
      }),
    );
  });
});

describe('kernel probability (iptables-save %.11f of lround(p*2^31)/2^31)', () => {
  it('matches what real nodes print', () => {
    expect(kernelProbability('0.3333333333')).toBe('0.33333333349');
    expect(kernelProbability('0.5000000000')).toBe('0.50000000000');
    expect(kernelProbability('0.2000000000')).toBe('0.20000000019');
    expect(kernelProbability('0.2500000000')).toBe('0.25000000000');
  });
  it('rounds exact decimal ties to even', () => {
    // 1/4096 = 0.000244140625 exactly: a tie at the 11th decimal
    expect(formatRationalFixed(1n, 4096n, 11)).toBe('0.00024414062');
    expect(formatRationalFixed(3n, 4096n, 11)).toBe('0.00073242188');
  });
  it('formats integers and subnormals', () => {
    expect(formatFloatFixed(3, 2)).toBe('3.00');
    expect(formatFloatFixed(5e-324, 3)).toBe('0.000');
    expect(() => formatFloatFixed(-1, 2)).toThrow();
  });
});
