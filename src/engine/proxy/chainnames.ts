// kube-proxy's per-service and per-endpoint chain names (pkg/proxy/iptables/proxier.go:
// portProtoHash / servicePortPolicyClusterChain ... servicePortEndpointChainName): the first
// 16 characters of the standard base32 encoding of SHA-256(servicePortName + protocol [+ IP:port]).
import { sha256 } from '@noble/hashes/sha2.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const utf8 = new TextEncoder();

/** RFC 4648 base32 (no padding needed: callers take a prefix). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

// A 10k-Service sync names ~110k chains: the name is encoded into one reusable buffer (no
// TextEncoder round trip for ASCII) and hashed by @noble/hashes, a well-kept SHA-256.
let scratch = new Uint8Array(256);
const codes = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const CODES = codes(ALPHABET);
// the name's characters, prefix first: one String.fromCharCode makes the whole name flat
const bare: number[] = new Array(16).fill(0);
const sepName: number[] = [...codes('KUBE-SEP-'), ...bare];

/** Writes `text` as UTF-8 into the scratch buffer; returns the byte count. */
function encodeInto(text: string): number {
  const n = text.length;
  if (n * 3 > scratch.length) scratch = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return utf8.encodeInto(text, scratch).written;
    scratch[i] = c;
  }
  return n;
}

/** `into`'s prefix, then the first 16 base32 characters of SHA-256(text): 80 bits = 10 digest bytes. */
function hash16(text: string, into: number[]): string {
  const len = encodeInto(text);
  const digest = sha256(scratch.subarray(0, len));
  for (let i = 0, o = into.length - 16; i < 10; i += 5, o += 8) {
    const b0 = digest[i], b1 = digest[i + 1], b2 = digest[i + 2], b3 = digest[i + 3], b4 = digest[i + 4];
    into[o] = CODES[b0 >>> 3];
    into[o + 1] = CODES[((b0 & 7) << 2) | (b1 >>> 6)];
    into[o + 2] = CODES[(b1 >>> 1) & 31];
    into[o + 3] = CODES[((b1 & 1) << 4) | (b2 >>> 4)];
    into[o + 4] = CODES[((b2 & 15) << 1) | (b3 >>> 7)];
    into[o + 5] = CODES[(b3 >>> 2) & 31];
    into[o + 6] = CODES[((b3 & 3) << 3) | (b4 >>> 5)];
    into[o + 7] = CODES[b4 & 31];
  }
  return String.fromCharCode.apply(null, into);
}

/** 16-character hash of servicePortName + lowercase protocol. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol.toLowerCase(), bare);
}

export const svcChain = (name: string, proto: string) => `KUBE-SVC-${portProtoHash(name, proto)}`;
export const svlChain = (name: string, proto: string) => `KUBE-SVL-${portProtoHash(name, proto)}`;
export const extChain = (name: string, proto: string) => `KUBE-EXT-${portProtoHash(name, proto)}`;
export const fwChain = (name: string, proto: string) => `KUBE-FW-${portProtoHash(name, proto)}`;

/** KUBE-SEP- chain of one endpoint (`IP:port`, IPv6 bracketed) of one service port. */
export function sepChain(servicePortName: string, protocol: string, endpoint: string): string {
  return hash16(servicePortName + protocol.toLowerCase() + endpoint, sepName);
}

/** All chain names of one service port, computed once (hashing dominates large syncs). */
export interface ServicePortChains {
  svc: string;
  svl: string;
  ext: string;
  fw: string;
}

export function servicePortChains(name: string, protocol: string): ServicePortChains {
  const h = portProtoHash(name, protocol);
  return { svc: `KUBE-SVC-${h}`, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}` };
}
