import { describe, expect, it } from 'vitest';
import { hsiphash } from './hsiphash.ts';
import { readVectorFile } from '../testing/conformance.ts';

const raw = readVectorFile('kube-proxy-ipvs', 'mh-maglev-derived/hsiphash-kunit', 'expected.json');

describe.skipIf(raw === null)('hsiphash: the kernel kunit vectors (64-bit branch)', () => {
  const v = JSON.parse(raw ?? '{}') as { key: string[]; expected_by_length: string[] };
  it('reproduces all 64 vectors', () => {
    const key = { k0: BigInt(v.key[0]!), k1: BigInt(v.key[1]!) };
    expect(v.expected_by_length).toHaveLength(64);
    const got = v.expected_by_length.map((_, len) => {
      const data = Uint8Array.from({ length: len }, (_, i) => i);
      return '0x' + hsiphash(data, key).toString(16).padStart(8, '0');
    });
    expect(got).toEqual(v.expected_by_length);
  });
});
