import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha256Into } from './sha256.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function lean(bytes: Uint8Array): string {
  const out = new Uint8Array(32);
  sha256Into(bytes, bytes.length, out);
  return hex(out);
}

describe('sha256Into', () => {
  it('matches the FIPS 180-4 examples', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(lean(enc(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(lean(enc('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(lean(enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });
  it('agrees with @noble/hashes at every length around the block and padding boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 255);
      expect(lean(bytes), `length ${n}`).toBe(hex(sha256(bytes)));
    }
  });
  it('agrees with @noble/hashes on random inputs and ignores bytes past len', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 20 }), (data, junk) => {
        const buf = new Uint8Array(data.length + junk.length);
        buf.set(data);
        buf.set(junk, data.length);
        const out = new Uint8Array(32);
        sha256Into(buf, data.length, out);
        expect(hex(out)).toBe(hex(sha256(data)));
      }),
    );
  });
});
