// Pod IPs from each node's pod CIDR, lowest free address first from .2 (the bridge CNI keeps .1
// for the gateway), skipping addresses pasted pods already hold. hostNetwork pods get the node IP.
import type { Pod } from '../k8s/types.ts';
import { ipToString, parseCIDR, parseIP } from './ip.ts';
import { isTerminal, podIPs, settlePastedPod } from './pods.ts';
import type { SimNode } from './types.ts';

export function assignPodIPs(pods: Pod[], nodes: SimNode[]): void {
  const used = new Set<string>();
  for (const p of pods) for (const ip of podIPs(p)) if (!p.spec.hostNetwork) used.add(ip);
  const cursor = new Map<string, bigint>();
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const p of pods) {
    const node = p.spec.nodeName ? byName.get(p.spec.nodeName) : undefined;
    if (!node || podIPs(p).length > 0 || isTerminal(p) || p.status?.phase === 'Pending') continue;
    let ip: string | null = null;
    if (p.spec.hostNetwork) ip = node.internalIP;
    else {
      const cidr = parseCIDR(node.podCIDR);
      if (cidr) {
        const size = 1n << BigInt(cidr.bits - cidr.prefix);
        let off = cursor.get(node.name) ?? 2n;
        // IPv4 keeps the broadcast address out
        const end = cidr.family === 'IPv4' ? size - 1n : size;
        while (off < end && used.has(ipToString(cidr.base + off, cidr.family))) off++;
        if (off < end) {
          ip = ipToString(cidr.base + off, cidr.family);
          cursor.set(node.name, off + 1n);
        }
      }
    }
    if (!ip || !parseIP(ip)) continue;
    used.add(ip);
    p.status = { ...(p.status ?? {}), hostIP: node.internalIP, podIP: ip, podIPs: [{ ip }] };
    settlePastedPod(p);
  }
}
