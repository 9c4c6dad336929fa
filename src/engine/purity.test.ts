// House rule: src/engine runs in Node, a Web Worker and tests alike, so it imports nothing from
// React, zustand, d3-selection/transition or the DOM, and has no hidden randomness or clock.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('.', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

const FORBIDDEN_IMPORT = /\bfrom\s+['"](react|react-dom|react\/[^'"]*|react-dom\/[^'"]*|zustand[^'"]*|d3|d3-selection|d3-transition|@codemirror\/[^'"]*)['"]/;
const DOM_USE = /\b(document|window|localStorage|sessionStorage|navigator)\s*\./;
const NONDETERMINISM = /\b(Math\.random|Date\.now|performance\.now)\s*\(/;

describe('engine purity', () => {
  const files = sources(root);
  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThan(3);
  });
  it('imports nothing from React, zustand, d3-selection or the DOM', () => {
    const bad = files.filter((f) => FORBIDDEN_IMPORT.test(readFileSync(f, 'utf8')) || DOM_USE.test(readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });
  it('uses no unseeded randomness or clock', () => {
    const bad = files.filter((f) => NONDETERMINISM.test(readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });
});
