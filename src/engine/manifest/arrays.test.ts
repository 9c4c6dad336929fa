import { describe, expect, it } from 'vitest';
import { pushAll } from './arrays.ts';

describe('pushAll', () => {
  it('appends a million items, where push(...items) would overflow the stack', () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(() => [].push(...(big as never[]))).toThrow(RangeError);
    const target = [-1];
    pushAll(target, big);
    expect(target.length).toBe(1_000_001);
    expect(target[1_000_000]).toBe(999_999);
  });
});
