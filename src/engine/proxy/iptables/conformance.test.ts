// Every single-sync folder of conformance/kube-proxy-iptables, compared as kube-proxy's own
// assertIPTablesRulesEqual does (README "How to compare").
import { describe, expect, it } from 'vitest';
import { readVectorFile, vectorFolders } from '../../testing/conformance.ts';
import type { ProxierConfig } from '../config.ts';
import { generateIptablesRestore } from './proxier.ts';
import { normalizeRestore } from './normalize.ts';
import { parseVectorInput } from './testinputs.ts';

const FAMILY = 'kube-proxy-iptables';
const all = vectorFolders(FAMILY);
const single = all.filter(
  (f) =>
    (f.startsWith('v1.28-') && f !== 'v1.28-sync-repeated-steps') ||
    f === 'overall-iptables-rules' ||
    f === 'bad-ips-normalized' ||
    f === 'sync-repeated-initial' ||
    f.startsWith('derived-'),
);
/** README: same-service rules in these chains come out in Go map order */
const UNORDERED = 'derived-multiple-ports-protocols';

function load(folder: string) {
  const config = JSON.parse(readVectorFile(FAMILY, folder, 'config.json')!) as ProxierConfig;
  const { services, slices } = parseVectorInput(readVectorFile(FAMILY, folder, 'input.yaml')!);
  const expected = readVectorFile(FAMILY, folder, 'expected.iptables')!.replace(/^[ \t\n]+/, '');
  return { config, services, slices, expected };
}

/** Sort same-service runs of KUBE-SERVICES / KUBE-NODEPORTS lines (both tables) so their order does not count. */
function canonicalizeSameServiceRuns(text: string): string {
  const lines = text.split('\n');
  const key = (l: string) => {
    const m = /^-A (KUBE-SERVICES|KUBE-NODEPORTS|KUBE-EXTERNAL-SERVICES|KUBE-PROXY-FIREWALL) -m comment --comment "?([^ ":]+)/.exec(l);
    return m && !l.includes('must be the last rule') ? `${m[1]} ${m[2]}` : null;
  };
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const k = key(lines[i]);
    if (k === null) {
      out.push(lines[i++]);
      continue;
    }
    let j = i;
    while (j < lines.length && key(lines[j]) === k) j++;
    out.push(...lines.slice(i, j).sort());
    i = j;
  }
  return out.join('\n');
}

describe.skipIf(all.length === 0)('kube-proxy iptables conformance (single sync)', () => {
  it('finds all 38 single-sync folders (32 v1.28, 3 newest, 3 derived)', () => {
    expect(single).toHaveLength(38);
  });
  for (const folder of single) {
    it(folder, () => {
      const { config, services, slices, expected } = load(folder);
      const got = normalizeRestore(generateIptablesRestore(services, slices, config).replace(/^[ \t\n]+/, ''));
      if (folder === UNORDERED) {
        expect(canonicalizeSameServiceRuns(got)).toBe(canonicalizeSameServiceRuns(expected));
      } else {
        expect(got).toBe(expected);
      }
    });
  }
});
