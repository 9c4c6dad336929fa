// Connection counters a user set for real servers, kept apart from the generated state (a share
// link field) and laid over it when the packet path needs them: the counters then travel inside
// the IpvsDataplane as `ipvsadm -Ln` shows them (ActiveConn / InActConn), so nothing that carries
// a dataplane has to know about them.
import { hostPort } from '../util/hostport.ts';
import { MAX_CONNS } from './scheduler-names.ts';
import type { IpvsDataplane, RealServer, VirtualServer } from './types.ts';
import { virtualServerKey } from './types.ts';

/** `TCP 10.96.0.10:80 -> 10.244.1.5:80` → [active, inactive] */
export type IpvsConns = Record<string, [number, number]>;

/** The same real server behind two virtual servers has two counters, as in the kernel (one ip_vs_dest each). */
export function connKey(vs: Pick<VirtualServer, 'protocol' | 'address' | 'port'>, rs: Pick<RealServer, 'address' | 'port'>): string {
  return `${virtualServerKey(vs)} -> ${hostPort(rs.address, rs.port)}`;
}

/** The dataplane with the user's counters on its real servers; the same object when none apply. */
export function withConnCounts<T extends Pick<IpvsDataplane, 'virtualServers'>>(dp: T, conns: IpvsConns | undefined): T {
  if (!conns || Object.keys(conns).length === 0) return dp;
  let changed = false;
  const virtualServers = dp.virtualServers.map((vs) => {
    let touched = false;
    const realServers = vs.realServers.map((rs) => {
      const c = Object.prototype.hasOwnProperty.call(conns, connKey(vs, rs)) ? conns[connKey(vs, rs)] : undefined;
      if (!c) return rs;
      touched = true;
      return { ...rs, activeConns: c[0], inactConns: c[1] };
    });
    if (!touched) return vs;
    changed = true;
    return { ...vs, realServers };
  });
  return changed ? { ...dp, virtualServers } : dp;
}

/** The counters of one real server under `conns`, else what the dataplane says (0 when generated). */
export function countsFor(vs: VirtualServer, rs: RealServer, conns: IpvsConns | undefined): [number, number] {
  const c = conns && Object.prototype.hasOwnProperty.call(conns, connKey(vs, rs)) ? conns[connKey(vs, rs)] : undefined;
  return c ?? [rs.activeConns ?? 0, rs.inactConns ?? 0];
}

/** A copy with one counter set; a real server back at 0 / 0 leaves the map, so links stay short. */
export function setConnCount(conns: IpvsConns | undefined, key: string, which: 'active' | 'inactive', value: number, base: [number, number]): IpvsConns {
  const out: IpvsConns = { ...(conns ?? {}) };
  const cur = out[key] ?? base;
  const next: [number, number] = which === 'active' ? [value, cur[1]] : [cur[0], value];
  if (next[0] === 0 && next[1] === 0) delete out[key];
  else out[key] = next;
  return out;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_CONN_ENTRIES = 10_000;

/** Reads the field from untrusted JSON (a share link, the autosave); null when it is not one. */
export function readIpvsConns(v: unknown): IpvsConns | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > MAX_CONN_ENTRIES) return null;
  const out: IpvsConns = {};
  for (const [k, c] of entries) {
    if (FORBIDDEN.has(k) || k.length > 200 || !Array.isArray(c) || c.length !== 2) return null;
    const [a, i] = c as unknown[];
    const ok = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= MAX_CONNS;
    if (!ok(a) || !ok(i)) return null;
    out[k] = [a as number, i as number];
  }
  return out;
}
