// The one pipeline (DESIGN.md): YAML text -> manifest -> cluster -> proxy/<mode> -> dataplane text.
// The UI (through the worker) and the CLI both call runPipeline; nothing else composes the stages.
//
// WIRING IN PROGRESS: the lead engineer connects the stages here as manifest/, cluster/ and
// proxy/ land. The types below are the contract the UI and CLI build against.

import type { Diagnostic } from './diagnostics.ts';
import type { ProxierConfig } from './proxy/config.ts';
import type { PodReadiness } from './k8s/types.ts';

export type ProxyMode = 'iptables' | 'ipvs' | 'nftables';

export interface ClusterSettings {
  /** Kubernetes version the simulated API server behaves as, e.g. "1.35" or "1.20" (topologyKeys era) */
  kubernetesVersion?: string;
  /** --service-cluster-ip-range */
  serviceClusterIPRange?: string;
  /** --service-node-port-range */
  nodePortRange?: string;
  /** the cluster's pod CIDR (per-node /24s are carved from it) */
  clusterCIDR?: string;
  /** default cluster when no Node objects are pasted */
  defaultNodes?: { count: number; zones: string[]; region: string };
  /** user overrides of pod readiness, by pod name ("namespace/name") */
  podReadiness?: Record<string, PodReadiness>;
  seed?: number;
}

export interface PipelineInput {
  yaml: string;
  mode: ProxyMode;
  /** node whose dataplane to render; default: config.nodeName, else the first node */
  node?: string;
  config?: Partial<ProxierConfig>;
  cluster?: ClusterSettings;
}

export interface Dataplane {
  node: string;
  mode: ProxyMode;
  iptables: { restore: string; save: string } | null;
  ipvs: unknown | null;
  nftables: { text: string } | null;
}

export interface PipelineResult {
  diagnostics: Diagnostic[];
  /** node names in display order */
  nodes: string[];
  dataplane: Dataplane | null;
}
