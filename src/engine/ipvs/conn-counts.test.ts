import { describe, expect, it } from 'vitest';
import { connKey, countsFor, readIpvsConns, setConnCount, withConnCounts, MAX_CONN_ENTRIES } from './conn-counts.ts';
import { MAX_CONNS } from './connections.ts';
import type { VirtualServer } from './types.ts';
import { DEFAULT_SHARE_STATE, decodeShare, encodeShare, migrateAndValidate } from '../scenario/codec.ts';

const vs = (address: string, port: number): VirtualServer => ({
  address, port, protocol: 'TCP', scheduler: 'lc', flags: 0, timeout: 0,
  realServers: [{ address: '10.244.1.5', port: 80, weight: 1 }, { address: '10.244.2.7', port: 80, weight: 1 }],
});

describe('connection counters laid over the dataplane', () => {
  it('keys a real server by its virtual server: the same pod behind two virtual servers has two counters', () => {
    const a = vs('10.96.0.10', 80);
    const b = vs('192.168.0.2', 30080);
    expect(connKey(a, a.realServers[0]!)).toBe('TCP 10.96.0.10:80 -> 10.244.1.5:80');
    const dp = { virtualServers: [a, b] };
    const out = withConnCounts(dp, { 'TCP 10.96.0.10:80 -> 10.244.1.5:80': [4, 9] });
    expect(out.virtualServers[0]!.realServers[0]).toMatchObject({ activeConns: 4, inactConns: 9 });
    expect(out.virtualServers[0]!.realServers[1]).toBe(a.realServers[1]);
    expect(out.virtualServers[1]).toBe(b);
    // the generated state is not changed, and nothing to lay over gives the same object back
    expect(a.realServers[0]!.activeConns).toBeUndefined();
    expect(withConnCounts(dp, {})).toBe(dp);
    expect(withConnCounts(dp, { 'TCP 10.96.0.99:80 -> 10.244.1.5:80': [1, 1] })).toBe(dp);
    expect(withConnCounts(dp, undefined)).toBe(dp);
  });

  it('IPv6 real servers are keyed in brackets, as ipvsadm prints them', () => {
    const v: VirtualServer = { ...vs('fd00::a', 80), realServers: [{ address: 'fd00:10::5', port: 80, weight: 1 }] };
    expect(connKey(v, v.realServers[0]!)).toBe('TCP [fd00::a]:80 -> [fd00:10::5]:80');
  });

  it('setting a count keeps the other, and a real server back at 0 / 0 leaves the map', () => {
    const a = vs('10.96.0.10', 80);
    const k = connKey(a, a.realServers[0]!);
    let c = setConnCount(undefined, k, 'active', 3, countsFor(a, a.realServers[0]!, undefined));
    expect(c).toEqual({ [k]: [3, 0] });
    c = setConnCount(c, k, 'inactive', 7, countsFor(a, a.realServers[0]!, c));
    expect(c).toEqual({ [k]: [3, 7] });
    expect(countsFor(a, a.realServers[0]!, c)).toEqual([3, 7]);
    const before = c;
    c = setConnCount(c, k, 'active', 0, [3, 7]);
    c = setConnCount(c, k, 'inactive', 0, [0, 7]);
    expect(c).toEqual({});
    expect(before).toEqual({ [k]: [3, 7] });
    // counters a pasted ipvsadm -Ln carried are the default
    const pasted = { ...a.realServers[1]!, activeConns: 2, inactConns: 1 };
    expect(countsFor(a, pasted, {})).toEqual([2, 1]);
  });

  it('reads untrusted JSON strictly', () => {
    expect(readIpvsConns({ 'TCP 10.96.0.10:80 -> 10.244.1.5:80': [1, 2] })).toEqual({ 'TCP 10.96.0.10:80 -> 10.244.1.5:80': [1, 2] });
    for (const bad of [null, [], 'x', { k: [1] }, { k: [1, -1] }, { k: [1.5, 0] }, { k: ['1', 0] }, { k: [MAX_CONNS + 1, 0] }, JSON.parse('{"__proto__":[1,1]}')]) {
      expect(readIpvsConns(bad)).toBeNull();
    }
    const many = Object.fromEntries(Array.from({ length: MAX_CONN_ENTRIES + 1 }, (_, i) => [`k${i}`, [0, 1]]));
    expect(readIpvsConns(many)).toBeNull();
  });
});

describe('the ipvsConns share-link field', () => {
  const conns = { 'TCP 10.102.249.128:80 -> 10.244.154.195:80': [12, 3] as [number, number] };

  it('survives a link', () => {
    const back = decodeShare(encodeShare({ ...DEFAULT_SHARE_STATE, mode: 'ipvs', ipvsScheduler: 'lc', ipvsConns: conns }));
    expect(back.ok && back.state.ipvsConns).toEqual(conns);
  });

  it('an older link without the field opens with no counters (and replaces any autosaved ones)', () => {
    const { ipvsConns: _drop, ...old } = DEFAULT_SHARE_STATE;
    const r = migrateAndValidate(old);
    expect(r.ok && r.state.ipvsConns).toEqual({});
  });

  it('a damaged field is refused with a message naming it', () => {
    const r = migrateAndValidate({ ...DEFAULT_SHARE_STATE, ipvsConns: { 'TCP 10.96.0.10:80 -> 10.244.1.5:80': [-3, 0] } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('share.badField');
      expect(r.error.message).toContain('ipvsConns');
    }
  });
});
