// Which table a rule belongs to when the paste does not say (a grep excerpt of iptables-save).
// KUBE-SERVICES and KUBE-NODEPORTS exist in both nat and filter, so the target decides there.

const NAT_TARGETS = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP', 'KUBE-MARK-MASQ', 'KUBE-MARK-DROP', 'KUBE-POSTROUTING']);
const NAT_CHAIN = /^(KUBE-(SVC|SEP|EXT|FW|XLB|SVL|MARK-MASQ|MARK-DROP|POSTROUTING|PORTALS-CONTAINER|PORTALS-HOST|NODEPORT-CONTAINER|NODEPORT-HOST|LOAD-BALANCER|KUBE-NODE-PORT)|DOCKER$|cali-nat|FLANNEL-POSTRTG|CILIUM_(PRE|OUTPUT|POST)_nat|POSTROUTING$|PREROUTING$)/;
const FILTER_CHAIN = /^(KUBE-(FORWARD|FIREWALL|PROXY-FIREWALL|EXTERNAL-SERVICES|PROXY-CANARY|KUBELET-CANARY)|DOCKER-(USER|ISOLATION)|FLANNEL-FWD|cali-(FORWARD|INPUT|OUTPUT|fw-|tw-|from-|to-|pri-|pro-|wl-|po-|pi-)|INPUT$|FORWARD$)/;

export function inferTable(chain: string, target: string | null): string {
  if (target && NAT_TARGETS.has(target)) return 'nat';
  if (target && /^KUBE-(SVC|SEP|EXT|FW|XLB|SVL)-/.test(target)) return 'nat';
  if (target === 'REJECT' || target === 'DROP') return 'filter';
  if (chain === 'KUBE-NODEPORTS' && target === 'ACCEPT') return 'filter';
  if (chain === 'KUBE-SERVICES' && target === 'KUBE-NODEPORTS') return 'nat';
  if (NAT_CHAIN.test(chain)) return 'nat';
  if (FILTER_CHAIN.test(chain)) return 'filter';
  if (/^cali-/.test(chain) && /mangle|raw/.test(chain)) return 'mangle';
  return chain === 'KUBE-NODEPORTS' ? 'nat' : 'filter';
}
