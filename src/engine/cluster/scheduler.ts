// A small default scheduler: filter (node ready, schedulable, nodeSelector, taints, required
// pod anti-affinity on kubernetes.io/hostname), then score the way the system-default topology
// spread tends to place replicas: fewest pods of the same workload in the zone, then on the node,
// ties to the earlier node (semantics.md §7.3 suggests exactly this simplification).
import type { LabelSelector, Pod } from '../k8s/types.ts';
import { matchesMap, matchesSelector } from './labels.ts';
import { HOSTNAME_LABEL } from './nodes.ts';
import type { SimNode } from './types.ts';

interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

function tolerates(tols: Toleration[], t: { key: string; value?: string; effect: string }): boolean {
  return tols.some((tol) => {
    if (tol.effect && tol.effect !== t.effect) return false;
    if (tol.operator === 'Exists') return !tol.key || tol.key === t.key;
    return tol.key === t.key && (tol.value ?? '') === (t.value ?? '');
  });
}

interface AntiAffinityTerm {
  labelSelector?: LabelSelector;
  topologyKey?: string;
}

function requiredAntiAffinity(p: Pod): AntiAffinityTerm[] {
  const aff = p.spec.affinity as { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: AntiAffinityTerm[] } } | undefined;
  return (aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).filter((t) => t.topologyKey === HOSTNAME_LABEL);
}

export interface Placement {
  node: SimNode | null;
  /** scheduler's FailedScheduling message when node is null */
  message?: string;
}

export class Scheduler {
  /** pods placed per node name, per namespace, for anti-affinity checks */
  private readonly podsOnNode = new Map<string, Pod[]>();

  constructor(private readonly nodes: SimNode[]) {}

  /** record an already-placed pod */
  note(p: Pod): void {
    const n = p.spec.nodeName;
    if (!n) return;
    let list = this.podsOnNode.get(n);
    if (!list) this.podsOnNode.set(n, (list = []));
    list.push(p);
  }

  /** counts: workload pods per node name so far (updated by the caller) */
  place(p: Pod, counts: Map<string, number>): Placement {
    const reasons = new Map<string, number>();
    const bump = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const tols = (p.spec.tolerations ?? []) as Toleration[];
    const anti = requiredAntiAffinity(p);
    const ns = p.metadata.namespace ?? 'default';
    const feasible: SimNode[] = [];
    for (const node of this.nodes) {
      if (!node.ready) {
        bump("node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
        continue;
      }
      if (node.unschedulable && !tolerates(tols, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
        bump('node(s) were unschedulable');
        continue;
      }
      if (p.spec.nodeSelector && !matchesMap(p.spec.nodeSelector, node.labels)) {
        bump("node(s) didn't match Pod's node affinity/selector");
        continue;
      }
      const bad = (node.taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tols, t));
      if (bad) {
        bump(`node(s) had untolerated taint {${bad.key}: ${bad.value ?? ''}}`);
        continue;
      }
      if (
        anti.length > 0 &&
        anti.some((term) =>
          (this.podsOnNode.get(node.name) ?? []).some(
            (o) => (o.metadata.namespace ?? 'default') === ns && !o.metadata.deletionTimestamp && matchesSelector(term.labelSelector, o.metadata.labels),
          ),
        )
      ) {
        bump("node(s) didn't match pod anti-affinity rules");
        continue;
      }
      feasible.push(node);
    }
    if (feasible.length === 0) {
      const parts = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort();
      return { node: null, message: `0/${this.nodes.length} nodes are available: ${parts.join(', ')}.` };
    }
    const zoneCount = new Map<string, number>();
    for (const node of this.nodes) {
      const z = node.zone ?? '';
      zoneCount.set(z, (zoneCount.get(z) ?? 0) + (counts.get(node.name) ?? 0));
    }
    let best = feasible[0];
    for (const node of feasible.slice(1)) {
      const dz = (zoneCount.get(node.zone ?? '') ?? 0) - (zoneCount.get(best.zone ?? '') ?? 0);
      const dh = (counts.get(node.name) ?? 0) - (counts.get(best.name) ?? 0);
      if (dz < 0 || (dz === 0 && dh < 0)) best = node;
    }
    return { node: best };
  }
}
