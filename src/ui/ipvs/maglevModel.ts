// What the `Maglev lookup table` view shows, computed from a backend list: the kernel's table
// (offset/skip per backend, the fill turn by turn, slot shares) and how many slots move when the
// list is edited, against modulo hashing. A few milliseconds for 4093 slots, so it stays on the
// main thread (measured: build ≈ 1–6 ms, a before/after comparison ≈ 15–20 ms).
import { buildMhTable, compareChange, kernelListOrder, mhSlotShares, type ChangeComparison, type MhDest, type MhTable, type SlotShare } from '../../engine/ipvs/maglev.ts';
import { canonicalIp, hostPort } from '../../engine/ipvs/addr.ts';
import type { VirtualServer } from '../../engine/ipvs/types.ts';

export interface Backend {
  address: string;
  port: number;
  weight: number;
}

/** Backends of a virtual server in kube-proxy's (sorted ip:port) order, i.e. the order they were added. */
export function backendsOf(vs: VirtualServer): Backend[] {
  return vs.realServers.map((r) => ({ address: r.address, port: r.port, weight: r.weight }));
}

export function backendName(b: Backend): string {
  return hostPort(b.address, b.port);
}

/** The kernel list: each added destination goes to the head, so the addition order reversed. */
function kernelDests(added: Backend[]): MhDest[] {
  return kernelListOrder(added.map((b) => ({ address: b.address, port: b.port, weight: b.weight })));
}

export interface MaglevView {
  table: MhTable;
  shares: SlotShare[];
}

export function maglevView(added: Backend[]): MaglevView {
  const table = buildMhTable(kernelDests(added), { recordSteps: true });
  return { table, shares: mhSlotShares(table) };
}

/** Slots that move from the original backends to the edited ones; null while nothing was edited. */
export function maglevChange(original: Backend[], edited: Backend[]): ChangeComparison | null {
  const same = original.length === edited.length && original.every((b, i) => backendName(b) === backendName(edited[i]!) && b.weight === edited[i]!.weight);
  return same ? null : compareChange(kernelDests(original), kernelDests(edited));
}

/** Slot owners after the first `step` claims of the fill (-1 = still empty). */
export function ownersAtStep(t: MhTable, step: number): Int32Array {
  const out = new Int32Array(t.size).fill(-1);
  const steps = t.steps ?? [];
  const n = Math.max(0, Math.min(step, steps.length));
  for (let i = 0; i < n; i++) out[steps[i]!.slot] = steps[i]!.dest;
  return out;
}

export type ParsedBackend = { ok: true; backend: Backend } | { ok: false; reason: 'syntax' | 'address' | 'port' | 'duplicate' };

/** `ip:port` or `[ipv6]:port` typed into `New backend`; the VS port is the default when no port is given. */
export function parseBackend(text: string, defaultPort: number, existing: Backend[]): ParsedBackend {
  const s = text.trim();
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? /^([^:]+)(?::(\d+))?$/.exec(s) ?? (s.includes(':') ? [s, s, undefined] : null);
  if (!m) return { ok: false, reason: 'syntax' };
  const ip = canonicalIp(m[1]!);
  if (!ip) return { ok: false, reason: 'address' };
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, reason: 'port' };
  const backend = { address: ip, port, weight: 1 };
  if (existing.some((b) => backendName(b) === backendName(backend))) return { ok: false, reason: 'duplicate' };
  return { ok: true, backend };
}
