// Pod state as the controllers read it: readiness, termination, IPs.
import type { Pod, PodReadiness } from '../k8s/types.ts';

/** A fixed stand-in for "deletion requested": the engine has no clock. */
export const SIMULATED_DELETION_TIMESTAMP = '1970-01-01T00:00:00Z';

export function nsOf(obj: { metadata?: { namespace?: string } }): string {
  return obj.metadata?.namespace || 'default';
}

export function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${nsOf(obj)}/${obj.metadata?.name ?? ''}`;
}

/** Deterministic UUID-shaped uid (version-4 layout) from an object's identity. Not random like
 *  a real one, but stable, so targetRefs and links survive a re-simulation. Four salted FNV-1a
 *  passes: cheap enough for 10,000 objects (a cryptographic hash was the main cost). */
export function uidFor(kind: string, namespace: string, name: string): string {
  const text = `${kind}/${namespace}/${name}`;
  let a = 0x811c9dc5;
  let b = 0x9e3779b1;
  let c = 0x85ebca6b;
  let d = 0xc2b2ae35;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x01000193);
    c = Math.imul(c ^ ch, 0x01000193);
    d = Math.imul(d ^ ch, 0x01000193);
  }
  const fin = (h: number) => {
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return (h >>> 0).toString(16).padStart(8, '0');
  };
  const x = fin(a) + fin(b);
  const y = fin(c) + fin(d);
  const variant = ((parseInt(y[0], 16) & 0x3) | 0x8).toString(16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-${variant}${y.slice(1, 4)}-${y.slice(4, 16)}`;
}

export function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

export function isTerminating(p: Pod): boolean {
  return !!p.metadata.deletionTimestamp;
}

/** pod condition Ready == True */
export function isPodReady(p: Pod): boolean {
  return p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

export function podReadiness(p: Pod): PodReadiness {
  if (isTerminating(p)) return 'terminating';
  return isPodReady(p) ? 'ready' : 'notReady';
}

export function podIPs(p: Pod): string[] {
  const list = (p.status?.podIPs ?? []).map((x) => x.ip).filter((x): x is string => typeof x === 'string' && x !== '');
  if (list.length > 0) return list;
  return p.status?.podIP ? [p.status.podIP] : [];
}

function setReadyCondition(p: Pod, ready: boolean): void {
  const status = (p.status ??= {});
  const conds = (status.conditions ??= []);
  const c = conds.find((x) => x.type === 'Ready');
  const v = ready ? 'True' : 'False';
  if (c) c.status = v;
  else conds.push({ type: 'Ready', status: v });
  const cr = conds.find((x) => x.type === 'ContainersReady');
  if (cr) cr.status = v;
}

/**
 * Normalizes a pasted pod's status: a pod that says nothing about readiness but has an IP and is
 * not Pending is taken as Running and Ready (users often paste only name, labels, node and IP).
 */
export function settlePastedPod(p: Pod): void {
  const hasReady = p.status?.conditions?.some((c) => c.type === 'Ready');
  if (hasReady) return;
  if (podIPs(p).length > 0 && p.status?.phase !== 'Pending' && !isTerminal(p)) {
    p.status = { ...(p.status ?? {}), phase: p.status?.phase ?? 'Running' };
    setReadyCondition(p, true);
  }
}

/** settings.podReadiness: 'terminating' keeps the Ready condition as it was (a terminating pod
 *  usually still passes its probe: serving=true, ready=false), the others clear the deletion. */
export function applyReadiness(p: Pod, r: PodReadiness): void {
  if (r === 'terminating') {
    p.metadata.deletionTimestamp ??= SIMULATED_DELETION_TIMESTAMP;
    return;
  }
  delete p.metadata.deletionTimestamp;
  setReadyCondition(p, r === 'ready');
}
