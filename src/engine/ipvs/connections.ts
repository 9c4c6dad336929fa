// A virtual server's connection counters as the least-connection schedulers (lc, wlc, sed, nq)
// read them, and how they grow: each new connection is scheduled on the counters the earlier ones
// left, then counted on its real server. The kernel does this in ip_vs_bind_dest (activeconns++
// for a connection without IP_VS_CONN_F_INACTIVE); a TCP connection sits in inactconns while its
// handshake is under way (SYN_RECV) and moves to activeconns once ESTABLISHED (set_tcp_state).
// The simulation lets each handshake finish before the next connection arrives and keeps every
// connection open, so each new one lands in activeconns: a burst of clients that stay connected.
import { lcSchedule, nqSchedule, sedSchedule, wlcSchedule, type SchedDest } from './schedulers.ts';
import { MAX_CONNS } from './scheduler-names.ts';

export type ConnSchedulerName = 'lc' | 'wlc' | 'sed' | 'nq';
export const CONN_SCHEDULERS: readonly ConnSchedulerName[] = ['lc', 'wlc', 'sed', 'nq'];

export function isConnScheduler(s: string): s is ConnSchedulerName {
  return (CONN_SCHEDULERS as readonly string[]).includes(s);
}

/** ipvsadm's ActiveConn / InActConn of one real server */
export interface ConnCounts {
  active: number;
  inactive: number;
}

export { MAX_CONNS } from './scheduler-names.ts';

/** One scheduling decision under the counts the destinations carry (activeConns / inactConns). */
export function scheduleByConns(name: ConnSchedulerName, dests: readonly SchedDest[]): number | null {
  const list = dests as SchedDest[];
  switch (name) {
    case 'lc':
      return lcSchedule(list);
    case 'wlc':
      return wlcSchedule(list);
    case 'sed':
      return sedSchedule(list);
    case 'nq':
      return nqSchedule(list);
  }
}

export interface ConnSimulation {
  /** per new connection, the destination index it got; null: none available (ICMP unreachable, nothing counted) */
  picks: (number | null)[];
  /** the counters after all of them */
  after: ConnCounts[];
}

export function countsOf(dests: readonly SchedDest[]): ConnCounts[] {
  return dests.map((d) => ({ active: d.activeConns ?? 0, inactive: d.inactConns ?? 0 }));
}

/**
 * `n` new connections arriving one after another, none closing: each is scheduled by the
 * kernel's rule on the current counters and then adds one active connection to its destination.
 * `dests` must be in kernel list order: that order breaks ties.
 */
export function simulateConnections(name: ConnSchedulerName, dests: readonly SchedDest[], n: number): ConnSimulation {
  const cur = dests.map((d) => ({ ...d, activeConns: d.activeConns ?? 0, inactConns: d.inactConns ?? 0 }));
  const picks: (number | null)[] = [];
  for (let k = 0; k < n; k++) {
    const i = scheduleByConns(name, cur);
    picks.push(i);
    if (i !== null) cur[i]!.activeConns++;
  }
  return { picks, after: countsOf(cur) };
}

/**
 * A count as typed by a user or read from a link: a whole number from 0 to MAX_CONNS, else the
 * reason it is not one (for the input's message).
 */
export function readCount(raw: unknown): { ok: true; value: number } | { ok: false; reason: 'notWhole' | 'negative' | 'tooLarge' } {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(n) || !Number.isInteger(n)) return { ok: false, reason: 'notWhole' };
  if (n < 0) return { ok: false, reason: 'negative' };
  if (n > MAX_CONNS) return { ok: false, reason: 'tooLarge' };
  return { ok: true, value: n };
}
