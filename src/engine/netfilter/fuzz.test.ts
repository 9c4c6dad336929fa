// The parsers never throw, whatever is pasted: random text, and lines built from iptables words
// (quotes, negations, counters, prompts, listings). FC_RUNS sets the number of cases.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDump } from './parse.ts';
import { printSave } from './print.ts';
import { trace } from './evaluate.ts';
import { outcomes } from './outcomes.ts';
import { explain } from '../explain/explain.ts';

const RUNS = Number(process.env.FC_RUNS ?? 10_000);

const WORDS = [
  '-A', '-I', '-N', '-P', '-X', '-s', '-d', '-i', '-o', '-p', '!', '-m', '-j', '-g', '-c', '--dport', '--sport', '--comment', '--probability', '--mode', 'random', 'nth', '--every',
  '--to-destination', '--set-xmark', '--or-mark', '--mark', '--ctstate', 'NEW,ESTABLISHED', '--rcheck', '--set', '--name', '--seconds', '--match-set', 'src,dst', '--dst-type', 'LOCAL',
  'tcp', 'udp', 'sctp', 'comment', 'statistic', 'recent', 'conntrack', 'mark', 'addrtype', 'set', 'multiport', '--dports', '80,443', 'physdev', '--physdev-is-bridged',
  'KUBE-SERVICES', 'KUBE-SVC-AAAAAAAAAAAAAAAA', 'KUBE-SEP-BBBBBBBBBBBBBBBB', 'KUBE-MARK-MASQ', 'PREROUTING', 'OUTPUT', 'FORWARD', 'INPUT', 'POSTROUTING', 'DNAT', 'SNAT', 'MASQUERADE', 'ACCEPT', 'DROP', 'REJECT', 'RETURN', 'MARK',
  '10.0.0.1', '10.0.0.0/8', 'fd00::1', '[fd00::1]:80', '10.1.1.1:8080', '0x4000/0x4000', '0.33333333349', '0.5', '1e400', '-0', '"ns/svc:p cluster IP"', '"unterminated', "'single'", '"esc \\" q"',
  '*nat', '*filter', ':KUBE-SERVICES', '- [0:0]', '[12:345]', 'COMMIT', '#', '$', 'root@node:~#', 'Chain', '(policy', 'ACCEPT)', '(3 references)', 'target', 'prot', 'opt', 'source', 'destination',
  'anywhere', '/*', '*/', 'dpt:80', 'to:10.0.0.1:80', 'ADDRTYPE', 'match', 'dst-type', '...', '```', 'TCP', '->', 'Masq', 'Name:', 'Type:', 'hash:ip,port', 'table', 'ip', '{', '}', '\r', '\t', '',
];

const line = fc.array(fc.constantFrom(...WORDS), { maxLength: 14 }).map((w) => w.join(' '));
const structured = fc.array(fc.oneof(line, fc.string({ maxLength: 40 })), { maxLength: 25 }).map((ls) => ls.join('\n'));
const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), structured);

describe('fuzz: never throw on what people paste', () => {
  it(`parseDump and printSave (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = parseDump(text);
        expect(['iptables-save', 'iptables-S', 'iptables-L', 'ipvsadm', 'ipset', 'nft', 'mixed', 'unknown']).toContain(r.format);
        for (const d of r.diagnostics) expect(d.line).toBeGreaterThanOrEqual(0);
        // the lazy reading of rule words gives the same rules once forced
        const lazy = parseDump(text, { lazy: true });
        expect(printSave(lazy.ruleset)).toBe(printSave(r.ruleset));
        // printing is idempotent: what was printed reads back to the same print
        const once = printSave(r.ruleset);
        const again = printSave(parseDump(once).ruleset);
        if (r.ruleset.unknownLines.length === 0 && !r.diagnostics.some((d) => d.severity === 'warning') && r.ruleset.tables.every((t) => t.chains.every((c) => c.rules.every((x) => x.source !== 'L' && x.unknown.length === 0)))) expect(again).toBe(once);
      }),
      { numRuns: RUNS },
    );
  });

  it(`explain, trace and outcomes (${Math.ceil(RUNS / 10)} cases)`, () => {
    const node = { localIPs: ['10.0.0.1'], interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24'] }] };
    fc.assert(
      fc.property(structured, fc.constantFrom('10.0.0.1', '10.9.9.9', 'fd00::1'), fc.constantFrom('tcp', 'udp'), (text, dst, proto) => {
        const p = parseDump(text);
        explain(p);
        const input = { ruleset: p.ruleset, node, packet: { src: '10.2.2.2', dst, dport: 80, proto } };
        const t = trace(input);
        expect(['ACCEPT', 'LOCAL', 'DROP', 'REJECT']).toContain(t.outcome.verdict);
        const o = outcomes(input, 256);
        if (!o.truncated) expect(o.fates.reduce((s, f) => s + f.probability, 0)).toBeCloseTo(1, 9);
      }),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });
});
