// IPVS mode's views of a node, and where the current IPVS step sits in `ipvsadm -Ln` output.
import type { IpvsViews } from '../../worker/protocol.ts';

export type IpvsTab = 'iptables' | 'ipvsadm' | 'ipset' | 'ipaddr';
export const IPVS_TABS: readonly IpvsTab[] = ['iptables', 'ipvsadm', 'ipset', 'ipaddr'];

export function ipvsTabText(tab: Exclude<IpvsTab, 'iptables'>, views: IpvsViews): string {
  return views[tab];
}

/**
 * The lines (1-based) of the virtual server `proto vip:port` and of its real server `target` in
 * `ipvsadm -Ln` text; null where not found. ipvsadm prints a service as `TCP  10.96.0.1:443 rr`
 * (protocol padded to 5) and each destination as `  -> 10.244.1.5:80   Masq ...`.
 */
export function ipvsadmFocus(text: string, proto: string, vip: string, target: string | null): { vs: number | null; rs: number | null } {
  const lines = text.split('\n');
  const head = `${proto.toUpperCase().padEnd(4)} ${vip} `;
  let vs: number | null = null;
  let rs: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (vs === null) {
      if (l.startsWith(head)) vs = i + 1;
      continue;
    }
    if (!l.startsWith('  -> ')) break;
    if (target !== null && l.slice(5).split(' ')[0] === target) {
      rs = i + 1;
      break;
    }
  }
  return { vs, rs };
}
