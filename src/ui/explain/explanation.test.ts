import { describe, expect, it } from 'vitest';
import { readExplanation, shareReasons } from './explanation.ts';

describe('readExplanation', () => {
  it('indexes notes by line and picks the share reasons', () => {
    const v = readExplanation({
      notes: [{ line: 11, notes: [{ key: 'rule.clusterip', en: 'to KUBE-SVC', zh: '跳转' }] }, { bad: true }],
      diagnostics: [
        { code: 'even-shares', severity: 'info', line: 17, col: 1, message: 'each gets 1/3' },
        { code: 'jump-missing-chain', severity: 'warning', line: 13, col: 1, message: 'missing' },
        null,
      ],
    });
    expect(v!.notes.get(11)!.notes[0]!.zh).toBe('跳转');
    expect(v!.notes.size).toBe(1);
    expect(v!.diagnostics).toHaveLength(2);
    expect(shareReasons(v)).toEqual(['each gets 1/3']);
  });
  it('tolerates anything', () => {
    expect(readExplanation(null)).toBeNull();
    expect(readExplanation('x')).toBeNull();
    expect(readExplanation({})).toEqual({ notes: new Map(), diagnostics: [] });
    expect(shareReasons(null)).toEqual([]);
  });
});
