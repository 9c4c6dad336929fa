// Cluster-wide settings a user picks on the first screen: the Kubernetes version the simulated
// API server and kube-proxy behave as (topologyKeys lived in 1.17-1.21; hints, terminating
// fallback and trafficDistribution came later), and the default cluster used when the YAML names
// no nodes at all.
import type { ClusterSettings } from '../pipeline.ts';

/** Versions offered; '' means "the scenario's own" (1.35 unless the scenario says otherwise). */
export const K8S_VERSIONS = ['1.20', '1.21', '1.24', '1.28', '1.31', '1.35'] as const;
export type K8sVersionChoice = '' | (typeof K8S_VERSIONS)[number];

export interface ClusterPreset {
  id: string;
  nodes: NonNullable<ClusterSettings['defaultNodes']>;
}

/** Default clusters (used only when the YAML has no Node objects and no pod names a node). */
export const CLUSTER_PRESETS: readonly ClusterPreset[] = [
  { id: '3x2', nodes: { count: 3, zones: ['zone-a', 'zone-b'], region: 'region-1' } },
  { id: '1', nodes: { count: 1, zones: ['zone-a'], region: 'region-1' } },
  { id: '6x3', nodes: { count: 6, zones: ['zone-a', 'zone-b', 'zone-c'], region: 'region-1' } },
];
export type ClusterPresetChoice = '' | '3x2' | '1' | '6x3';
export const CLUSTER_PRESET_IDS = ['', ...CLUSTER_PRESETS.map((p) => p.id)] as readonly ClusterPresetChoice[];

/** The scenario's settings with the user's choices laid over them. */
export function applyClusterChoices(base: ClusterSettings, k8sVersion: string, preset: string): ClusterSettings {
  const out: ClusterSettings = { ...base };
  if (k8sVersion) out.kubernetesVersion = k8sVersion;
  const p = CLUSTER_PRESETS.find((c) => c.id === preset);
  if (p) out.defaultNodes = p.nodes;
  return out;
}
