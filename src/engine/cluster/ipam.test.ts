import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng.ts';
import { parseCIDR, type ParsedCIDR } from './ip.ts';
import { calculateRangeOffset, NodePortAllocator, parsePortRange, ServiceIPAllocator } from './ipam.ts';

const cidr = (t: string) => parseCIDR(t) as ParsedCIDR;

describe('service IP allocator (KEP-3070 bands)', () => {
  it('static band sizes follow min(max(16, size/16), 256)', () => {
    expect(new ServiceIPAllocator(cidr('10.96.0.0/12')).staticBand).toBe(256n);
    expect(new ServiceIPAllocator(cidr('10.96.0.0/16')).staticBand).toBe(256n);
    expect(new ServiceIPAllocator(cidr('10.0.0.0/24')).staticBand).toBe(16n);
    expect(new ServiceIPAllocator(cidr('10.0.0.0/28')).staticBand).toBe(0n);
    expect(calculateRangeOffset(2768n, 32n, 128n)).toBe(86n);
  });

  it('dynamic allocations stay out of the static band until the dynamic band is full', () => {
    const a = new ServiceIPAllocator(cidr('10.0.0.0/24'));
    const rng = createRng(5);
    const got: string[] = [];
    for (let i = 0; i < 238; i++) {
      const r = a.allocateNext(rng);
      expect(r.ok).toBe(true);
      if (r.ok) got.push(r.value);
    }
    const last = got.map((ip) => Number(ip.split('.')[3]));
    expect(Math.min(...last)).toBe(17);
    expect(Math.max(...last)).toBe(254);
    expect(new Set(got).size).toBe(238);
    // dynamic band full: the static band is used next
    const r = a.allocateNext(rng);
    expect(r.ok && Number(r.value.split('.')[3]) <= 16).toBe(true);
    for (let i = 0; i < 15; i++) expect(a.allocateNext(rng).ok).toBe(true);
    expect(a.allocateNext(rng)).toEqual({ ok: false, error: 'range is full' });
  });

  it('specific requests: any free usable address; network, broadcast and outsiders refused', () => {
    const a = new ServiceIPAllocator(cidr('10.96.0.0/12'));
    expect(a.allocate('10.96.0.10')).toEqual({ ok: true, value: '10.96.0.10' });
    expect(a.allocate('10.96.0.10')).toEqual({ ok: false, error: 'provided IP is already allocated' });
    expect(a.allocate('192.168.0.10')).toEqual({
      ok: false,
      error: 'the provided IP (192.168.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    });
    expect(a.allocate('10.96.0.0').ok).toBe(false);
    expect(a.allocate('10.111.255.255').ok).toBe(false);
    expect(a.allocate('10.111.255.254').ok).toBe(true);
    expect(a.nth(1)).toBe('10.96.0.1');
    expect(a.nth(10)).toBe('10.96.0.10');
  });

  it('IPv6 ranges allocate too (only the network address is excluded)', () => {
    const a = new ServiceIPAllocator(cidr('fd00:10:96::/112'));
    const r = a.allocateNext(createRng(3));
    expect(r.ok && r.value.startsWith('fd00:10:96::')).toBe(true);
    expect(a.allocate('fd00:10:96::ffff').ok).toBe(true);
  });

  it('is deterministic under the seed', () => {
    const run = (seed: number) => {
      const a = new ServiceIPAllocator(cidr('10.96.0.0/12'));
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => {
        const r = a.allocateNext(rng);
        return r.ok ? r.value : '';
      });
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });
});

describe('NodePort allocator (KEP-3668 bands)', () => {
  it('auto-allocates from 30086-32767 first, then 30000-30085', () => {
    const a = new NodePortAllocator({ base: 30000, size: 2768 });
    expect(a.staticBand).toBe(86);
    const rng = createRng(2);
    for (let i = 0; i < 2682; i++) {
      const r = a.allocateNext(rng);
      expect(r.ok && r.value >= 30086 && r.value <= 32767).toBe(true);
    }
    const r = a.allocateNext(rng);
    expect(r.ok && r.value >= 30000 && r.value <= 30085).toBe(true);
  });

  it('refuses with the API server texts', () => {
    const a = new NodePortAllocator({ base: 30000, size: 2768 });
    expect(a.allocate(80)).toEqual({ ok: false, error: 'provided port is not in the valid range. The range of valid ports is 30000-32767' });
    expect(a.allocate(30080)).toEqual({ ok: true, value: 30080 });
    expect(a.allocate(30080)).toEqual({ ok: false, error: 'provided port is already allocated' });
  });

  it('parses --service-node-port-range forms', () => {
    expect(parsePortRange('30000-32767')).toEqual({ base: 30000, size: 2768 });
    expect(parsePortRange('30000+2767')).toEqual({ base: 30000, size: 2768 });
    expect(parsePortRange('abc')).toBeNull();
  });
});
