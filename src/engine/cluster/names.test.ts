import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng.ts';
import { canonicalJSON, fnv1a32, generateName, NAME_ALPHABET, podTemplateHash, randomSuffix, safeEncodeString, uniqueGeneratedName } from './names.ts';

describe('names', () => {
  it('FNV-1a 32 matches the published test vectors', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(fnv1a32(enc(''))).toBe(0x811c9dc5);
    expect(fnv1a32(enc('a'))).toBe(0xe40c292c);
    expect(fnv1a32(enc('foobar'))).toBe(0xbf9cf968);
  });

  it('SafeEncodeString maps decimal digits as apimachinery does (0->4 ... 9->f)', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });

  it('random suffixes are 5 characters of the alphabet, drawn from the seeded RNG', () => {
    const a = randomSuffix(createRng(42));
    expect(a).toMatch(new RegExp(`^[${NAME_ALPHABET}]{5}$`));
    expect(randomSuffix(createRng(42))).toBe(a);
    expect(randomSuffix(createRng(43))).not.toBe(a);
  });

  it('generateName keeps at most 58 characters of the base', () => {
    const base = `${'a'.repeat(62)}-`;
    const n = generateName(base, createRng(1));
    expect(n).toHaveLength(63);
    expect(n.slice(0, 58)).toBe('a'.repeat(58));
    expect(generateName('web-', createRng(1))).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('uniqueGeneratedName retries on a taken name', () => {
    const first = generateName('web-', createRng(9));
    const taken = new Set([first]);
    const n = uniqueGeneratedName('web-', createRng(9), taken);
    expect(n).not.toBe(first);
    expect(taken.has(n)).toBe(true);
  });

  it('pod-template-hash: the real shape, equal for equal templates, different otherwise', () => {
    const t1 = { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };
    const t1b = { spec: { containers: [{ image: 'nginx', name: 'nginx' }] }, metadata: { labels: { app: 'nginx' } } };
    const t2 = { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };
    const h = podTemplateHash(t1);
    expect(h).toMatch(/^[456789bcdf]{1,10}$/);
    expect(podTemplateHash(t1b)).toBe(h);
    expect(podTemplateHash(t2)).not.toBe(h);
    expect(podTemplateHash(t1, 1)).not.toBe(h);
  });

  it('canonical JSON sorts keys and drops undefined', () => {
    expect(canonicalJSON({ b: 1, a: [1, { d: undefined, c: 'x' }] })).toBe('{"a":[1,{"c":"x"}],"b":1}');
  });
});
