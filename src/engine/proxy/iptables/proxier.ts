// kube-proxy's iptables proxier for one node, full sync (pkg/proxy/iptables/proxier.go
// syncProxyRules): the text it hands to iptables-restore, rule for rule and word for word.
// Spec: research/kube-proxy-iptables.md sections 4-6; pinned by conformance/kube-proxy-iptables.

import type { EndpointSlice, Service } from '../../k8s/types.ts';
import type { ProxierConfig } from '../config.ts';
import { resolveProxierConfig } from '../config.ts';
import type { ProxyEndpoint, ServicePortInfo } from '../model.ts';
import { externallyAccessible, usesClusterEndpoints, usesLocalEndpoints } from '../model.ts';
import { categorizeEndpoints, type CategorizedEndpoints } from '../categorize.ts';
import { buildServicePorts, servicePortKey } from '../serviceport.ts';
import { buildEndpointsMap } from '../endpoints.ts';
import { sepChain, servicePortChains } from '../chainnames.ts';
import { kubeProxyProbability } from '../fixed.ts';
import { cidrContains, isLoopback, parseCIDRSloppy, parseIPSloppy, formatIP, type ParsedCIDR } from '../ip.ts';
import { parseProxyVersion, versionBefore } from '../version.ts';
import { localDetectorWords } from '../localdetector.ts';
import type { Diagnostic } from '../../diagnostics.ts';
import { restoreTable, rulesText, RuleText } from './ruletext.ts';

/** One table of restore input: chain declarations, then rule lines, in write order. */
export interface RestoreTable {
  name: 'filter' | 'nat';
  chains: string[];
  /** full lines: `-A CHAIN ...`, and `-X CHAIN` where kube-proxy deletes a stale chain */
  rules: string[];
  /** the chains deleted by this restore (their `-X` lines are among `rules`) */
  deleted: string[];
}

/** Inputs for a sync that follows earlier ones (MinimizeIPTablesRestore, GA in v1.28). */
export interface SyncOptions {
  /**
   * Chains in the node's nat table before this sync (see nextNatChains). Stale KUBE-SVC/SVL/
   * EXT/FW/SEP chains among them are flushed and deleted with `-X`. Omitted: a fresh node.
   */
  existingNatChains?: Iterable<string>;
  /**
   * Partial sync: per-service chains are rewritten only for these Services (`namespace/name`);
   * null or omitted means a full sync.
   */
  changedServices?: ReadonlySet<string> | null;
}

const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-'];

/** The nat table's chains after a restore: what was there, plus what it declared, minus what it deleted. */
export function nextNatChains(existing: Iterable<string>, sync: IptablesSync): Set<string> {
  const out = new Set(existing);
  const nat = sync.tables[1];
  for (const c of nat.chains) out.add(c);
  for (const c of nat.deleted) out.delete(c);
  return out;
}

/** What one sync decided, per service port (for explain / UI without reparsing). */
export interface ServicePortSync {
  servicePort: ServicePortInfo;
  endpoints: ProxyEndpoint[];
  categorized: CategorizedEndpoints;
  /** endpoint `IP:port` -> its KUBE-SEP chain */
  sepChains: Map<string, string>;
}

export interface IptablesSync {
  tables: [RestoreTable, RestoreTable];
  /** nat chains this sync keeps (written now or, in a partial sync, left as they were) */
  activeNatChains: Set<string>;
  /** unchanged services' chains were left out of the restore input */
  partial: boolean;
  /** things the user should know about this output (no source position: they concern the config) */
  diagnostics: Diagnostic[];
  servicePorts: ServicePortSync[];
  largeClusterMode: boolean;
}

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
export const KUBE_FIREWALL = 'KUBE-FIREWALL';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';

const NODEPORTS_LAST_RULE_COMMENT = '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"';

/** Words to one line; only for the handful of fixed rules (per-service rules are built as single strings). */
function words(...ws: (string | readonly string[])[]): string {
  return ws.flat().join(' ');
}

/** Full-sync restore input, exactly as kube-proxy writes it. */
export function generateIptablesRestore(services: Service[], slices: EndpointSlice[], config: Partial<ProxierConfig>, opts: SyncOptions = {}): string {
  return renderRestore(syncIptables(services, slices, config, opts).tables);
}

export function renderRestore(tables: readonly RestoreTable[]): string {
  const out: string[] = [];
  for (const t of tables) {
    out.push(`*${t.name}\n`);
    if (t.chains.length > 0) out.push(':', t.chains.join(' - [0:0]\n:'), ' - [0:0]\n');
    for (const piece of rulesText(t)) out.push(piece);
    out.push('COMMIT\n');
  }
  return out.join('');
}

export function syncIptables(services: Service[], slices: EndpointSlice[], partial: Partial<ProxierConfig>, opts: SyncOptions = {}): IptablesSync {
  const config = resolveProxierConfig(partial);
  const version = parseProxyVersion(config.kubeProxyVersion);
  const newest = !versionBefore(version, 29);
  const isIPv6 = config.ipFamily === 'IPv6';
  const mark = config.masqueradeMark || `0x${(1 << config.masqueradeBit).toString(16).padStart(8, '0')}`;
  const nfacct = newest ? config.nfacct ?? {} : {};
  const detector = localDetectorWords(config.localDetector, config.ipFamily);
  const ifLocal = detector ? detector.ifLocal.join(' ') : '';
  const ifNotLocal = detector ? detector.ifNotLocal.join(' ') : '';

  const servicePorts = buildServicePorts(services, { ipFamily: config.ipFamily, kubeProxyVersion: config.kubeProxyVersion, featureGates: config.featureGates });
  const endpointsMap = buildEndpointsMap(slices, {
    ipFamily: config.ipFamily,
    nodeName: config.nodeName,
    endpointDedupPrefers: config.endpointDedupPrefers,
  });

  const filterChains: string[] = [];
  const filterRules = new RuleText();
  const natChains: string[] = [];
  const natRules = new RuleText();
  // a partial sync computes unchanged services' chains and throws them away, as kube-proxy does
  const skippedChains: string[] = [];
  const skippedRules = new RuleText();
  const active = new Set<string>();

  filterChains.push(KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL);
  natChains.push(KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ);

  natRules.push(words('-A', KUBE_POSTROUTING, '-m', 'mark', '!', '--mark', `${mark}/${mark}`, '-j', 'RETURN'));
  natRules.push(words('-A', KUBE_POSTROUTING, '-j', 'MARK', '--xor-mark', mark));
  natRules.push(
    words(
      '-A', KUBE_POSTROUTING, '-m', 'comment', '--comment', '"kubernetes service traffic requiring SNAT"', '-j', 'MASQUERADE',
      config.iptablesHasRandomFully ? ['--random-fully'] : [],
    ),
  );
  natRules.push(words('-A', KUBE_MARK_MASQ, '-j', 'MARK', '--or-mark', mark));

  if (!isIPv6 && config.localhostNodePorts) {
    filterChains.push(KUBE_FIREWALL);
    filterRules.push(
      words(
        '-A', KUBE_FIREWALL, '-m', 'comment', '--comment', '"block incoming localnet connections"',
        '-d', '127.0.0.0/8', '!', '-s', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP',
      ),
    );
  }

  let totalEndpoints = 0;
  const epLists = servicePorts.map((sp) => {
    const list = endpointsMap.get(servicePortKey(sp.namespace, sp.serviceName, sp.portName, sp.protocol)) ?? [];
    totalEndpoints += list.length;
    return list;
  });
  const largeClusterMode = totalEndpoints > config.largeClusterEndpointsThreshold;
  /** ` -m comment --comment TEXT`, or nothing in large-cluster mode */
  const comment = (text: string): string => (largeClusterMode ? '' : ` -m comment --comment ${text}`);

  const probabilities: string[] = [];
  const probability = (n: number): string => (probabilities[n] ??= kubeProxyProbability(n));

  const nodeIP = parseIPSloppy(config.nodeIP);
  const results: ServicePortSync[] = [];
  const categorizeOpts = {
    nodeName: config.nodeName,
    nodeLabels: config.topologyLabels ?? {},
    kubeProxyVersion: config.kubeProxyVersion,
    featureGates: config.featureGates,
  };

  for (let idx = 0; idx < servicePorts.length; idx++) {
    const sp = servicePorts[idx];
    const endpoints = epLists[idx];
    const cat = categorizeEndpoints(endpoints, sp, categorizeOpts);
    const protocol = sp.protocol.toLowerCase();
    const name = sp.name;
    const chains = servicePortChains(name, sp.protocol);
    const sepOf = new Map<string, string>();
    const sep = (ep: ProxyEndpoint): string => {
      let c = sepOf.get(ep.key);
      if (!c) sepOf.set(ep.key, (c = sepChain(name, sp.protocol, ep.key)));
      return c;
    };
    results.push({ servicePort: sp, endpoints, categorized: cat, sepChains: sepOf });

    const hasEndpoints = cat.hasAnyEndpoints;
    for (const ep of cat.allReachableEndpoints) active.add(sep(ep));
    const usesClusterPolicyChain = cat.clusterEndpoints.length > 0 && usesClusterEndpoints(sp);
    const usesLocalPolicyChain = cat.localEndpoints.length > 0 && usesLocalEndpoints(sp);
    const clusterPolicyChain = chains.svc;
    const localPolicyChain = chains.svl;

    let internalTrafficChain = clusterPolicyChain;
    let hasInternalEndpoints = hasEndpoints;
    if (sp.internalPolicyLocal) {
      internalTrafficChain = localPolicyChain;
      if (cat.localEndpoints.length === 0) hasInternalEndpoints = false;
    }
    let externalPolicyChain = clusterPolicyChain;
    let hasExternalEndpoints = hasEndpoints;
    if (sp.externalPolicyLocal) {
      externalPolicyChain = localPolicyChain;
      if (cat.localEndpoints.length === 0) hasExternalEndpoints = false;
    }
    const externalTrafficChain = chains.ext;
    const usesExternalTrafficChain = hasEndpoints && externallyAccessible(sp);
    const usesFWChain = hasEndpoints && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
    if (usesClusterPolicyChain) active.add(clusterPolicyChain);
    if (usesLocalPolicyChain) active.add(localPolicyChain);
    if (usesExternalTrafficChain) active.add(externalTrafficChain);
    if (usesFWChain) active.add(chains.fw);
    const loadBalancerTrafficChain = usesFWChain ? chains.fw : externalTrafficChain;

    let internalFilterTarget = '';
    let internalFilterComment = '';
    let externalFilterTarget = '';
    let externalFilterComment = '';
    if (!hasEndpoints) {
      internalFilterTarget = externalFilterTarget = 'REJECT';
      internalFilterComment = externalFilterComment = `"${name} has no endpoints"`;
    } else {
      if (!hasInternalEndpoints) {
        internalFilterTarget = 'DROP';
        internalFilterComment = `"${name} has no local endpoints"`;
      }
      if (!hasExternalEndpoints) {
        externalFilterTarget = 'DROP';
        externalFilterComment = `"${name} has no local endpoints"`;
      }
    }
    const port = sp.port;
    const proto = `-m ${protocol} -p ${protocol}`;
    // `-m PROTO -p PROTO --dport PORT` after `-d IP` recurs in every dispatch rule
    const toPort = ` --dport ${port} -j `;

    // ClusterIP
    if (hasInternalEndpoints) {
      natRules.push(`-A ${KUBE_SERVICES} -m comment --comment "${name} cluster IP" ${proto} -d ${sp.clusterIP}${toPort}${internalTrafficChain}`);
    } else {
      filterRules.push(`-A ${KUBE_SERVICES} -m comment --comment ${internalFilterComment} ${proto} -d ${sp.clusterIP}${toPort}${internalFilterTarget}`);
    }

    for (const eip of sp.externalIPs) {
      if (hasEndpoints) {
        natRules.push(`-A ${KUBE_SERVICES} -m comment --comment "${name} external IP" ${proto} -d ${eip}${toPort}${externalTrafficChain}`);
      }
      if (!hasExternalEndpoints) {
        filterRules.push(`-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${externalFilterComment} ${proto} -d ${eip}${toPort}${externalFilterTarget}`);
      }
    }

    for (const lb of sp.loadBalancerVIPs) {
      if (hasEndpoints) {
        natRules.push(`-A ${KUBE_SERVICES} -m comment --comment "${name} loadbalancer IP" ${proto} -d ${lb}${toPort}${loadBalancerTrafficChain}`);
      }
      if (usesFWChain) {
        filterRules.push(`-A ${KUBE_PROXY_FIREWALL} -m comment --comment "${name} traffic not accepted by ${chains.fw}" ${proto} -d ${lb}${toPort}DROP`);
      }
    }
    if (!hasExternalEndpoints) {
      for (const lb of sp.loadBalancerVIPs) {
        filterRules.push(`-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${externalFilterComment} ${proto} -d ${lb}${toPort}${externalFilterTarget}`);
      }
    }

    if (sp.nodePort !== 0) {
      const np = sp.nodePort;
      if (hasEndpoints) {
        if (config.localhostNodePorts && !isIPv6 && nfacct.localhost_nps_accepted_pkts) {
          natRules.push(
            `-A ${KUBE_NODEPORTS} -m comment --comment ${name} ${proto} -d 127.0.0.0/8 --dport ${np} -m nfacct --nfacct-name localhost_nps_accepted_pkts -j ${externalTrafficChain}`,
          );
        }
        natRules.push(`-A ${KUBE_NODEPORTS} -m comment --comment ${name} ${proto} --dport ${np} -j ${externalTrafficChain}`);
      }
      if (!hasExternalEndpoints) {
        filterRules.push(
          `-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${externalFilterComment} -m addrtype --dst-type LOCAL ${proto} --dport ${np} -j ${externalFilterTarget}`,
        );
      }
    }

    if (sp.healthCheckNodePort !== 0) {
      filterRules.push(`-A ${KUBE_NODEPORTS} -m comment --comment "${name} health check node port" -m tcp -p tcp --dport ${sp.healthCheckNodePort} -j ACCEPT`);
    }

    const unchanged = opts.changedServices != null && !opts.changedServices.has(`${sp.namespace}/${sp.serviceName}`);
    const chainOut = unchanged ? skippedChains : natChains;
    const ruleOut = unchanged ? skippedRules : natRules;

    if (hasInternalEndpoints) {
      const args = `-A ${internalTrafficChain} -m comment --comment "${name} cluster IP" ${proto} -d ${sp.clusterIP} --dport ${port}`;
      if (config.masqueradeAll) {
        ruleOut.push(`${args} -j ${KUBE_MARK_MASQ}`);
      } else if (detector) {
        ruleOut.push(`${args} ${ifNotLocal} -j ${KUBE_MARK_MASQ}`);
      }
    }

    if (usesExternalTrafficChain) {
      chainOut.push(externalTrafficChain);
      if (!sp.externalPolicyLocal) {
        ruleOut.push(`-A ${externalTrafficChain} -m comment --comment "masquerade traffic for ${name} external destinations" -j ${KUBE_MARK_MASQ}`);
      } else {
        if (detector) {
          ruleOut.push(`-A ${externalTrafficChain} -m comment --comment "pod traffic for ${name} external destinations" ${ifLocal} -j ${clusterPolicyChain}`);
        }
        ruleOut.push(
          `-A ${externalTrafficChain} -m comment --comment "masquerade LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${KUBE_MARK_MASQ}`,
        );
        ruleOut.push(
          `-A ${externalTrafficChain} -m comment --comment "route LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${clusterPolicyChain}`,
        );
      }
      if (hasExternalEndpoints) ruleOut.push(`-A ${externalTrafficChain} -j ${externalPolicyChain}`);
    }

    if (usesFWChain) {
      chainOut.push(chains.fw);
      const args = `-A ${chains.fw} -m comment --comment "${name} loadbalancer IP"`;
      let allowFromNode = false;
      for (const src of sp.loadBalancerSourceRanges) {
        ruleOut.push(`${args} -s ${src} -j ${externalTrafficChain}`);
        const cidr: ParsedCIDR | null = parseCIDRSloppy(src);
        if (cidr && nodeIP && cidrContains(cidr, nodeIP)) allowFromNode = true;
      }
      if (allowFromNode) {
        for (const lb of sp.loadBalancerVIPs) ruleOut.push(`${args} -s ${lb} -j ${externalTrafficChain}`);
      }
      ruleOut.push(`-A ${chains.fw} -m comment --comment "other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL"`);
    }

    // built only when printed: large-cluster mode (every big sync) drops these comments
    const epComment = (ep: ProxyEndpoint): string => (largeClusterMode ? '' : ` -m comment --comment "${name} -> ${ep.key}"`);
    const writeServiceToEndpointRules = (chain: string, eps: readonly ProxyEndpoint[]) => {
      if (sp.sessionAffinityClientIP) {
        const seconds = sp.stickyMaxAgeSeconds;
        for (const ep of eps) {
          const c = sep(ep);
          ruleOut.push(`-A ${chain}${epComment(ep)} -m recent --name ${c} --rcheck --seconds ${seconds} --reap -j ${c}`);
        }
      }
      const n = eps.length;
      for (let i = 0; i < n; i++) {
        const ep = eps[i];
        const stat = i < n - 1 ? ` -m statistic --mode random --probability ${probability(n - i)}` : '';
        ruleOut.push(`-A ${chain}${epComment(ep)}${stat} -j ${sep(ep)}`);
      }
    };

    if (usesClusterPolicyChain) {
      chainOut.push(clusterPolicyChain);
      writeServiceToEndpointRules(clusterPolicyChain, cat.clusterEndpoints);
    }
    if (usesLocalPolicyChain) {
      chainOut.push(localPolicyChain);
      writeServiceToEndpointRules(localPolicyChain, cat.localEndpoints);
    }

    const sepComment = comment(name);
    for (const ep of cat.allReachableEndpoints) {
      const c = sep(ep);
      chainOut.push(c);
      ruleOut.push(`-A ${c}${sepComment} -s ${ep.ip} -j ${KUBE_MARK_MASQ}`);
      const affinity = sp.sessionAffinityClientIP ? ` -m recent --name ${c} --set` : '';
      ruleOut.push(`-A ${c}${sepComment}${affinity} ${proto} -j DNAT --to-destination ${ep.key}`);
    }
  }

  const deleted: string[] = [];
  if (opts.existingNatChains) {
    // kube-proxy walks a map here; sorted keeps the engine deterministic
    for (const chain of [...new Set(opts.existingNatChains)].sort()) {
      if (active.has(chain) || !SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p))) continue;
      natChains.push(chain);
      natRules.push(`-X ${chain}`);
      deleted.push(chain);
    }
  }

  // the NodePort dispatch must be the last rule of nat KUBE-SERVICES
  const nodePortCIDRs = nodePortCIDRsForFamily(config.nodePortAddresses, config.ipFamily);
  if (nodePortCIDRs === 'all') {
    const dest = ['-m', 'addrtype', '--dst-type', 'LOCAL'];
    if (isIPv6) dest.push('!', '-d', '::1/128');
    else if (!config.localhostNodePorts) dest.push('!', '-d', '127.0.0.0/8');
    natRules.push(words('-A', KUBE_SERVICES, '-m', 'comment', '--comment', NODEPORTS_LAST_RULE_COMMENT, dest, '-j', KUBE_NODEPORTS));
  } else {
    for (const ip of nodeIPsIn(config.nodeInterfaces ?? [], nodePortCIDRs)) {
      const parsed = parseIPSloppy(ip)!;
      if (isLoopback(parsed) && (isIPv6 || !config.localhostNodePorts)) continue;
      natRules.push(words('-A', KUBE_SERVICES, '-m', 'comment', '--comment', NODEPORTS_LAST_RULE_COMMENT, '-d', ip, '-j', KUBE_NODEPORTS));
    }
  }

  if (!(newest && config.conntrackTCPBeLiberal)) {
    filterRules.push(words('-A', KUBE_FORWARD, '-m', 'conntrack', '--ctstate', 'INVALID', nfacct.ct_state_invalid_dropped_pkts ? ['-m', 'nfacct', '--nfacct-name', 'ct_state_invalid_dropped_pkts'] : [], '-j', 'DROP'));
  }
  filterRules.push(words('-A', KUBE_FORWARD, '-m', 'comment', '--comment', '"kubernetes forwarding rules"', '-m', 'mark', '--mark', `${mark}/${mark}`, '-j', 'ACCEPT'));
  filterRules.push(words('-A', KUBE_FORWARD, '-m', 'comment', '--comment', '"kubernetes forwarding conntrack rule"', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'));

  return {
    tables: [
      restoreTable('filter', filterChains, filterRules, []),
      restoreTable('nat', natChains, natRules, deleted),
    ],
    activeNatChains: active,
    partial: opts.changedServices != null,
    diagnostics: versionDiagnostics(config.kubeProxyVersion),
    servicePorts: results,
    largeClusterMode,
  };
}

/**
 * The rule layout here is the one kube-proxy v1.28 and later write (vectors pin v1.28 and the
 * newest line). Earlier releases differed (KUBE-XLB before v1.24, KUBE-MARK-DROP before ~v1.25,
 * KUBE-FIREWALL owned by the kubelet before ~v1.27); say so rather than pass the text off as theirs.
 */
function versionDiagnostics(versionText: string): Diagnostic[] {
  const v = parseProxyVersion(versionText);
  if (!versionBefore(v, 28)) return [];
  return [
    {
      code: 'iptables-layout-newer-than-version',
      severity: 'warning',
      message: `kube-proxy ${versionText} wrote some iptables rules differently; these rules follow the v1.28 layout (endpoint selection follows ${versionText})`,
      line: 0,
      col: 0,
      key: 'proxy.iptablesLayoutNewerThanVersion',
      params: { version: versionText },
    },
  ];
}

/** NewNodePortAddresses: this family's CIDRs; none of this family, or a zero CIDR, means all. */
function nodePortCIDRsForFamily(cidrs: string[] | null | undefined, family: 'IPv4' | 'IPv6'): ParsedCIDR[] | 'all' {
  const parsed = (cidrs ?? []).flatMap((c) => {
    const p = parseCIDRSloppy(c.trim());
    return p && p.ip.family === family ? [p] : [];
  });
  if (parsed.length === 0 || parsed.some((c) => c.prefix === 0)) return 'all';
  return parsed;
}

/** Node addresses inside the CIDRs, in interface order, each once (kube-proxy uses a set). */
function nodeIPsIn(interfaces: { addresses: string[] }[], cidrs: ParsedCIDR[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const iface of interfaces) {
    for (const addr of iface.addresses) {
      const ip = parseIPSloppy(addr.split('/')[0]);
      if (!ip) continue;
      const text = formatIP(ip);
      if (!seen.has(text) && cidrs.some((c) => cidrContains(c, ip))) {
        seen.add(text);
        out.push(text);
      }
    }
  }
  return out;
}
