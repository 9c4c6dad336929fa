import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalIP, cidrContains, formatCIDR, formatIP, ipFamilyOf, joinHostPort, parseCIDRSloppy, parseIPSloppy } from './ip.ts';

describe('sloppy IP parsing, Go printing', () => {
  it('reads leading zeros as decimal', () => {
    expect(canonicalIP('172.30.0.041')).toBe('172.30.0.41');
    expect(canonicalIP('010.180.00.001')).toBe('10.180.0.1');
  });
  it('rejects junk', () => {
    for (const bad of ['', '1.2.3', '1.2.3.256', 'a.b.c.d', ' 1.2.3.4', '1.2.3.4/8', 'fe80::1%eth0']) expect(canonicalIP(bad)).toBeNull();
  });
  it('compresses IPv6 like Go (longest zero run, first on ties, single zero group kept)', () => {
    expect(canonicalIP('FD00:AB34:0000:0000:0000:0000:0000:0020')).toBe('fd00:ab34::20');
    expect(canonicalIP('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIP('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIP('::')).toBe('::');
    expect(canonicalIP('::1')).toBe('::1');
    expect(canonicalIP('::ffff:1.2.3.4')).toBe('1.2.3.4');
  });
  it('knows families', () => {
    expect(ipFamilyOf('10.0.0.1')).toBe('IPv4');
    expect(ipFamilyOf('fd00::1')).toBe('IPv6');
    expect(ipFamilyOf('nope')).toBeNull();
  });
  it('masks CIDRs and tests containment', () => {
    const c = parseCIDRSloppy('203.0.113.000/025')!;
    expect(formatCIDR(c)).toBe('203.0.113.0/25');
    expect(formatCIDR(parseCIDRSloppy('192.168.0.2/24')!)).toBe('192.168.0.0/24');
    expect(cidrContains(parseCIDRSloppy('192.168.0.0/24')!, parseIPSloppy('192.168.0.2')!)).toBe(true);
    expect(cidrContains(parseCIDRSloppy('192.168.0.0/24')!, parseIPSloppy('192.168.1.2')!)).toBe(false);
    expect(parseCIDRSloppy('10.0.0.0/33')).toBeNull();
    expect(parseCIDRSloppy('10.0.0.0')).toBeNull();
  });
  it('brackets IPv6 in host:port', () => {
    expect(joinHostPort('fd00::1', 80)).toBe('[fd00::1]:80');
    expect(joinHostPort('10.0.0.1', 80)).toBe('10.0.0.1:80');
  });
  it('gives the same canonical text on the fast path as a full parse and print', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.stringMatching(/^[0-9]{1,4}$/), fc.constantFrom('', 'x', '-1', ' 1'));
    fc.assert(
      fc.property(fc.array(octet, { minLength: 3, maxLength: 5 }), (parts) => {
        const text = parts.join('.');
        const p = parseIPSloppy(text);
        expect(canonicalIP(text)).toBe(p ? formatIP(p) : null);
      }),
      { numRuns: 2000 },
    );
  });
});
