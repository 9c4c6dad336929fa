import { describe, expect, it } from 'vitest';
import { Text } from '@codemirror/state';
import { toLintRanges } from './lintMapping.ts';

const doc = Text.of(['apiVersion: v1', 'kind: Service', 'spec:', '  ports: [}']);
const d = (line: number, col: number) => ({ code: 'X', severity: 'error' as const, message: 'm', line, col });

describe('toLintRanges', () => {
  it('puts a finding at its line and column, to the end of the line', () => {
    const [r] = toLintRanges(doc, [d(4, 11)]);
    expect(doc.sliceString(r!.from, r!.to)).toBe('}');
    const [k] = toLintRanges(doc, [d(2, 1)]);
    expect(doc.sliceString(k!.from, k!.to)).toBe('kind: Service');
  });
  it('clamps positions past the text and places line 0 at the top', () => {
    const [a, b] = toLintRanges(doc, [d(99, 99), d(0, 0)]);
    expect(a!.from).toBeLessThanOrEqual(doc.length);
    expect(a!.to).toBeLessThanOrEqual(doc.length);
    expect(b!.from).toBe(0);
    expect(toLintRanges(Text.of(['']), [d(3, 3)])[0]).toMatchObject({ from: 0, to: 0 });
  });
});
