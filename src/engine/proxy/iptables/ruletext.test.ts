import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RuleText, restoreTable, rulesText } from './ruletext.ts';
import { renderRestore, syncIptables } from './proxier.ts';
import { makeLargeCluster } from './bench.ts';

const naive = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join('');

function filled(lines: string[]): RuleText {
  const t = new RuleText();
  for (const l of lines) t.push(l);
  return t;
}

describe('RuleText', () => {
  it('gives back every line and the same text, across chunk boundaries', () => {
    for (const n of [0, 1, 2047, 2048, 2049, 5000]) {
      const lines = Array.from({ length: n }, (_, i) => `-A KUBE-SEP-${i} -j DNAT --to-destination 10.0.${i >> 8}.${i & 255}:80`);
      const t = filled(lines);
      expect(t.length).toBe(n);
      expect(t.lines()).toEqual(lines);
      expect(t.pieces().join('')).toBe(naive(lines));
    }
  });
  it('keeps lines that themselves hold newlines or nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 40 }), (lines) => {
        const t = filled(lines);
        expect(t.lines()).toEqual(lines);
        expect(t.pieces().join('')).toBe(naive(lines));
      }),
    );
    expect(filled(['a\nb', '', 'c']).lines()).toEqual(['a\nb', '', 'c']);
  });
});

describe('restoreTable', () => {
  const table = () => restoreTable('nat', ['KUBE-SERVICES'], filled(['-A KUBE-SERVICES -j ACCEPT', '-A KUBE-SERVICES -j DROP']), []);

  it('reads like a plain object', () => {
    const t = table();
    expect(t).toEqual({ name: 'nat', chains: ['KUBE-SERVICES'], rules: ['-A KUBE-SERVICES -j ACCEPT', '-A KUBE-SERVICES -j DROP'], deleted: [] });
    expect(JSON.parse(JSON.stringify(t)).rules).toHaveLength(2);
    expect(structuredClone(t).rules).toEqual(t.rules);
    expect(t.rules).toBe(t.rules);
  });
  it('renders edits made in place, by push or by reassignment', () => {
    const a = table();
    expect(rulesText(a).join('')).toBe('-A KUBE-SERVICES -j ACCEPT\n-A KUBE-SERVICES -j DROP\n');
    a.rules[1] = '-A KUBE-SERVICES -j REJECT';
    expect(rulesText(a).join('')).toBe('-A KUBE-SERVICES -j ACCEPT\n-A KUBE-SERVICES -j REJECT\n');
    const b = table();
    b.rules.push('-A KUBE-SERVICES -j RETURN');
    expect(rulesText(b).join('')).toContain('RETURN\n');
    const c = table();
    c.rules = [];
    expect(rulesText(c)).toEqual([]);
    expect(c.rules).toEqual([]);
  });
  it('renders a sync the same whether or not its rules were read first', () => {
    const { services, slices } = makeLargeCluster(300, 7);
    const cfg = { nodeName: 'node-2', localDetector: { mode: 'ClusterCIDR' as const, clusterCIDR: '10.0.0.0/8' } };
    const untouched = renderRestore(syncIptables(services, slices, cfg).tables);
    const s = syncIptables(services, slices, cfg);
    const byLines = s.tables.map((t) => [`*${t.name}`, ...t.chains.map((c) => `:${c} - [0:0]`), ...t.rules, 'COMMIT'].join('\n')).join('\n') + '\n';
    expect(untouched).toBe(byLines);
    expect(renderRestore(s.tables)).toBe(byLines);
  });
});
