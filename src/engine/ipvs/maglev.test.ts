import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import {
  buildMhTable,
  compareChange,
  kernelListOrder,
  maglevForRealServers,
  mhLookup,
  mhOwners,
  mhSlotShares,
  MH_FLAG_FALLBACK,
  MH_FLAG_PORT,
  type MhDest,
} from './maglev.ts';
import { splitHostPort } from './addr.ts';
import { vectorFolders, readVectorFile } from '../testing/conformance.ts';

interface MhVector {
  destinationsInKernelListOrder: { dest: string; weight: number; lastWeight: number; hash1: number; hash2: number; offset: number; skip: number; turns: number }[];
  slotCounts: Record<string, number>;
  tableFirst32: string[];
  tableIndices: string;
  tableIndexString_sha256: string;
  lookups: { clientIP: string; clientPort: number; mhPort: boolean; mhFallback: boolean; hash1: number; slot: number; result: string | null }[];
}

const mhRoot = vectorFolders('kube-proxy-ipvs').includes('mh-maglev-derived');
const folders = mhRoot
  ? ['graceful-termination-weight-zero-no-fallback', 'graceful-termination-weight-zero-with-fallback', 'ipv6-three-dests',
     'three-dests-added-ascending', 'three-dests-added-descending', 'two-dests-after-removing-dot2', 'weighted-1-and-3']
  : [];

function destsOf(v: MhVector): MhDest[] {
  return v.destinationsInKernelListOrder.map((d) => {
    const hp = splitHostPort(d.dest)!;
    return { address: hp.ip, port: hp.port, weight: d.weight, lastWeight: d.lastWeight };
  });
}

describe.skipIf(!mhRoot)('mh: kernel Maglev tables (mh-maglev-derived)', () => {
  for (const f of folders) {
    it(f, () => {
      const raw = readVectorFile('kube-proxy-ipvs', `mh-maglev-derived/${f}`, 'expected.json');
      expect(raw, `missing ${f}/expected.json`).not.toBeNull();
      const v = JSON.parse(raw!) as MhVector;
      const t = buildMhTable(destsOf(v));
      expect(t.size).toBe(4093);
      expect(t.setups).toEqual(
        v.destinationsInKernelListOrder.map(({ dest, hash1, hash2, offset, skip, turns }) => ({ dest, hash1, hash2, offset, skip, turns })),
      );
      const counts = Object.fromEntries(mhSlotShares(t).map((s) => [s.dest, s.slots]));
      expect(counts).toEqual(v.slotCounts);
      expect(mhOwners(t).slice(0, 32)).toEqual(v.tableFirst32);
      const indices = Array.from(t.table, (i) => (i < 0 ? '-' : String(i))).join(',');
      expect(indices).toBe(v.tableIndices);
      expect(bytesToHex(sha256(utf8ToBytes(indices)))).toBe(v.tableIndexString_sha256);
      for (const l of v.lookups) {
        const flags = (l.mhPort ? MH_FLAG_PORT : 0) | (l.mhFallback ? MH_FLAG_FALLBACK : 0);
        const r = mhLookup(t, { address: l.clientIP, port: l.clientPort }, flags);
        expect({ hash1: r.hash1, slot: r.slot }, `${l.clientIP}:${l.clientPort}`).toEqual({ hash1: l.hash1, slot: l.slot });
        expect(r.dest === null ? null : t.setups[r.dest]!.dest, `${l.clientIP}:${l.clientPort}`).toBe(l.result);
      }
    });
  }
});

const three: MhDest[] = ['10.180.0.1', '10.180.0.2', '10.180.0.3'].map((a) => ({ address: a, port: 80, weight: 1 }));

describe('mh: algorithm properties', () => {
  it('records the fill turn by turn: one claim per destination per round, every slot once', () => {
    const t = buildMhTable(kernelListOrder(three), { recordSteps: true });
    const steps = t.steps!;
    expect(steps).toHaveLength(4093);
    expect(steps.slice(0, 3).map((s) => [s.round, s.dest])).toEqual([[0, 0], [0, 1], [0, 2]]);
    expect(steps[0]!.slot).toBe(t.setups[0]!.offset);
    expect(new Set(steps.map((s) => s.slot)).size).toBe(4093);
  });

  it('removing one of three backends moves far fewer slots than modulo hashing', () => {
    const before = kernelListOrder(three);
    const after = before.filter((d) => d.address !== '10.180.0.2');
    const c = compareChange(before, after);
    expect(c.maglev.moved - c.maglev.movedFromSurvivors).toBe(1364); // exactly .2's slots
    expect(c.maglev.movedFromSurvivors).toBeLessThan(20);
    expect(c.modulo.moved).toBeGreaterThan(2000);
  });

  it('an empty or all-zero destination list gives an empty table and no destination', () => {
    const t = buildMhTable([{ address: '10.0.0.1', port: 80, weight: 0, lastWeight: 0 }]);
    expect(t.slotCounts).toEqual([0]);
    expect(mhLookup(t, { address: '1.2.3.4', port: 1 }, MH_FLAG_PORT).dest).toBeNull();
    expect(buildMhTable([]).table.every((x) => x === -1)).toBe(true);
  });

  it('shares are within one slot of each other for equal weights (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 250 }), { minLength: 1, maxLength: 12 }), (octets) => {
        const t = buildMhTable(octets.map((o) => ({ address: `10.0.0.${o}`, port: 8080, weight: 1 })));
        const counts = t.slotCounts;
        return Math.max(...counts) - Math.min(...counts) <= 1 && counts.reduce((a, b) => a + b, 0) === 4093;
      }),
      { numRuns: 25 },
    );
  });
});

describe('mh: a virtual server view', () => {
  it('real servers in kube-proxy order give the ascending-add kernel table of the vectors', () => {
    const t = maglevForRealServers(three);
    expect(t.setups.map((s) => s.dest)).toEqual(['10.180.0.3:80', '10.180.0.2:80', '10.180.0.1:80']);
    expect(mhSlotShares(t).map((s) => s.slots)).toEqual([1365, 1364, 1364]);
  });
});
