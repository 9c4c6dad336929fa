// Builders for scenarios and tests: plain defaulted objects, as the manifest stage hands them over.
import type { Deployment, Node, Pod, Service } from '../k8s/types.ts';
import type { ClusterInput, ClusterInputObject } from './types.ts';

export function input(...objects: (ClusterInputObject | { kind: string; object: unknown })[]): ClusterInput {
  return { objects };
}

export function obj(o: { kind?: string }, positionOf?: ClusterInputObject['positionOf']): ClusterInputObject {
  return { kind: o.kind as string, object: o, ...(positionOf ? { positionOf } : {}) };
}

export function service(name: string, spec: Service['spec'], meta: Partial<Service['metadata']> = {}): Service & { kind: 'Service' } {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', ...meta }, spec };
}

export function deployment(
  name: string,
  replicas: number,
  labels: Record<string, string>,
  containers: Pod['spec']['containers'] = [{ name: 'app', image: 'nginx' }],
  extra: Partial<Pod['spec']> = {},
): Deployment & { kind: 'Deployment' } {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers, ...extra } } },
  };
}

export function pod(
  name: string,
  labels: Record<string, string>,
  nodeName: string | undefined,
  podIP: string | undefined,
  opts: { ready?: boolean; terminating?: boolean; containers?: Pod['spec']['containers']; namespace?: string; hostname?: string; subdomain?: string } = {},
): Pod & { kind: 'Pod' } {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      labels,
      ...(opts.terminating ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: opts.containers ?? [{ name: 'app', image: 'nginx' }],
      ...(opts.hostname ? { hostname: opts.hostname } : {}),
      ...(opts.subdomain ? { subdomain: opts.subdomain } : {}),
    },
    ...(podIP
      ? {
          status: {
            phase: 'Running' as const,
            podIP,
            podIPs: [{ ip: podIP }],
            conditions: [{ type: 'Ready', status: opts.ready === false ? ('False' as const) : ('True' as const) }],
          },
        }
      : {}),
  };
}

export function node(name: string, zone: string | undefined, ip: string, podCIDR?: string, cpu?: string, labels: Record<string, string> = {}): Node & { kind: 'Node' } {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}), ...labels } },
    spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
    status: {
      addresses: [{ type: 'InternalIP', address: ip }],
      ...(cpu ? { allocatable: { cpu } } : {}),
    } as Node['status'],
  };
}
