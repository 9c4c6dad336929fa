import { describe, expect, it } from 'vitest';
import { base32, portProtoHash, sepChain, servicePortChains, svcChain } from './chainnames.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';

describe('base32', () => {
  it('matches RFC 4648 test vectors (without padding)', () => {
    const enc = (s: string) => base32(new TextEncoder().encode(s));
    expect(enc('')).toBe('');
    expect(enc('f')).toBe('MY');
    expect(enc('fo')).toBe('MZXQ');
    expect(enc('foo')).toBe('MZXW6');
    expect(enc('foob')).toBe('MZXW6YQ');
    expect(enc('fooba')).toBe('MZXW6YTB');
    expect(enc('foobar')).toBe('MZXW6YTBOI');
  });
});

describe('kube-proxy chain names', () => {
  it('hashes ns/name:port + lowercase protocol', () => {
    expect(portProtoHash('ns1/svc1:p80', 'TCP')).toBe('XPGD46QRK7WJZT7O');
    expect(portProtoHash('ns2/svc2:p8080', 'tcp')).toBe('2VJB64SDSIJUP5T6');
  });
  it('names the seed service chain', () => {
    expect(svcChain('default/nginx-basic:http', 'TCP')).toBe('KUBE-SVC-WWRFY3PZ7W3FGMQW');
  });
  it('names the seed endpoint chains', () => {
    const n = 'default/nginx-basic:http';
    expect(sepChain(n, 'TCP', '10.244.154.195:80')).toBe('KUBE-SEP-TPL3DXVO5A7FMTEY');
    expect(sepChain(n, 'TCP', '10.244.154.196:80')).toBe('KUBE-SEP-WC7WUVTVEWVSPTYM');
    expect(sepChain(n, 'TCP', '10.244.235.208:80')).toBe('KUBE-SEP-5WXBOBXHEYR4QL4Y');
  });
  it('names endpoint chains from the conformance vectors, IPv6 bracketed', () => {
    expect(sepChain('ns1/svc1:p80', 'TCP', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
    expect(sepChain('ns1/svc1:p80', 'TCP', '[ff06::c1]:80')).toBe('KUBE-SEP-LIGRYQQLSZN4UWQ5');
    expect(sepChain('ns1/svc1:p80', 'TCP', '[ff06::c2]:80')).toBe('KUBE-SEP-XJJ5QXWGJG344QDZ');
  });
  it('gives every prefix the same hash and differs by protocol', () => {
    const c = servicePortChains('ns1/svc1:p80', 'TCP');
    expect(c).toEqual({
      svc: 'KUBE-SVC-XPGD46QRK7WJZT7O',
      svl: 'KUBE-SVL-XPGD46QRK7WJZT7O',
      ext: 'KUBE-EXT-XPGD46QRK7WJZT7O',
      fw: 'KUBE-FW-XPGD46QRK7WJZT7O',
    });
    expect(portProtoHash('ns1/svc1:p80', 'UDP')).not.toBe(c.svc.slice(9));
    expect(c.fw.length).toBeLessThanOrEqual(28);
  });
});

describe('chain-name hashing over a reused buffer', () => {
  // the reference: the library's one-shot API on a fresh encoding, base32, first 16 characters
  const reference = (s: string) => base32(sha256(new TextEncoder().encode(s))).slice(0, 16);
  it('agrees with one-shot SHA-256 for ASCII, non-ASCII, empty, multi-block and long names', () => {
    const names = ['', 'a', 'ns/é:p', 'ns/日本:http', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'w'.repeat(300), 'ns/ü'.repeat(200)];
    for (const n of names) expect(portProtoHash(n, 'TCP')).toBe(reference(n + 'tcp'));
  });
  it('is not disturbed by interleaved calls of different lengths', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 120 }), { minLength: 1, maxLength: 8 }), (names) => {
        const got = names.map((n) => sepChain(n, 'UDP', '10.0.0.1:53'));
        expect(got).toEqual(names.map((n) => `KUBE-SEP-${reference(n + 'udp10.0.0.1:53')}`));
      }),
    );
  });
});
