// Deployment -> ReplicaSet -> Pods, as the deployment and replicaset controllers name and count
// them (semantics.md §7). Pasted pods that belong to a workload count toward its replicas.
import type { Diagnostic } from '../diagnostics.ts';
import type { Deployment, LabelSelector, Pod, ReplicaSet } from '../k8s/types.ts';
import type { Rng } from '../util/rng.ts';
import { matchesSelector } from './labels.ts';
import { podTemplateHash, uniqueGeneratedName } from './names.ts';
import { diag, type PositionOf } from './place.ts';
import { isTerminal, isTerminating, nsOf, uidFor } from './pods.ts';
import { Scheduler } from './scheduler.ts';
import type { SimNode } from './types.ts';

export const HASH_LABEL = 'pod-template-hash';

export interface Workload<T> {
  object: T;
  positionOf?: PositionOf;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function emptySelector(s: LabelSelector | undefined): boolean {
  return !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}

function controllerOf(o: { metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] } }) {
  const refs = o.metadata.ownerReferences ?? [];
  return refs.find((r) => r.controller) ?? refs[0];
}

/** Deployment's maxSurge (default 25%, rounded up) for the max-replicas annotation */
function maxSurge(d: Deployment, replicas: number): number {
  const strategy = d.spec.strategy as { type?: string; rollingUpdate?: { maxSurge?: number | string } } | undefined;
  if (strategy?.type === 'Recreate') return 0;
  const v = strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Math.ceil((Number(m[1]) * replicas) / 100) : Number(v) || 0;
}

export interface WorkloadResult {
  replicaSets: ReplicaSet[];
  /** every pod: pasted (in input order) then created, in creation order */
  pods: Pod[];
  diagnostics: Diagnostic[];
}

export function runWorkloads(
  deployments: Workload<Deployment>[],
  pastedReplicaSets: Workload<ReplicaSet>[],
  pastedPods: Pod[],
  nodes: SimNode[],
  rng: Rng,
  podPositions: WeakMap<Pod, PositionOf> = new WeakMap(),
): WorkloadResult {
  const diagnostics: Diagnostic[] = [];
  const pods = [...pastedPods];
  const podNames = new Set(pastedPods.map((p) => `${nsOf(p)}/${p.metadata.name}`));
  const scheduler = new Scheduler(nodes);
  for (const p of pastedPods) scheduler.note(p);
  const claimed = new Set<Pod>();
  const replicaSets: ReplicaSet[] = pastedReplicaSets.map((w) => w.object);
  const rsNames = new Set(replicaSets.map((r) => `${nsOf(r)}/${r.metadata.name}`));
  const nodeIP = new Map(nodes.map((n) => [n.name, n.internalIP]));

  const takenNames = (ns: string): Set<string> => {
    // generateName retries on conflict; names are unique per namespace
    const s = new Set<string>();
    for (const k of podNames) if (k.startsWith(`${ns}/`)) s.add(k.slice(ns.length + 1));
    return s;
  };

  /** the replicaset controller for one RS: adopt matching pods, create the missing ones */
  const reconcile = (rs: ReplicaSet, adoptable: (p: Pod) => boolean, positionOf: PositionOf) => {
    const ns = nsOf(rs);
    const rsName = rs.metadata.name as string;
    const owned = pods.filter((p) => !claimed.has(p) && nsOf(p) === ns && adoptable(p));
    for (const p of owned) {
      claimed.add(p);
      if (!controllerOf(p)) {
        p.metadata.ownerReferences = [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
        ];
      }
    }
    const counts = new Map<string, number>();
    for (const p of owned) if (p.spec.nodeName) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
    const active = owned.filter((p) => !isTerminal(p) && !isTerminating(p));
    const want = rs.spec.replicas ?? 1;
    if (active.length > want) {
      diagnostics.push(
        diag(
          'cluster.replicas.surplus',
          'info',
          `ReplicaSet ${ns}/${rsName} wants ${want} replica(s) but ${active.length} of the pasted pods belong to it; a real controller would delete ${active.length - want}`,
          positionOf,
          'spec.replicas',
        ),
      );
    }
    const toPlace: Pod[] = owned.filter((p) => !p.spec.nodeName && p.status?.phase !== 'Pending');
    const taken = takenNames(ns);
    for (let i = active.length; i < want; i++) {
      const name = uniqueGeneratedName(`${rsName}-`, rng, taken);
      podNames.add(`${ns}/${name}`);
      const t = clone(rs.spec.template);
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          generateName: `${rsName}-`,
          namespace: ns,
          uid: uidFor('Pod', ns, name),
          labels: { ...(t.metadata?.labels ?? {}) },
          ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: t.spec,
        status: { phase: 'Pending' },
      };
      pods.push(pod);
      claimed.add(pod);
      toPlace.push(pod);
    }
    for (const pod of toPlace) {
      const placed = scheduler.place(pod, counts);
      if (!placed.node) {
        pod.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] };
        diagnostics.push(
          diag('cluster.pod.unschedulable', 'warning', `pod ${ns}/${pod.metadata.name} stays Pending: ${placed.message}`, positionOf, 'spec.template.spec'),
        );
        continue;
      }
      pod.spec.nodeName = placed.node.name;
      counts.set(placed.node.name, (counts.get(placed.node.name) ?? 0) + 1);
      scheduler.note(pod);
      if (!pod.status?.podIP) {
        pod.status = {
          phase: 'Running',
          hostIP: nodeIP.get(placed.node.name),
          conditions: [
            { type: 'Initialized', status: 'True' },
            { type: 'Ready', status: 'True' },
            { type: 'ContainersReady', status: 'True' },
            { type: 'PodScheduled', status: 'True' },
          ],
        };
      }
    }
  };

  const ownedRS = new Set<ReplicaSet>();
  for (const { object: d, positionOf } of deployments) {
    const name = d.metadata?.name;
    if (!name || !d.spec || emptySelector(d.spec.selector) || !d.spec.template) continue;
    const ns = nsOf(d);
    const dUid = d.metadata.uid ?? uidFor('Deployment', ns, name);
    const mine = replicaSets.filter((r) => nsOf(r) === ns && controllerOf(r)?.kind === 'Deployment' && controllerOf(r)?.name === name);
    mine.forEach((r) => ownedRS.add(r));
    const matching = pods.filter((p) => nsOf(p) === ns && !claimed.has(p) && matchesSelector(d.spec.selector, p.metadata.labels));
    const foreign = (p: Pod) => {
      const c = controllerOf(p);
      return c !== undefined && !(c.kind === 'ReplicaSet' && c.name.startsWith(`${name}-`));
    };
    // A pasted cluster's own hash wins over ours: it is the real FNV-of-spew value.
    const pastedHash =
      mine.map((r) => r.metadata.labels?.[HASH_LABEL]).find((h) => h) ??
      matching.filter((p) => !foreign(p)).map((p) => p.metadata.labels?.[HASH_LABEL]).find((h) => h) ??
      matching
        .map((p) => controllerOf(p))
        .filter((c) => c?.kind === 'ReplicaSet' && c.name.startsWith(`${name}-`))
        .map((c) => c?.name.slice(name.length + 1))
        .find((h) => h && /^[a-z0-9]+$/.test(h));
    const hash = pastedHash ?? podTemplateHash(d.spec.template);
    const rsName = `${name}-${hash}`;
    const replicas = d.spec.replicas ?? 1;
    let rs = mine.find((r) => r.metadata.name === rsName);
    if (!rs) {
      const tmpl = clone(d.spec.template);
      tmpl.metadata = { ...(tmpl.metadata ?? {}), labels: { ...(tmpl.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
      rs = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace: ns,
          uid: uidFor('ReplicaSet', ns, rsName),
          labels: { ...(d.spec.template.metadata?.labels ?? {}), [HASH_LABEL]: hash },
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge(d, replicas)),
            'deployment.kubernetes.io/revision': '1',
          },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: dUid, controller: true, blockOwnerDeletion: true }],
        },
        spec: {
          replicas,
          selector: {
            ...d.spec.selector,
            matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [HASH_LABEL]: hash },
          },
          template: tmpl,
        },
      };
      replicaSets.push(rs);
      rsNames.add(`${ns}/${rsName}`);
      ownedRS.add(rs);
    }
    const current = rs;
    // Pods of this Deployment whose hash names another (old) ReplicaSet are left to it.
    reconcile(
      current,
      (p) =>
        matchesSelector(d.spec.selector, p.metadata.labels) &&
        !foreign(p) &&
        (p.metadata.labels?.[HASH_LABEL] === undefined || p.metadata.labels[HASH_LABEL] === hash),
      positionOf,
    );
  }
  for (const { object: rs, positionOf } of pastedReplicaSets) {
    if (ownedRS.has(rs) || !rs.metadata?.name || !rs.spec || emptySelector(rs.spec.selector) || !rs.spec.template) continue;
    rs.metadata.uid ??= uidFor('ReplicaSet', nsOf(rs), rs.metadata.name);
    const c = (p: Pod) => controllerOf(p);
    reconcile(
      rs,
      (p) => matchesSelector(rs.spec.selector, p.metadata.labels) && (!c(p) || (c(p)?.kind === 'ReplicaSet' && c(p)?.name === rs.metadata.name)),
      positionOf,
    );
  }
  // Standalone pasted pods without a node are scheduled on their own.
  for (const p of pods) {
    if (claimed.has(p) || p.spec.nodeName || p.status?.phase === 'Pending' || isTerminal(p)) continue;
    const placed = scheduler.place(p, new Map());
    if (placed.node) {
      p.spec.nodeName = placed.node.name;
      scheduler.note(p);
    } else {
      p.status = { ...(p.status ?? {}), phase: 'Pending' };
      diagnostics.push(
        diag('cluster.pod.unschedulable', 'warning', `pod ${nsOf(p)}/${p.metadata.name} stays Pending: ${placed.message}`, podPositions.get(p), 'spec'),
      );
    }
  }
  return { replicaSets, pods, diagnostics };
}
