// The Go types the API server decodes into, as far as svcpath reads them: enough to reproduce
// encoding/json's type errors and strict decoding's "unknown field" errors. Structs marked
// `strict` list every field of the real type (so unknown fields are reported); the others list
// only what svcpath reads and let any other field through.

export type TypeSpec =
  | { t: 'string' }
  | { t: 'int32' }
  | { t: 'int64' }
  | { t: 'bool' }
  | { t: 'intstr' }
  | { t: 'any' }
  | { t: 'map'; of: TypeSpec }
  | { t: 'list'; of: TypeSpec }
  | StructSpec;

export interface StructSpec {
  t: 'struct';
  /** Go type name as printed in errors, e.g. "v1.ServiceSpec" */
  go: string;
  /** OpenAPI definition name, for kubectl's pre-1.27 client-side validation message */
  openapi: string;
  strict: boolean;
  fields: Record<string, TypeSpec>;
}

const S: TypeSpec = { t: 'string' };
const I32: TypeSpec = { t: 'int32' };
const I64: TypeSpec = { t: 'int64' };
const B: TypeSpec = { t: 'bool' };
const IS: TypeSpec = { t: 'intstr' };
const ANY: TypeSpec = { t: 'any' };
const MAP: TypeSpec = { t: 'map', of: S };
const list = (of: TypeSpec): TypeSpec => ({ t: 'list', of });
const struct = (go: string, openapi: string, strict: boolean, fields: Record<string, TypeSpec>): StructSpec => ({
  t: 'struct',
  go,
  openapi,
  strict,
  fields,
});

/** Go's %v of a type: []v1.ServicePort, map[string]string, v1.ServiceSpec */
export function goTypeName(t: TypeSpec): string {
  switch (t.t) {
    case 'map':
      return `map[string]${goTypeName(t.of)}`;
    case 'list':
      return `[]${goTypeName(t.of)}`;
    case 'struct':
      return t.go;
    case 'intstr':
      return 'intstr.IntOrString';
    case 'any':
      return 'interface {}';
    default:
      return t.t;
  }
}

const core = 'io.k8s.api.core.v1.';
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export const objectMeta = struct('v1.ObjectMeta', meta + 'ObjectMeta', true, {
  name: S,
  generateName: S,
  namespace: S,
  selfLink: S,
  uid: S,
  resourceVersion: S,
  generation: I64,
  creationTimestamp: ANY,
  deletionTimestamp: ANY,
  deletionGracePeriodSeconds: I64,
  labels: MAP,
  annotations: MAP,
  ownerReferences: list(ANY),
  finalizers: list(S),
  managedFields: list(ANY),
});

const root = (go: string, openapi: string, fields: Record<string, TypeSpec>): StructSpec =>
  struct(go, openapi, true, { apiVersion: S, kind: S, metadata: objectMeta, ...fields });

const servicePort = struct('v1.ServicePort', core + 'ServicePort', true, {
  name: S,
  protocol: S,
  appProtocol: S,
  port: I32,
  targetPort: IS,
  nodePort: I32,
});

export function serviceSchema(withTopologyKeys: boolean): StructSpec {
  const spec = struct('v1.ServiceSpec', core + 'ServiceSpec', true, {
    ports: list(servicePort),
    selector: MAP,
    clusterIP: S,
    clusterIPs: list(S),
    type: S,
    externalIPs: list(S),
    sessionAffinity: S,
    loadBalancerIP: S,
    loadBalancerSourceRanges: list(S),
    externalName: S,
    externalTrafficPolicy: S,
    healthCheckNodePort: I32,
    publishNotReadyAddresses: B,
    sessionAffinityConfig: struct('v1.SessionAffinityConfig', core + 'SessionAffinityConfig', true, {
      clientIP: struct('v1.ClientIPConfig', core + 'ClientIPConfig', true, { timeoutSeconds: I32 }),
    }),
    ipFamilies: list(S),
    ipFamilyPolicy: S,
    allocateLoadBalancerNodePorts: B,
    loadBalancerClass: S,
    internalTrafficPolicy: S,
    trafficDistribution: S,
    ...(withTopologyKeys ? { topologyKeys: list(S) } : {}),
  });
  return root('v1.Service', core + 'Service', { spec, status: ANY });
}

const containerPort = struct('v1.ContainerPort', core + 'ContainerPort', true, {
  name: S,
  hostPort: I32,
  containerPort: I32,
  protocol: S,
  hostIP: S,
});

const container = struct('v1.Container', core + 'Container', false, {
  name: S,
  image: S,
  ports: list(containerPort),
});

const podSpec = struct('v1.PodSpec', core + 'PodSpec', false, {
  containers: list(container),
  initContainers: list(container),
  nodeName: S,
  hostname: S,
  subdomain: S,
  hostNetwork: B,
  nodeSelector: MAP,
  restartPolicy: S,
});

const labelSelector = struct('v1.LabelSelector', meta + 'LabelSelector', true, {
  matchLabels: MAP,
  matchExpressions: list(
    struct('v1.LabelSelectorRequirement', meta + 'LabelSelectorRequirement', true, { key: S, operator: S, values: list(S) }),
  ),
});

const podTemplateSpec = struct('v1.PodTemplateSpec', core + 'PodTemplateSpec', true, { metadata: objectMeta, spec: podSpec });

const apps = 'io.k8s.api.apps.v1.';

export const deploymentSchema = root('v1.Deployment', apps + 'Deployment', {
  spec: struct('v1.DeploymentSpec', apps + 'DeploymentSpec', true, {
    replicas: I32,
    selector: labelSelector,
    template: podTemplateSpec,
    strategy: struct('v1.DeploymentStrategy', apps + 'DeploymentStrategy', true, {
      type: S,
      rollingUpdate: struct('v1.RollingUpdateDeployment', apps + 'RollingUpdateDeployment', true, { maxUnavailable: IS, maxSurge: IS }),
    }),
    minReadySeconds: I32,
    revisionHistoryLimit: I32,
    paused: B,
    progressDeadlineSeconds: I32,
  }),
  status: ANY,
});

export const replicaSetSchema = root('v1.ReplicaSet', apps + 'ReplicaSet', {
  spec: struct('v1.ReplicaSetSpec', apps + 'ReplicaSetSpec', true, {
    replicas: I32,
    minReadySeconds: I32,
    selector: labelSelector,
    template: podTemplateSpec,
  }),
  status: ANY,
});

export const podSchema = root('v1.Pod', core + 'Pod', { spec: podSpec, status: ANY });

export function endpointSliceSchema(pkg: 'v1' | 'v1beta1'): StructSpec {
  const d = `io.k8s.api.discovery.${pkg}.`;
  const endpoint = struct(`${pkg}.Endpoint`, d + 'Endpoint', true, {
    addresses: list(S),
    conditions: struct(`${pkg}.EndpointConditions`, d + 'EndpointConditions', true, { ready: B, serving: B, terminating: B }),
    hostname: S,
    targetRef: ANY,
    nodeName: S,
    zone: S,
    hints: ANY,
    ...(pkg === 'v1' ? { deprecatedTopology: MAP } : { topology: MAP }),
  });
  const port = struct(`${pkg}.EndpointPort`, d + 'EndpointPort', true, { name: S, protocol: S, port: I32, appProtocol: S });
  return root(`${pkg}.EndpointSlice`, d + 'EndpointSlice', {
    addressType: S,
    endpoints: list(endpoint),
    ports: list(port),
  });
}

const endpointAddress = struct('v1.EndpointAddress', core + 'EndpointAddress', true, { ip: S, hostname: S, nodeName: S, targetRef: ANY });

export const endpointsSchema = root('v1.Endpoints', core + 'Endpoints', {
  subsets: list(
    struct('v1.EndpointSubset', core + 'EndpointSubset', true, {
      addresses: list(endpointAddress),
      notReadyAddresses: list(endpointAddress),
      ports: list(struct('v1.EndpointPort', core + 'EndpointPort', true, { name: S, port: I32, protocol: S, appProtocol: S })),
    }),
  ),
});

export const nodeSchema = root('v1.Node', core + 'Node', {
  spec: struct('v1.NodeSpec', core + 'NodeSpec', false, { podCIDR: S, podCIDRs: list(S), unschedulable: B, taints: list(ANY) }),
  status: ANY,
});

export const namespaceSchema = root('v1.Namespace', core + 'Namespace', { spec: ANY, status: ANY });
