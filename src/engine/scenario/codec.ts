// The share link: `#s=<base64url(raw-deflate(UTF-8 JSON {v, ...}))>` (CONTRACTS.md, "Share links").
// Pure and synchronous so it runs the same in the page, the worker and Vitest. A link is
// untrusted input: every field is checked, inflation is capped (a deflate bomb is refused
// before it fills memory), and every refusal carries a stable code the UI can translate.

import { CLUSTER_PRESET_IDS, K8S_VERSIONS, type ClusterPresetChoice, type K8sVersionChoice } from './clusterSettings.ts';
import { deflateSync, Inflate } from 'fflate';
import type { ProxyMode } from '../pipeline.ts';
import type { PodReadiness } from '../k8s/types.ts';
import { SCHEDULERS, type SchedulerName } from '../ipvs/scheduler-names.ts';
import { readIpvsConns, type IpvsConns } from '../ipvs/conn-counts.ts';

export const SHARE_VERSION = 1;
/** the most decompressed JSON a link may hold: far above any real scenario, far below a bomb */
export const MAX_INFLATED_BYTES = 4 * 1024 * 1024;
/** a base64url payload longer than this cannot come from a link a browser would keep */
export const MAX_PAYLOAD_CHARS = 2 * 1024 * 1024;
/** same limit the manifest layer applies (the API server's 3 MiB request limit) */
export const MAX_YAML_CHARS = 3 * 1024 * 1024;

export type Protocol = 'tcp' | 'udp' | 'sctp';
export type Lang = 'en' | 'zh-CN';
export type Screen = 'generate' | 'explain';

export interface ShareState {
  v: typeof SHARE_VERSION;
  yaml: string;
  mode: ProxyMode;
  /** node whose rules are shown; '' = the engine's default */
  node: string;
  src: string;
  dst: string;
  proto: Protocol;
  /** playback cursor: index into the trace events, 0 when nothing was sent */
  cursor: number;
  lang: Lang;
  /** scenario id the YAML came from, '' when the user wrote their own */
  scenario: string;
  /** iptables text form shown in `Node rules` */
  output: 'restore' | 'save';
  screen: Screen;
  /** the dump pasted in `Explain a dump` */
  dump: string;
  /** pods the user clicked to another readiness on the map, by "namespace/name" */
  readiness: Record<string, PodReadiness>;
  /** Kubernetes version chosen by the user; '' = the scenario's own */
  k8sVersion: K8sVersionChoice;
  /** default cluster for YAML that names no nodes; '' = 3 nodes in 2 zones */
  nodes: ClusterPresetChoice;
  /** IPVS mode's scheduler (kube-proxy's --ipvs-scheduler); '' = the scenario's own (kube-proxy default rr) */
  ipvsScheduler: '' | SchedulerName;
  /** IPVS connection counters the user set for lc/wlc/sed/nq, `PROTO vip:port -> rip:port` → [active, inactive]; absent = all 0 (older links) */
  ipvsConns?: IpvsConns;
}

export type CodecErrorCode =
  | 'share.empty'
  | 'share.tooLong'
  | 'share.notBase64'
  | 'share.notDeflate'
  | 'share.tooLarge'
  | 'share.notUtf8'
  | 'share.notJson'
  | 'share.notObject'
  | 'share.badVersion'
  | 'share.futureVersion'
  | 'share.badField';

export class ShareError extends Error {
  readonly code: CodecErrorCode;
  readonly params: Record<string, string | number>;
  constructor(code: CodecErrorCode, message: string, params: Record<string, string | number> = {}) {
    super(message);
    this.name = 'ShareError';
    this.code = code;
    this.params = params;
  }
}

export type DecodeResult = { ok: true; state: ShareState; migratedFrom?: number } | { ok: false; error: ShareError };

export const DEFAULT_SHARE_STATE: ShareState = {
  v: SHARE_VERSION,
  yaml: '',
  mode: 'iptables',
  node: '',
  src: '',
  dst: '',
  proto: 'tcp',
  cursor: 0,
  lang: 'en',
  scenario: '',
  output: 'save',
  screen: 'generate',
  dump: '',
  readiness: {},
  k8sVersion: '',
  nodes: '',
  ipvsScheduler: '',
  ipvsConns: {},
};

// --- base64url over bytes (btoa/atob exist in browsers, workers and Node 20) ---

export function bytesToBase64Url(bytes: Uint8Array): string {
  let bin = '';
  // fromCharCode with a spread has an argument limit; 32 KiB chunks stay well under it
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlToBytes(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) {
    throw new ShareError('share.notBase64', 'the link is damaged: its payload is not base64url');
  }
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// --- capped inflate ---

/** Raw-inflates `data`, refusing (without finishing) once the output passes `cap` bytes. */
export function inflateCapped(data: Uint8Array, cap = MAX_INFLATED_BYTES): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  let ended = false;
  const inf = new Inflate((chunk, final) => {
    if (tooLarge) return;
    total += chunk.length;
    if (total > cap) {
      tooLarge = true;
      return;
    }
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    // Feed in small slices so a bomb is noticed after at most one slice's worth of output.
    const step = 1024;
    for (let i = 0; i < data.length && !tooLarge; i += step) {
      const end = Math.min(i + step, data.length);
      inf.push(data.subarray(i, end), end === data.length);
    }
    if (data.length === 0) inf.push(new Uint8Array(0), true);
  } catch (e) {
    if (tooLarge) throw tooLargeError(cap);
    throw new ShareError('share.notDeflate', `the link is damaged: ${(e as Error).message || 'not deflate data'}`);
  }
  if (tooLarge) throw tooLargeError(cap);
  if (!ended) throw new ShareError('share.notDeflate', 'the link is damaged: its compressed data is cut short');
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function tooLargeError(cap: number): ShareError {
  return new ShareError('share.tooLarge', `the link unpacks to more than ${cap / (1024 * 1024)} MiB; refused`, {
    limit: cap,
  });
}

// --- encode / decode ---

export function encodeShare(state: ShareState): string {
  const json = JSON.stringify({ ...state, v: SHARE_VERSION });
  const bytes = deflateSync(new TextEncoder().encode(json), { level: 9 });
  return bytesToBase64Url(bytes);
}

/** The payload after `#s=` in a location hash, or null when the hash holds no share link. */
export function payloadFromHash(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of h.split('&')) {
    if (part.startsWith('s=')) return part.slice(2);
  }
  return null;
}

export function decodeShare(payload: string): DecodeResult {
  try {
    if (payload.length === 0) throw new ShareError('share.empty', 'the link holds no scenario');
    if (payload.length > MAX_PAYLOAD_CHARS) {
      throw new ShareError('share.tooLong', 'the link is too long to be a svcpath link; refused');
    }
    const bytes = inflateCapped(base64UrlToBytes(payload));
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ShareError('share.notUtf8', 'the link is damaged: its text is not UTF-8');
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ShareError('share.notJson', `the link is damaged: ${(e as Error).message}`);
    }
    return migrateAndValidate(raw);
  } catch (e) {
    if (e instanceof ShareError) return { ok: false, error: e };
    return { ok: false, error: new ShareError('share.notDeflate', `the link is damaged: ${String(e)}`) };
  }
}

const MODES: readonly ProxyMode[] = ['iptables', 'ipvs', 'nftables'];
const PROTOS: readonly Protocol[] = ['tcp', 'udp', 'sctp'];
const LANGS: readonly Lang[] = ['en', 'zh-CN'];

/**
 * Turns whatever JSON a link held into a ShareState: older versions are migrated, unknown
 * fields dropped (never copied: no prototype keys survive), every known field type-checked.
 */
export function migrateAndValidate(raw: unknown): DecodeResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail('share.notObject', 'the link does not hold a svcpath scenario');
  }
  const o = raw as Record<string, unknown>;
  const v = o.v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    return fail('share.badVersion', 'the link has no valid version field "v"');
  }
  if (v > SHARE_VERSION) {
    return fail('share.futureVersion', `the link is from a newer svcpath (version ${v}); this one reads up to ${SHARE_VERSION}`, {
      version: v,
    });
  }
  let migratedFrom: number | undefined;
  let src: Record<string, unknown> = o;
  if (v === 0) {
    // v0 (the prototype) kept the YAML under "text" and had no mode: iptables was the only one.
    src = { ...o, yaml: o.yaml ?? o.text, mode: o.mode ?? 'iptables' };
    migratedFrom = 0;
  }
  const s: ShareState = { ...DEFAULT_SHARE_STATE };
  const str = (k: keyof ShareState, max: number): ShareError | null => {
    const val = src[k];
    if (val === undefined) return null;
    if (typeof val !== 'string') return badField(k, 'a string');
    if (val.length > max) return badField(k, `at most ${max} characters`);
    (s as unknown as Record<string, unknown>)[k] = val;
    return null;
  };
  const oneOf = <T extends string>(k: keyof ShareState, allowed: readonly T[]): ShareError | null => {
    const val = src[k];
    if (val === undefined) return null;
    if (typeof val !== 'string' || !allowed.includes(val as T)) return badField(k, `one of ${allowed.join(', ')}`);
    (s as unknown as Record<string, unknown>)[k] = val;
    return null;
  };
  const errs = [
    str('yaml', MAX_YAML_CHARS),
    oneOf('mode', MODES),
    str('node', 253),
    str('src', 300),
    str('dst', 300),
    oneOf('proto', PROTOS),
    oneOf('lang', LANGS),
    str('scenario', 100),
    oneOf('output', ['restore', 'save'] as const),
    oneOf('screen', ['generate', 'explain'] as const),
    str('dump', MAX_YAML_CHARS),
    oneOf('k8sVersion', ['', ...K8S_VERSIONS] as const),
    oneOf('nodes', CLUSTER_PRESET_IDS),
    oneOf('ipvsScheduler', ['', ...SCHEDULERS] as const),
  ];
  if (src.readiness !== undefined) {
    const r = readReadiness(src.readiness);
    if (r === null) errs.push(badField('readiness', 'a map of "namespace/name" to ready, notReady or terminating'));
    else s.readiness = r;
  }
  if (src.ipvsConns !== undefined) {
    const c = readIpvsConns(src.ipvsConns);
    if (c === null) errs.push(badField('ipvsConns', 'a map of "PROTO vip:port -> rip:port" to [active, inactive] whole numbers'));
    else s.ipvsConns = c;
  }
  if (src.cursor !== undefined) {
    const c = src.cursor;
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 1_000_000) errs.push(badField('cursor', 'a whole number ≥ 0'));
    else s.cursor = c;
  }
  const first = errs.find((e) => e !== null);
  if (first) return { ok: false, error: first };
  return migratedFrom === undefined ? { ok: true, state: s } : { ok: true, state: s, migratedFrom };
}

const READINESS: readonly PodReadiness[] = ['ready', 'notReady', 'terminating'];
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function readReadiness(v: unknown): Record<string, PodReadiness> | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > 10_000) return null;
  const out: Record<string, PodReadiness> = {};
  for (const [k, val] of entries) {
    if (FORBIDDEN_KEYS.has(k) || k.length > 320 || typeof val !== 'string' || !READINESS.includes(val as PodReadiness)) return null;
    out[k] = val as PodReadiness;
  }
  return out;
}

function badField(field: string, expected: string): ShareError {
  return new ShareError('share.badField', `the link's field "${field}" must be ${expected}`, { field, expected });
}

function fail(code: CodecErrorCode, message: string, params: Record<string, string | number> = {}): DecodeResult {
  return { ok: false, error: new ShareError(code, message, params) };
}
