// Public face of IPVS mode for the CLI (`generate --mode ipvs`), the worker and the pipeline.
import type { IpvsDataplane } from '../../ipvs/types.ts';
import { ipvsSave } from './node.ts';
import { ipvsJson, renderIpAddrKubeIpvs0, renderIpsetList, renderIpvsadm } from './render.ts';

export { generateIpvs, type IpvsConfigExtras, type IpvsGenerateOptions } from './proxier.ts';
export { applySync, expireDrained } from './graceful.ts';
export { ipvsHook, ipvsIpsets, ipvsNodeModel, ipvsNodeRuleset, ipvsSave, ipvsJumpsRestore } from './node.ts';
export { ipvsJson, renderIpAddrKubeIpvs0, renderIpsetList, renderIpvsadm, renderIpvsadmStats } from './render.ts';
export { restoreRules } from './iptables.ts';

export type IpvsOutput = 'restore' | 'save' | 'ipvsadm' | 'ipset' | 'ipaddr' | 'json';

/** `generate --output json` for a node in IPVS mode (CONTRACTS.md). */
export function ipvsGenerateJson(node: string, dp: IpvsDataplane) {
  return {
    node,
    mode: 'ipvs' as const,
    iptables: { restore: dp.iptablesRestore, save: ipvsSave(dp) },
    ipvs: ipvsJson(dp),
    nftables: null,
  };
}

/** The text `generate --mode ipvs --output X` prints; null for an output IPVS mode does not have (nft). */
export function renderIpvsOutput(node: string, dp: IpvsDataplane, output: string): string | null {
  switch (output) {
    case 'restore':
      return dp.iptablesRestore;
    case 'save':
      return ipvsSave(dp);
    case 'ipvsadm':
      return renderIpvsadm(dp);
    case 'ipset':
      return renderIpsetList(dp);
    case 'ipaddr':
      return renderIpAddrKubeIpvs0(dp);
    case 'json':
      return JSON.stringify(ipvsGenerateJson(node, dp), null, 2) + '\n';
    default:
      return null;
  }
}
