// The jump rules kube-proxy ensures in the built-in chains on every full sync (research
// kube-proxy-iptables.md section 3). They never appear in the restore text, so a generated node
// starts from them; each is inserted at the top when missing, so the final order is the reverse
// of this list.
import type { Ruleset } from './model.ts';
import { applyRestore, emptyRuleset } from './restore.ts';

const ENSURED: [table: string, chain: string, args: string][] = [
  ['filter', 'INPUT', '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES'],
  ['filter', 'FORWARD', '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES'],
  ['filter', 'INPUT', '-m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS'],
  ['filter', 'FORWARD', '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ['filter', 'OUTPUT', '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ['filter', 'FORWARD', '-m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD'],
  ['filter', 'INPUT', '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL'],
  ['filter', 'OUTPUT', '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL'],
  ['filter', 'FORWARD', '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL'],
  ['nat', 'OUTPUT', '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ['nat', 'PREROUTING', '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ['nat', 'POSTROUTING', '-m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING'],
  ['filter', 'INPUT', '-j KUBE-FIREWALL'],
  ['filter', 'OUTPUT', '-j KUBE-FIREWALL'],
];

/** A fresh node's built-in chains holding kube-proxy's ensured jumps (in restore form). */
export function kubeProxyJumpsRestore(): string {
  const out: string[] = [];
  for (const table of ['filter', 'nat']) {
    out.push(`*${table}`);
    const rows = ENSURED.filter((e) => e[0] === table);
    const chains = [...new Set(rows.map((r) => r[1]))];
    for (const c of chains) out.push(`:${c} ACCEPT [0:0]`);
    // "ensure chain" before "ensure rule": the jump targets exist even when a sync leaves them empty
    for (const target of [...new Set(rows.map((r) => /-j (\S+)$/.exec(r[2])![1]))]) out.push(`:${target} - [0:0]`);
    for (const c of chains) {
      // inserted at the top one after another: the last ensured comes first
      for (const r of rows.filter((x) => x[1] === c).reverse()) out.push(`-A ${c} ${r[2]}`);
    }
    out.push('COMMIT');
  }
  return out.join('\n') + '\n';
}

/** The node's ruleset after kube-proxy applied `restoreText` (its generated sync) on a fresh node. */
export function kubeProxyNode(restoreText: string, family: Ruleset['family'] = 'ipv4'): Ruleset {
  const base = applyRestore(emptyRuleset(family), kubeProxyJumpsRestore()).ruleset;
  return applyRestore(base, restoreText).ruleset;
}
