// The kinds svcpath simulates, the apiVersions each is served at, and which era served them.
import type { NameRule } from './names.ts';
import {
  deploymentSchema,
  endpointSliceSchema,
  endpointsSchema,
  namespaceSchema,
  nodeSchema,
  podSchema,
  replicaSetSchema,
  serviceSchema,
  type StructSpec,
} from './schema.ts';

export type KnownKind = 'Service' | 'Deployment' | 'ReplicaSet' | 'Pod' | 'EndpointSlice' | 'Endpoints' | 'Node' | 'Namespace';

export interface KindInfo {
  kind: KnownKind;
  /** apiVersion -> [first minor served, last minor served] (1.x) */
  versions: Record<string, [number, number]>;
  namespaced: boolean;
  nameRule: NameRule;
  schema: (apiVersion: string, minor: number) => StructSpec;
}

const ALWAYS: [number, number] = [0, Infinity];

export const KINDS: Record<KnownKind, KindInfo> = {
  Service: {
    kind: 'Service',
    versions: { v1: ALWAYS },
    namespaced: true,
    nameRule: 'dns1035',
    // topologyKeys existed in the v1 schema from 1.17 to 1.21
    schema: (_v, minor) => serviceSchema(minor >= 17 && minor <= 21),
  },
  Deployment: { kind: 'Deployment', versions: { 'apps/v1': ALWAYS }, namespaced: true, nameRule: 'dns1123subdomain', schema: () => deploymentSchema },
  ReplicaSet: { kind: 'ReplicaSet', versions: { 'apps/v1': ALWAYS }, namespaced: true, nameRule: 'dns1123subdomain', schema: () => replicaSetSchema },
  Pod: { kind: 'Pod', versions: { v1: ALWAYS }, namespaced: true, nameRule: 'dns1123subdomain', schema: () => podSchema },
  EndpointSlice: {
    kind: 'EndpointSlice',
    versions: { 'discovery.k8s.io/v1': [21, Infinity], 'discovery.k8s.io/v1beta1': [17, 24] },
    namespaced: true,
    nameRule: 'dns1123subdomain',
    schema: (v) => endpointSliceSchema(v.endsWith('v1beta1') ? 'v1beta1' : 'v1'),
  },
  Endpoints: { kind: 'Endpoints', versions: { v1: ALWAYS }, namespaced: true, nameRule: 'dns1123subdomain', schema: () => endpointsSchema },
  Node: { kind: 'Node', versions: { v1: ALWAYS }, namespaced: false, nameRule: 'dns1123subdomain', schema: () => nodeSchema },
  Namespace: { kind: 'Namespace', versions: { v1: ALWAYS }, namespaced: false, nameRule: 'dns1123label', schema: () => namespaceSchema },
};

export function knownKind(kind: string): KindInfo | undefined {
  return Object.prototype.hasOwnProperty.call(KINDS, kind) ? KINDS[kind as KnownKind] : undefined;
}

/** "1.35" / "v1.20.3" -> 35 / 20; unparseable -> null */
export function minorOf(version: string): number | null {
  const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return m ? Number(m[1]) : null;
}
