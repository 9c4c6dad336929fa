// Who wrote a chain: kube-proxy's own chains by era and kind, the chains of CNIs and container
// runtimes people find next to them, and the kernel's built-in chains.

export type Owner = 'kernel' | 'kube-proxy' | 'kubelet' | 'calico' | 'flannel' | 'cilium' | 'docker' | 'kube-router' | 'weave' | 'openshift' | 'ovn-kubernetes' | 'istio' | 'unknown';

export type KubeChainKind =
  | 'services' | 'service' | 'service-local' | 'endpoint' | 'external' | 'firewall' | 'external-local-legacy' | 'nodeports'
  | 'postrouting' | 'mark-masq' | 'mark-drop' | 'forward' | 'external-services' | 'proxy-firewall' | 'firewall-localnet' | 'canary' | 'ipvs' | 'other';

export interface ChainOwner {
  owner: Owner;
  /** human name of the software */
  software: string;
  kind: KubeChainKind | null;
  /** the service-port hash of KUBE-SVC/SVL/EXT/FW/XLB/SEP chains */
  hash: string | null;
  legacy: boolean;
}

const BUILTIN = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

const KUBE_FIXED: Record<string, { kind: KubeChainKind; legacy?: boolean; owner?: Owner }> = {
  'KUBE-SERVICES': { kind: 'services' },
  'KUBE-NODEPORTS': { kind: 'nodeports' },
  'KUBE-POSTROUTING': { kind: 'postrouting' },
  'KUBE-MARK-MASQ': { kind: 'mark-masq' },
  'KUBE-MARK-DROP': { kind: 'mark-drop', legacy: true },
  'KUBE-FORWARD': { kind: 'forward' },
  'KUBE-EXTERNAL-SERVICES': { kind: 'external-services' },
  'KUBE-PROXY-FIREWALL': { kind: 'proxy-firewall' },
  'KUBE-FIREWALL': { kind: 'firewall-localnet' },
  'KUBE-PROXY-CANARY': { kind: 'canary' },
  'KUBE-KUBELET-CANARY': { kind: 'canary', owner: 'kubelet' },
  'KUBE-LOAD-BALANCER': { kind: 'ipvs' },
  'KUBE-NODE-PORT': { kind: 'ipvs' },
  'KUBE-IPVS-FILTER': { kind: 'ipvs' },
  'KUBE-IPVS-OUT-FILTER': { kind: 'ipvs' },
  'KUBE-SOURCE-RANGES-FIREWALL': { kind: 'ipvs' },
};

const PER_SERVICE: [RegExp, KubeChainKind, boolean][] = [
  [/^KUBE-SVC-([A-Z2-7]{16})$/, 'service', false],
  [/^KUBE-SVL-([A-Z2-7]{16})$/, 'service-local', false],
  [/^KUBE-SEP-([A-Z2-7]{16})$/, 'endpoint', false],
  [/^KUBE-EXT-([A-Z2-7]{16})$/, 'external', false],
  [/^KUBE-FW-([A-Z2-7]{16})$/, 'firewall', false],
  [/^KUBE-XLB-([A-Z2-7]{16})$/, 'external-local-legacy', true],
];

const OTHERS: [RegExp, Owner, string][] = [
  [/^KUBE-ROUTER-|^KUBE-POD-FW-|^KUBE-NWPLCY-|^KUBE-SRC-|^KUBE-DST-/, 'kube-router', 'kube-router'],
  [/^cali[-:]/, 'calico', 'Calico'],
  [/^FLANNEL/, 'flannel', 'Flannel'],
  [/^(OLD_)?CILIUM/, 'cilium', 'Cilium'],
  [/^DOCKER/, 'docker', 'Docker'],
  [/^WEAVE/, 'weave', 'Weave Net'],
  [/^OPENSHIFT-/, 'openshift', 'OpenShift'],
  [/^OVN-KUBE-/, 'ovn-kubernetes', 'OVN-Kubernetes'],
  [/^ISTIO_/, 'istio', 'Istio'],
];

export const SOFTWARE: Record<Owner, string> = {
  kernel: 'the kernel (built-in chain)', 'kube-proxy': 'kube-proxy', kubelet: 'kubelet', calico: 'Calico', flannel: 'Flannel', cilium: 'Cilium', docker: 'Docker',
  'kube-router': 'kube-router', weave: 'Weave Net', openshift: 'OpenShift', 'ovn-kubernetes': 'OVN-Kubernetes', istio: 'Istio', unknown: 'unknown software',
};

const memo = new Map<string, ChainOwner>();

export function chainOwner(name: string): ChainOwner {
  let o = memo.get(name);
  if (!o) {
    o = ownerOf(name);
    if (memo.size > 100_000) memo.clear();
    memo.set(name, o);
  }
  return o;
}

function ownerOf(name: string): ChainOwner {
  if (BUILTIN.has(name)) return { owner: 'kernel', software: SOFTWARE.kernel, kind: null, hash: null, legacy: false };
  for (const [re, owner, software] of OTHERS) if (re.test(name)) return { owner, software, kind: null, hash: null, legacy: false };
  const fixed = KUBE_FIXED[name];
  if (fixed) {
    const owner = fixed.owner ?? 'kube-proxy';
    return { owner, software: SOFTWARE[owner], kind: fixed.kind, hash: null, legacy: fixed.legacy ?? false };
  }
  for (const [re, kind, legacy] of PER_SERVICE) {
    const m = re.exec(name);
    if (m) return { owner: 'kube-proxy', software: 'kube-proxy', kind, hash: m[1], legacy };
  }
  if (/^KUBE-(PORTALS|NODEPORT)-(CONTAINER|HOST)$/.test(name)) return { owner: 'kube-proxy', software: 'kube-proxy (userspace mode, before 1.2x)', kind: 'other', hash: null, legacy: true };
  if (/^KUBE-/.test(name)) return { owner: 'kube-proxy', software: 'kube-proxy', kind: 'other', hash: null, legacy: false };
  return { owner: 'unknown', software: SOFTWARE.unknown, kind: null, hash: null, legacy: false };
}
