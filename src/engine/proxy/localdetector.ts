// kube-proxy's local-traffic detector (pkg/proxy/util/localdetector.go): the words that mark
// "this packet comes from a pod on this node" and its negation. A detector whose CIDR is of the
// other family, or mode None, is the no-op detector (IsImplemented() false): null here.
import type { LocalDetector } from './config.ts';
import { parseCIDRSloppy } from './ip.ts';

export interface DetectorWords {
  ifLocal: string[];
  ifNotLocal: string[];
}

export function localDetectorWords(d: LocalDetector | undefined, family: 'IPv4' | 'IPv6'): DetectorWords | null {
  if (!d) return null;
  switch (d.mode) {
    case 'ClusterCIDR': {
      const cidr = (d.clusterCIDR ?? '').trim();
      const p = parseCIDRSloppy(cidr);
      if (!p || p.ip.family !== family) return null;
      return { ifLocal: ['-s', cidr], ifNotLocal: ['!', '-s', cidr] };
    }
    case 'BridgeInterface':
      if (!d.interface) return null;
      return { ifLocal: ['-i', d.interface], ifNotLocal: ['!', '-i', d.interface] };
    case 'InterfaceNamePrefix':
      if (!d.interfacePrefix) return null;
      return { ifLocal: ['-i', `${d.interfacePrefix}+`], ifNotLocal: ['!', '-i', `${d.interfacePrefix}+`] };
    default:
      return null;
  }
}
