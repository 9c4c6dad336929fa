import type { Diagnostic } from '../diagnostics.ts';

export interface ManifestObject {
  kind: string;
  apiVersion: string;
  /** typed per kind: Service | Deployment | Pod | ... (src/engine/k8s/types.ts), defaulted */
  object: unknown;
  /** 0-based document index */
  doc: number;
  /** where the object starts (1-based) */
  line: number;
  col: number;
  /** 1-based position of any field path, e.g. "spec.ports[0].port"; falls back to the nearest parent */
  positionOf(path: string): { line: number; col: number };
  /** kinds we accept but ignore (Secret, ConfigMap, Ingress, ...) */
  ignored?: boolean;
  /**
   * The API server would refuse this object (decode or validation error): `kubectl apply` creates
   * the other objects of the file but not this one, so the cluster layer should skip it.
   */
  invalid?: boolean;
  /** namespace/name for messages, e.g. "default/web" ("web" for cluster-scoped kinds) */
  ref?: string;
}

export interface ManifestResult {
  objects: ManifestObject[];
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /** Kubernetes version the simulated API server behaves as; default "1.35" */
  kubernetesVersion?: string;
  /** --service-cluster-ip-range: one CIDR or two comma-separated (one per family) */
  serviceClusterIPRange?: string;
  /** --service-node-port-range, e.g. "30000-32767" */
  nodePortRange?: string;
  /** the file name kubectl would print in its messages; default "STDIN" */
  fileName?: string;
}
