// Object names as the API server and kube-controller-manager make them.
import type { Rng } from '../util/rng.ts';

/** apimachinery util/rand: the alphabet without vowels and look-alikes (no 0, 1, 3). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The API server's generateName suffix length and the longest base it keeps (63 - 5). */
const RANDOM_LENGTH = 5;
const MAX_GENERATED_BASE = 58;

export function randomSuffix(rng: Rng, length = RANDOM_LENGTH): string {
  let s = '';
  for (let i = 0; i < length; i++) s += NAME_ALPHABET[rng.int(NAME_ALPHABET.length)];
  return s;
}

/** The name the API server gives an object created with `metadata.generateName: base`. */
export function generateName(base: string, rng: Rng): string {
  const cut = base.length > MAX_GENERATED_BASE ? base.slice(0, MAX_GENERATED_BASE) : base;
  return cut + randomSuffix(rng);
}

/** Like generateName, but retries while the name is already taken (the API server would
 *  answer AlreadyExists and the controller retry with a fresh suffix). */
export function uniqueGeneratedName(base: string, rng: Rng, taken: Set<string>): string {
  for (;;) {
    const name = generateName(base, rng);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** rand.SafeEncodeString: every character mapped through the alphabet by its code point. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += NAME_ALPHABET[s.charCodeAt(i) % NAME_ALPHABET.length];
  return out;
}

/** 32-bit FNV-1a over bytes. */
export function fnv1a32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Canonical JSON: object keys sorted, undefined dropped, so equal templates hash equal. */
export function canonicalJSON(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJSON(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(obj[k])}`).join(',')}}`;
}

/**
 * pod-template-hash. kube-controller-manager hashes a go-spew dump of the Go PodTemplateSpec
 * struct (every field, nil pointers included), which cannot be reproduced from YAML without
 * Go's full type definitions. We keep the rest of the recipe: FNV-1a 32 over a canonical dump
 * (here canonical JSON of the template), the collision count as 8 little-endian bytes when set,
 * the uint32 printed in decimal and SafeEncodeString'd. So values have the real shape
 * (1-10 chars of 4-9bcdf) and equal templates hash equal, but differ from a real cluster's.
 */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  const bytes = new TextEncoder().encode(canonicalJSON(template));
  let input = bytes;
  if (collisionCount !== undefined) {
    input = new Uint8Array(bytes.length + 8);
    input.set(bytes);
    let c = collisionCount >>> 0;
    for (let i = 0; i < 4; i++) {
      input[bytes.length + i] = c & 0xff;
      c >>>= 8;
    }
  }
  return safeEncodeString(String(fnv1a32(input)));
}
