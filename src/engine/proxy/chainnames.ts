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

/** 16-character hash of servicePortName + lowercase protocol. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return base32(sha256(utf8.encode(servicePortName + protocol.toLowerCase()))).slice(0, 16);
}

export const svcChain = (name: string, proto: string) => `KUBE-SVC-${portProtoHash(name, proto)}`;
export const svlChain = (name: string, proto: string) => `KUBE-SVL-${portProtoHash(name, proto)}`;
export const extChain = (name: string, proto: string) => `KUBE-EXT-${portProtoHash(name, proto)}`;
export const fwChain = (name: string, proto: string) => `KUBE-FW-${portProtoHash(name, proto)}`;

/** KUBE-SEP- chain of one endpoint (`IP:port`, IPv6 bracketed) of one service port. */
export function sepChain(servicePortName: string, protocol: string, endpoint: string): string {
  const h = sha256(utf8.encode(servicePortName + protocol.toLowerCase() + endpoint));
  return `KUBE-SEP-${base32(h).slice(0, 16)}`;
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
