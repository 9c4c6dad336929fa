// Lazily parsed chains keep plain `-A` lines as indexes until their rules are read: the order,
// numbering, lines and sources must be exactly what the eager parser gives, however lines interleave.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDump } from './parse.ts';
import { allRules } from './model.ts';
import { printSave } from './print.ts';
import { LazyChain } from './lazy-rule.ts';

const view = (text: string, lazy: boolean) => {
  const p = parseDump(text, { lazy });
  return { save: printSave(p.ruleset), rules: allRules(p.ruleset).map((r) => [r.table, r.chain, r.index, r.line, r.raw, r.source, r.target?.name ?? null]), format: p.format, codes: p.diagnostics.map((d) => d.code) };
};

describe('LazyChain', () => {
  it('interleaved chains, the next declared chain, -I inserts and CRLF lines read as the eager parser reads them', () => {
    const text = [
      '*nat', ':PREROUTING ACCEPT [3:180]', ':A - [0:0]', ':B - [0:0]', ':C - [0:0]',
      '-A A -j B', '-A B -j C', '-A C -j RETURN', '-A A -s 10.0.0.1/32 -j ACCEPT', '-I A 1 -d 10.0.0.9/32 -j DROP\r', '-A B -p tcp -m tcp --dport 80 -j ACCEPT\r',
      '-A A -j C', '-A PREROUTING -j A', 'COMMIT', '',
    ].join('\n');
    expect(view(text, true)).toEqual(view(text, false));
    const lazy = parseDump(text, { lazy: true });
    const a = lazy.ruleset.tables[0]!.chains.find((c) => c.name === 'A')!;
    expect(a).toBeInstanceOf(LazyChain);
    expect(a.rules.map((r) => r.raw)).toEqual(['-I A 1 -d 10.0.0.9/32 -j DROP', '-A A -j B', '-A A -s 10.0.0.1/32 -j ACCEPT', '-A A -j C']);
  });

  it('random orders of rule lines over declared chains (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 })), { maxLength: 40 }), (rows) => {
        const chains = ['X', 'Y', 'Z', 'KUBE-SVC-ABC', 'KUBE-SEP-ABC'];
        const body = rows.map(([c, v]) => `-A ${chains[c]} ${['-j ACCEPT', '-s 10.1.0.0/16 -j RETURN', '-p udp -m udp --dport 53 -j DROP', '-j MARK --set-xmark 0x4000/0x4000'][v]}`);
        const text = ['*filter', ...chains.map((c) => `:${c} - [0:0]`), ...body, 'COMMIT', ''].join('\n');
        expect(view(text, true)).toEqual(view(text, false));
      }),
      { numRuns: 300 },
    );
  });
});
