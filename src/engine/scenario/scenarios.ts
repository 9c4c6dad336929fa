// Built-in scenarios for the `Scenario` picker: the seed's examples (../shared/seed/) reproduced
// exactly, then the behaviours beyond it. Pure data: titles and explanations are i18n keys
// (src/i18n), so both languages stay in one place. The YAML is what a learner would paste:
// the seed's own Deployment and Service, and Pods as `kubectl get pod -o yaml` prints them so
// the pods land where the seed's `kubectl get pod -o wide` shows them.

import type { ClusterSettings, ProxyMode } from '../pipeline.ts';
import type { ProxierConfig } from '../proxy/config.ts';
import type { Protocol } from './codec.ts';

export interface SuggestedPacket {
  src: string;
  dst: string;
  proto: Protocol;
}

export interface Scenario {
  id: string;
  /** i18n keys: `scenario.<id>.title` and `scenario.<id>.explain` */
  titleKey: string;
  explainKey: string;
  /** true when the seed shows this example */
  fromSeed: boolean;
  yaml: string;
  mode: ProxyMode;
  /** node whose rules are shown first */
  node: string;
  packet: SuggestedPacket;
  config: Partial<ProxierConfig>;
  cluster: ClusterSettings;
}

const CLUSTER_CIDR = '10.244.0.0/16';
const CLUSTER_IP = '10.102.249.128';
const MASTER_IP = '192.168.56.10';
const NODE01_IP = '192.168.56.11';
const NODE02_IP = '192.168.56.12';

interface NodeSpec {
  name: string;
  ip: string;
  podCIDR: string;
  zone?: string;
  region?: string;
  master?: boolean;
}

const SEED_NODES: NodeSpec[] = [
  { name: 'k8s-master', ip: MASTER_IP, podCIDR: '10.244.235.0/24', master: true },
  { name: 'k8s-node-01', ip: NODE01_IP, podCIDR: '10.244.154.0/24' },
];

// The topologyKeys examples need a place with no local endpoint: a third node in another zone.
const ZONED_NODES: NodeSpec[] = [
  { ...SEED_NODES[0]!, zone: 'zone-a', region: 'region-1' },
  { ...SEED_NODES[1]!, zone: 'zone-a', region: 'region-1' },
  { name: 'k8s-node-02', ip: NODE02_IP, podCIDR: '10.244.36.0/24', zone: 'zone-b', region: 'region-1' },
];

function nodeYaml(n: NodeSpec): string {
  const labels = [
    `    kubernetes.io/hostname: ${n.name}`,
    '    kubernetes.io/os: linux',
    ...(n.master ? ['    node-role.kubernetes.io/control-plane: ""'] : []),
    ...(n.region ? [`    topology.kubernetes.io/region: ${n.region}`] : []),
    ...(n.zone ? [`    topology.kubernetes.io/zone: ${n.zone}`] : []),
  ];
  return `apiVersion: v1
kind: Node
metadata:
  name: ${n.name}
  labels:
${labels.join('\n')}
spec:
  podCIDR: ${n.podCIDR}
  podCIDRs:
    - ${n.podCIDR}
status:
  addresses:
    - type: InternalIP
      address: ${n.ip}
    - type: Hostname
      address: ${n.name}
`;
}

// The seed's nginx-deployment.yaml, verbatim.
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: nginx
`;

type PodState = 'ready' | 'notReady' | 'terminating';

interface PodSpec {
  suffix: string;
  ip: string;
  node: string;
  hostIP: string;
  state?: PodState;
}

const SEED_PODS: PodSpec[] = [
  { suffix: 'jshh2', ip: '10.244.235.208', node: 'k8s-master', hostIP: MASTER_IP },
  { suffix: 'ksrp6', ip: '10.244.154.195', node: 'k8s-node-01', hostIP: NODE01_IP },
  { suffix: 'xpf7n', ip: '10.244.154.196', node: 'k8s-node-01', hostIP: NODE01_IP },
];

/** one replica per zone-b node too, so topology hints have something to choose */
const ZONED_PODS: PodSpec[] = [SEED_PODS[0]!, SEED_PODS[1]!, { suffix: 'q9z4c', ip: '10.244.36.5', node: 'k8s-node-02', hostIP: NODE02_IP }];

function podYaml(p: PodSpec): string {
  const ready = p.state === 'notReady' ? 'False' : 'True';
  const deletion =
    p.state === 'terminating' ? '  deletionTimestamp: "2022-08-07T13:53:40Z"\n  deletionGracePeriodSeconds: 30\n' : '';
  return `apiVersion: v1
kind: Pod
metadata:
  name: nginx-deployment-8f458dc5b-${p.suffix}
  generateName: nginx-deployment-8f458dc5b-
  namespace: default
${deletion}  labels:
    app: nginx
    pod-template-hash: 8f458dc5b
  ownerReferences:
    - apiVersion: apps/v1
      kind: ReplicaSet
      name: nginx-deployment-8f458dc5b
      controller: true
      blockOwnerDeletion: true
spec:
  containers:
    - name: nginx
      image: nginx
      imagePullPolicy: Always
  nodeName: ${p.node}
  restartPolicy: Always
status:
  phase: Running
  hostIP: ${p.hostIP}
  podIP: ${p.ip}
  podIPs:
    - ip: ${p.ip}
  conditions:
    - type: Initialized
      status: "True"
    - type: Ready
      status: "${ready}"
    - type: ContainersReady
      status: "${ready}"
    - type: PodScheduled
      status: "True"
`;
}

interface ServiceOpts {
  name?: string;
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  clusterIP?: string | null;
  nodePort?: number;
  selector?: Record<string, string> | null;
  extraSpec?: string[];
  status?: string;
}

function serviceYaml(o: ServiceOpts = {}): string {
  const type = o.type ?? 'ClusterIP';
  const spec: string[] = [`  type: ${type}`];
  if (type === 'ExternalName') {
    spec.push(...(o.extraSpec ?? []));
  } else {
    if (o.clusterIP !== null) spec.push(`  clusterIP: ${o.clusterIP ?? CLUSTER_IP}`);
    spec.push('  ports:', '    - port: 80', '      protocol: TCP', '      name: http');
    if (o.nodePort) spec.push(`      nodePort: ${o.nodePort}`);
    const sel = o.selector === undefined ? { app: 'nginx' } : o.selector;
    if (sel) spec.push('  selector:', ...Object.entries(sel).map(([k, v]) => `    ${k}: ${v}`));
    spec.push(...(o.extraSpec ?? []));
  }
  return `apiVersion: v1
kind: Service
metadata:
  name: ${o.name ?? 'nginx-basic'}
  namespace: default
spec:
${spec.join('\n')}
${o.status ?? ''}`;
}

function docs(...parts: string[]): string {
  return parts.map((p) => p.replace(/\n+$/, '\n')).join('---\n');
}

// Reading order for a learner: the seed's two files first, then what the cluster made of them.
function seedDocs(service: string, pods: PodSpec[] = SEED_PODS, nodes: NodeSpec[] = SEED_NODES): string {
  return docs(DEPLOYMENT, service, ...pods.map(podYaml), ...nodes.map(nodeYaml));
}

const BASE_CONFIG: Partial<ProxierConfig> = {
  localDetector: { mode: 'ClusterCIDR', clusterCIDR: CLUSTER_CIDR },
};
const BASE_CLUSTER: ClusterSettings = { clusterCIDR: CLUSTER_CIDR, serviceClusterIPRange: '10.96.0.0/12', seed: 1 };
const TOPOLOGY_CLUSTER: ClusterSettings = { ...BASE_CLUSTER, kubernetesVersion: '1.20' };

const CLUSTER_PACKET: SuggestedPacket = { src: '10.244.235.208', dst: `${CLUSTER_IP}:80`, proto: 'tcp' };

function scenario(
  id: string,
  fromSeed: boolean,
  yaml: string,
  packet: SuggestedPacket,
  extra: Partial<Pick<Scenario, 'node' | 'cluster' | 'config' | 'mode'>> = {},
): Scenario {
  return {
    id,
    titleKey: `scenario.${id}.title`,
    explainKey: `scenario.${id}.explain`,
    fromSeed,
    yaml,
    mode: extra.mode ?? 'iptables',
    node: extra.node ?? 'k8s-master',
    packet,
    config: extra.config ?? BASE_CONFIG,
    cluster: extra.cluster ?? BASE_CLUSTER,
  };
}

const topologyService = (keys: string[]) =>
  serviceYaml({ extraSpec: ['  topologyKeys:', ...keys.map((k) => `    - "${k}"`)] });
const fromNode02: SuggestedPacket = { src: NODE02_IP, dst: `${CLUSTER_IP}:80`, proto: 'tcp' };

export const SCENARIOS: readonly Scenario[] = [
  scenario('nginx-clusterip', true, seedDocs(serviceYaml()), CLUSTER_PACKET),
  scenario(
    'nginx-nodeport',
    true,
    seedDocs(serviceYaml({ type: 'NodePort', nodePort: 30898 })),
    { src: '203.0.113.10', dst: `${NODE01_IP}:30898`, proto: 'tcp' },
    { node: 'k8s-node-01' },
  ),
  scenario(
    'nginx-loadbalancer',
    true,
    seedDocs(
      serviceYaml({
        type: 'LoadBalancer',
        nodePort: 30898,
        status: 'status:\n  loadBalancer:\n    ingress:\n      - ip: 192.168.56.240\n',
      }),
    ),
    { src: '203.0.113.10', dst: '192.168.56.240:80', proto: 'tcp' },
  ),
  // the lecture's IPVS section: the same Service, kube-proxy in IPVS mode (kube-ipvs0, ipsets,
  // IPVS at LOCAL_IN, iptables kept for masquerading)
  scenario('nginx-ipvs', true, seedDocs(serviceYaml()), CLUSTER_PACKET, { mode: 'ipvs' }),
  scenario(
    'nginx-headless',
    true,
    seedDocs(serviceYaml({ name: 'nginx-headless', clusterIP: 'None' })),
    { src: '10.244.235.208', dst: 'nginx-headless.default:80', proto: 'tcp' },
  ),
  scenario(
    'externalname',
    true,
    seedDocs(
      serviceYaml({ name: 'nginx-alias', type: 'ExternalName', extraSpec: ['  externalName: nginx.example.com'] }),
    ),
    { src: '10.244.235.208', dst: 'nginx-alias.default:80', proto: 'tcp' },
  ),
  scenario(
    'selectorless',
    true,
    docs(
      serviceYaml({ name: 'legacy-web', clusterIP: '10.102.249.200', selector: null }),
      `apiVersion: v1
kind: Endpoints
metadata:
  name: legacy-web
  namespace: default
subsets:
  - addresses:
      - ip: 192.168.100.50
    ports:
      - name: http
        port: 80
        protocol: TCP
`,
      ...SEED_NODES.map(nodeYaml),
    ),
    { src: '10.244.235.208', dst: '10.102.249.200:80', proto: 'tcp' },
  ),
  scenario(
    'topology-node-only',
    true,
    seedDocs(topologyService(['kubernetes.io/hostname']), SEED_PODS, ZONED_NODES),
    fromNode02,
    { node: 'k8s-node-02', cluster: TOPOLOGY_CLUSTER },
  ),
  scenario(
    'topology-node-zone-region',
    true,
    seedDocs(
      topologyService(['kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region']), SEED_PODS, ZONED_NODES,
    ),
    fromNode02,
    { node: 'k8s-node-02', cluster: TOPOLOGY_CLUSTER },
  ),
  scenario(
    'topology-zone-any',
    true,
    seedDocs(topologyService(['topology.kubernetes.io/zone', '*']), SEED_PODS, ZONED_NODES),
    fromNode02,
    { node: 'k8s-node-02', cluster: TOPOLOGY_CLUSTER },
  ),
  // Beyond the seed: topology-aware routing as it is done today. The EndpointSlice controller
  // hints each endpoint for its own zone (KEP-4444); kube-proxy keeps the endpoints hinted for its
  // node's zone when every ready endpoint has a hint and one is for its zone.
  scenario(
    'traffic-distribution',
    false,
    seedDocs(serviceYaml({ extraSpec: ['  trafficDistribution: PreferSameZone'] }), ZONED_PODS, ZONED_NODES),
    fromNode02,
    { node: 'k8s-node-02', cluster: { ...BASE_CLUSTER, kubernetesVersion: '1.35' } },
  ),
  scenario(
    'etp-local',
    false,
    // a LoadBalancer, so there is a health-check node port; and a third node with no nginx pod,
    // where the same packet from the load balancer is dropped
    seedDocs(
      serviceYaml({
        type: 'LoadBalancer',
        nodePort: 30898,
        extraSpec: ['  externalTrafficPolicy: Local'],
        status: 'status:\n  loadBalancer:\n    ingress:\n      - ip: 192.168.56.240\n',
      }),
      SEED_PODS,
      [...SEED_NODES, { name: 'k8s-node-02', ip: NODE02_IP, podCIDR: '10.244.36.0/24' }],
    ),
    { src: '203.0.113.10', dst: '192.168.56.240:80', proto: 'tcp' },
  ),
  scenario(
    'itp-local',
    false,
    seedDocs(serviceYaml({ extraSpec: ['  internalTrafficPolicy: Local'] })),
    CLUSTER_PACKET,
  ),
  scenario(
    'session-affinity',
    false,
    seedDocs(
      serviceYaml({
        extraSpec: ['  sessionAffinity: ClientIP', '  sessionAffinityConfig:', '    clientIP:', '      timeoutSeconds: 10800'],
      }),
    ),
    CLUSTER_PACKET,
  ),
  scenario(
    'not-ready-pod',
    false,
    seedDocs(
      serviceYaml(), SEED_PODS.map((p) => (p.suffix === 'xpf7n' ? { ...p, state: 'notReady' as const } : p)),
    ),
    CLUSTER_PACKET,
  ),
  scenario(
    'terminating-pod',
    false,
    seedDocs(
      serviceYaml(), SEED_PODS.map((p) => (p.suffix === 'xpf7n' ? { ...p, state: 'terminating' as const } : p)),
    ),
    CLUSTER_PACKET,
  ),
  scenario(
    'no-endpoints',
    false,
    seedDocs(serviceYaml({ name: 'nginx-nowhere', clusterIP: '10.102.249.129', selector: { app: 'nginx-v2' } })),
    { src: '10.244.235.208', dst: '10.102.249.129:80', proto: 'tcp' },
  ),
];

export const DEFAULT_SCENARIO_ID = 'nginx-clusterip';

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

/** Proxier and cluster settings for a workspace: its scenario's, or the seed's for custom YAML. */
export function settingsFor(id: string): Pick<Scenario, 'config' | 'cluster'> {
  const s = findScenario(id);
  return s ? { config: s.config, cluster: s.cluster } : { config: BASE_CONFIG, cluster: BASE_CLUSTER };
}
