import { describe, expect, it } from 'vitest';
import { MH_TABLE_SIZE } from '../../engine/ipvs/maglev.ts';
import type { VirtualServer } from '../../engine/ipvs/types.ts';
import { backendName, backendsOf, maglevChange, maglevView, ownersAtStep, parseBackend, type Backend } from './maglevModel.ts';

const nginx: VirtualServer = {
  address: '10.102.249.128',
  port: 80,
  protocol: 'TCP',
  scheduler: 'mh',
  flags: 0,
  timeout: 0,
  realServers: ['10.244.154.195', '10.244.154.196', '10.244.235.208'].map((address) => ({ address, port: 80, weight: 1 })),
};

describe('maglevView', () => {
  const added = backendsOf(nginx);
  const v = maglevView(added);

  it('fills all 4093 slots and splits them roughly evenly among three equal backends', () => {
    expect(v.table.size).toBe(MH_TABLE_SIZE);
    expect(v.shares.reduce((a, s) => a + s.slots, 0)).toBe(MH_TABLE_SIZE);
    for (const s of v.shares) expect(Math.abs(s.share - 1 / 3)).toBeLessThan(0.02);
  });

  it('lists backends in kernel order: the last added first', () => {
    expect(v.shares.map((s) => s.dest)).toEqual(added.map(backendName).reverse());
  });

  it('records one claim per slot, and the partial table matches the final one at the end', () => {
    expect(v.table.steps).toHaveLength(MH_TABLE_SIZE);
    expect(Array.from(ownersAtStep(v.table, MH_TABLE_SIZE))).toEqual(Array.from(v.table.table));
    const early = ownersAtStep(v.table, 3);
    expect(early.filter((x) => x >= 0)).toHaveLength(3);
    // the first turn of each backend takes its offset
    for (let i = 0; i < 3; i++) expect(early[v.table.setups[i]!.offset]).toBe(i);
    expect(ownersAtStep(v.table, -5).every((x) => x === -1)).toBe(true);
  });
});

describe('maglevChange', () => {
  const original = backendsOf(nginx);
  it('is null while the list is unchanged', () => {
    expect(maglevChange(original, original.map((b) => ({ ...b })))).toBeNull();
  });
  it('moves fewer slots under Maglev than under modulo hashing when one backend goes', () => {
    const c = maglevChange(original, original.slice(1))!;
    // about a third of the slots belonged to the removed backend; they must move
    expect(c.maglev.moved).toBeGreaterThan(MH_TABLE_SIZE / 4);
    expect(c.maglev.moved).toBeLessThan(c.modulo.moved);
    expect(c.modulo.moved).toBeGreaterThan(MH_TABLE_SIZE / 2);
  });
});

describe('parseBackend', () => {
  const existing: Backend[] = backendsOf(nginx);
  it('reads ip:port, [ipv6]:port and a bare address with the default port', () => {
    expect(parseBackend(' 10.244.1.9:8080 ', 80, existing)).toEqual({ ok: true, backend: { address: '10.244.1.9', port: 8080, weight: 1 } });
    expect(parseBackend('[fd00::0:1]:81', 80, existing)).toEqual({ ok: true, backend: { address: 'fd00::1', port: 81, weight: 1 } });
    expect(parseBackend('fd00::2', 80, existing)).toEqual({ ok: true, backend: { address: 'fd00::2', port: 80, weight: 1 } });
    expect(parseBackend('10.0.0.7', 80, existing)).toEqual({ ok: true, backend: { address: '10.0.0.7', port: 80, weight: 1 } });
  });
  it('says why it refuses', () => {
    expect(parseBackend('nginx:80', 80, existing)).toEqual({ ok: false, reason: 'address' });
    expect(parseBackend('10.0.0.1:0', 80, existing)).toEqual({ ok: false, reason: 'port' });
    expect(parseBackend('10.0.0.1:70000', 80, existing)).toEqual({ ok: false, reason: 'port' });
    expect(parseBackend('10.244.154.195:80', 80, existing)).toEqual({ ok: false, reason: 'duplicate' });
    expect(parseBackend('', 80, existing).ok).toBe(false);
  });
});
