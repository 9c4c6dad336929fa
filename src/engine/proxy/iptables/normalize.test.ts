import { describe, expect, it } from 'vitest';
import { readVectorFile, vectorFolders } from '../../testing/conformance.ts';
import { DumpParseError, normalizeRestore, parseRestoreDump, ruleComment } from './normalize.ts';

const FAMILY = 'kube-proxy-iptables';
const folders = vectorFolders(FAMILY).filter((f) => f.startsWith('normalization-'));

describe.skipIf(folders.length === 0)('normalizer self-tests (conformance normalization-*)', () => {
  it('finds the four folders', () => {
    expect(folders).toHaveLength(4);
  });
  for (const folder of folders) {
    it(folder, () => {
      const input = readVectorFile(FAMILY, folder, 'input.iptables')!;
      const expected = readVectorFile(FAMILY, folder, 'expected.iptables')!;
      expect(normalizeRestore(input)).toBe(expected.replace(/^[ \t\n]+/, ''));
    });
  }
});

describe('normalizeRestore', () => {
  it('puts KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-*, then the rest, tables by name', () => {
    const out = normalizeRestore('*nat\n:ZZZ - [0:0]\n:KUBE-B - [0:0]\n:KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\nCOMMIT\n*filter\nCOMMIT\n');
    expect(out).toBe('*filter\nCOMMIT\n*nat\n:KUBE-NODEPORTS - [0:0]\n:KUBE-SERVICES - [0:0]\n:KUBE-B - [0:0]\n:ZZZ - [0:0]\nCOMMIT\n');
  });
  it('keeps the nodeports rule last in nat KUBE-SERVICES and sorts the rest stably by service', () => {
    const input = [
      '*nat',
      ':KUBE-SERVICES - [0:0]',
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -j KUBE-NODEPORTS',
      '-A KUBE-SERVICES -m comment --comment "ns2/b cluster IP" -j X',
      '-A KUBE-SERVICES -m comment --comment "ns1/a:p cluster IP" -j Y',
      '-A KUBE-SERVICES -m comment --comment "ns1/a:q cluster IP" -j Z',
      'COMMIT',
      '',
    ].join('\n');
    const rules = normalizeRestore(input).split('\n').filter((l) => l.startsWith('-A'));
    expect(rules.map((r) => r.split(' -j ')[1])).toEqual(['Y', 'Z', 'X', 'KUBE-NODEPORTS']);
  });
  it('writes -X lines after all rules', () => {
    const out = normalizeRestore('*nat\n:KUBE-SVC-A - [0:0]\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-A\n-X KUBE-SVC-A\nCOMMIT\n');
    expect(out).toBe('*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-A - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-A\n-X KUBE-SVC-A\nCOMMIT\n');
  });
  it('rejects a rule for an undeclared chain with its line number', () => {
    expect(() => parseRestoreDump('*nat\n:A - [0:0]\n-A B -j X\nCOMMIT\n')).toThrow(DumpParseError);
    try {
      parseRestoreDump('*nat\n:A - [0:0]\n-A B -j X\nCOMMIT\n');
    } catch (e) {
      expect((e as DumpParseError).line).toBe(3);
    }
  });
  it('rejects a declaration after rules, a missing COMMIT and junk', () => {
    expect(() => parseRestoreDump('*nat\n:A - [0:0]\n-A A -j X\n:B - [0:0]\nCOMMIT\n')).toThrow(/line 4/);
    expect(() => parseRestoreDump('*nat\n:A - [0:0]\n')).toThrow(/COMMIT/);
    expect(() => parseRestoreDump('hello\n')).toThrow(/line 1/);
    expect(() => parseRestoreDump('*nat\n:A ACCEPT [0:0]\nCOMMIT\n')).toThrow(/line 2/);
  });
  it('reads bare and quoted comments', () => {
    expect(ruleComment('-A X -m comment --comment ns1/svc1:p80 -j Y')).toBe('ns1/svc1:p80');
    expect(ruleComment('-A X -m comment --comment "a b" -j Y')).toBe('a b');
    expect(ruleComment('-A X -j Y')).toBeNull();
  });
});
