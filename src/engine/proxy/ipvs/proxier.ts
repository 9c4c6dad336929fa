// kube-proxy's IPVS proxier for one node (pkg/proxy/ipvs/proxier.go syncProxyRules, syncService,
// syncEndpoint), computed from scratch: the converged state after one full sync with no earlier
// IPVS state on the node. Graceful termination across syncs is in graceful.ts.
import type { EndpointSlice, Service } from '../../k8s/types.ts';
import type { LocalDetector, ProxierConfig } from '../config.ts';
import type { IpSet, IpvsDataplane, IpvsProtocol, RealServer, VirtualServer } from '../../ipvs/types.ts';
import { IP_VS_SVC_F_PERSISTENT, IP_VS_SVC_F_SCHED2 } from '../../ipvs/types.ts';
import { buildServicePorts, servicePortKey } from '../serviceport.ts';
import { buildEndpointsMap } from '../endpoints.ts';
import { categorizeEndpoints } from '../categorize.ts';
import { cidrContains, formatIP, isLoopback, parseCIDRSloppy, parseIPSloppy, type ParsedIP } from '../ip.ts';
import { compareIp } from '../../ipvs/addr.ts';
import * as S from './ipsets.ts';
import { ipvsIptablesRestore, ipvsMasqueradeMark } from './iptables.ts';

export const DUMMY_DEVICE = 'kube-ipvs0';
export const DEFAULT_SCHEDULER = 'rr';

/** Config fields the IPVS vectors carry beyond the shared ProxierConfig. */
export interface IpvsConfigExtras {
  /** addresses per device as netlink reports them; default: config.nodeInterfaces */
  netlinkLocalAddresses?: Record<string, string[]>;
  excludeCIDRs?: string[];
  ipvsScheduler?: string;
}

export interface IpvsGenerateOptions {
  /** labels of the proxier's node (zone hints); default none */
  nodeLabels?: Record<string, string>;
}

type Detector = LocalDetector | { mode: 'NoOp' };

/** All addresses of the family on every device except kube-ipvs0, minus loopback and IPv6 link-local. */
function nodeAddressSet(config: ProxierConfig & IpvsConfigExtras, family: 'IPv4' | 'IPv6'): ParsedIP[] {
  const byDevice: Record<string, string[]> =
    config.netlinkLocalAddresses ??
    Object.fromEntries((config.nodeInterfaces ?? []).map((i) => [i.name, i.addresses.map((a) => a.split('/')[0]!)]));
  const seen = new Map<string, ParsedIP>();
  for (const [dev, addrs] of Object.entries(byDevice)) {
    if (dev === DUMMY_DEVICE) continue;
    for (const a of addrs) {
      const ip = parseIPSloppy(a);
      if (!ip || ip.family !== family || isLoopback(ip)) continue;
      if (family === 'IPv6' && ip.bytes[0] === 0xfe && (ip.bytes[1]! & 0xc0) === 0x80) continue;
      seen.set(formatIP(ip), ip);
    }
  }
  return [...seen.values()];
}

/** --nodeport-addresses: match-all when empty for this family or holding 0.0.0.0/0 / ::/0. */
function nodePortIPs(config: ProxierConfig & IpvsConfigExtras, family: 'IPv4' | 'IPv6', all: ParsedIP[]): ParsedIP[] {
  const cidrs = (config.nodePortAddresses ?? []).flatMap((c) => {
    const p = parseCIDRSloppy(c.trim());
    return p && p.ip.family === family ? [p] : [];
  });
  const matchAll = cidrs.length === 0 || cidrs.some((c) => c.prefix === 0);
  if (matchAll) return all;
  const out = new Map<string, ParsedIP>();
  for (const iface of config.nodeInterfaces ?? []) {
    for (const a of iface.addresses) {
      const ip = parseIPSloppy(a.split('/')[0]!);
      if (!ip || ip.family !== family || isLoopback(ip)) continue;
      if (cidrs.some((c) => cidrContains(c, ip))) out.set(formatIP(ip), ip);
    }
  }
  return [...out.values()];
}

function sortIps(ips: ParsedIP[]): string[] {
  return ips.map(formatIP).sort(compareIp);
}

/**
 * The LoadBalancerIPMode gate (on by default) makes kube-proxy skip `ipMode: Proxy` ingress IPs;
 * with the gate off they are used like VIP ones. The shared service-port builder always skips
 * them, so with the gate off the mode is cleared before building.
 */
function applyIpModeGate(services: readonly Service[], gates: Record<string, boolean>): readonly Service[] {
  if (gates.LoadBalancerIPMode !== false) return services;
  return services.map((s) =>
    s.status?.loadBalancer?.ingress?.some((i) => i.ipMode)
      ? { ...s, status: { ...s.status, loadBalancer: { ingress: s.status.loadBalancer.ingress.map(({ ipMode: _m, ...rest }) => rest) } } }
      : s,
  );
}

export function generateIpvs(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  config: ProxierConfig & IpvsConfigExtras,
  opts: IpvsGenerateOptions = {},
): IpvsDataplane {
  const familyName = config.ipFamily ?? 'IPv4';
  const family: 4 | 6 = familyName === 'IPv6' ? 6 : 4;
  const scheduler = config.ipvsScheduler || DEFAULT_SCHEDULER;
  const gates = config.featureGates ?? {};
  const ports = buildServicePorts(applyIpModeGate(services, gates), { ipFamily: familyName, kubeProxyVersion: config.kubeProxyVersion });
  const endpointsMap = buildEndpointsMap(slices, {
    ipFamily: familyName,
    nodeName: config.nodeName,
    endpointDedupPrefers: config.endpointDedupPrefers ?? 'local',
  });
  const nodeIP = config.nodeIP ? parseIPSloppy(config.nodeIP) : null;

  const sets = new Map<string, Set<string>>(S.IPSET_INFO.map((i) => [i.name, new Set<string>()]));
  const add = (set: string, entry: string) => sets.get(set)!.add(entry);
  const vsByKey = new Map<string, VirtualServer>();
  const bound = new Set<string>();
  const bind = (ip: string) => bound.add(ip);
  const lbNoNodeAccess: { ip: string; protocol: string; port: number }[] = [];

  const nodeAddrs = nodeAddressSet(config, familyName);
  const nodeAddrText = new Set(nodeAddrs.map(formatIP));
  const hasNodePort = ports.some((p) => p.nodePort !== 0);
  const nodeIPs = hasNodePort ? sortIps(nodePortIPs(config, familyName, nodeAddrs)) : [];

  for (const sp of ports) {
    const proto = sp.protocol.toLowerCase();
    const key = servicePortKey(sp.namespace, sp.serviceName, sp.portName, sp.protocol);
    const endpoints = endpointsMap.get(key) ?? [];

    for (const ep of endpoints) {
      if (ep.isLocal && ep.port) add(S.KUBE_LOOP_BACK, S.entryIpPortIp(ep.ip, proto, ep.port, ep.ip));
    }

    const cat = categorizeEndpoints(endpoints, sp, {
      nodeName: config.nodeName,
      nodeLabels: opts.nodeLabels ?? {},
      kubeProxyVersion: config.kubeProxyVersion,
      featureGates: gates,
    });
    const realServersFor = (onlyLocal: boolean): RealServer[] => {
      // PR #97081: with no local endpoint, IPVS falls back to the cluster endpoints
      const eps = onlyLocal && cat.localEndpoints.length > 0 ? cat.localEndpoints : cat.clusterEndpoints;
      return eps.map((e) => ({ address: e.ip, port: e.port, weight: 1 }));
    };
    const makeVs = (address: string, port: number, onlyLocal: boolean) => {
      let flags = 0;
      let timeout = 0;
      if (sp.sessionAffinityClientIP) {
        flags |= IP_VS_SVC_F_PERSISTENT;
        timeout = sp.stickyMaxAgeSeconds;
      }
      if (scheduler === 'mh') flags |= IP_VS_SVC_F_SCHED2;
      const vs: VirtualServer = {
        address,
        port,
        protocol: sp.protocol as IpvsProtocol,
        scheduler,
        flags,
        timeout,
        realServers: realServersFor(onlyLocal),
      };
      vsByKey.set(`${sp.protocol}/${address}/${port}`, vs);
    };

    add(S.KUBE_CLUSTER_IP, S.entryIpPort(sp.clusterIP, proto, sp.port));
    makeVs(sp.clusterIP, sp.port, sp.internalPolicyLocal);
    bind(sp.clusterIP);

    for (const ext of sp.externalIPs) {
      add(sp.externalPolicyLocal ? S.KUBE_EXTERNAL_IP_LOCAL : S.KUBE_EXTERNAL_IP, S.entryIpPort(ext, proto, sp.port));
      makeVs(ext, sp.port, sp.externalPolicyLocal);
      if (!nodeAddrText.has(ext)) bind(ext);
    }

    for (const vip of sp.loadBalancerVIPs) {
      const entry = S.entryIpPort(vip, proto, sp.port);
      add(S.KUBE_LOAD_BALANCER, entry);
      if (sp.externalPolicyLocal) add(S.KUBE_LOAD_BALANCER_LOCAL, entry);
      if (sp.loadBalancerSourceRanges.length > 0) {
        add(S.KUBE_LOAD_BALANCER_FW, entry);
        let allowFromNode = false;
        for (const cidr of sp.loadBalancerSourceRanges) {
          add(S.KUBE_LOAD_BALANCER_SOURCE_CIDR, S.entryIpPortNet(vip, proto, sp.port, cidr));
          const c = parseCIDRSloppy(cidr);
          if (c && nodeIP && cidrContains(c, nodeIP)) allowFromNode = true;
        }
        if (allowFromNode) add(S.KUBE_LOAD_BALANCER_SOURCE_IP, S.entryIpPortIp(vip, proto, sp.port, vip));
        else lbNoNodeAccess.push({ ip: vip, protocol: proto, port: sp.port });
      }
      makeVs(vip, sp.port, sp.externalPolicyLocal);
      if (!nodeAddrText.has(vip)) bind(vip);
    }

    if (sp.nodePort !== 0) {
      // quirk kept from kube-proxy: no node IP skips the rest of this port, health check included
      if (nodeIPs.length === 0) continue;
      const local = sp.externalPolicyLocal;
      if (proto === 'sctp') {
        for (const ip of nodeIPs) {
          add(S.KUBE_NODE_PORT_SCTP, S.entryIpPort(ip, proto, sp.nodePort));
          if (local) add(S.KUBE_NODE_PORT_LOCAL_SCTP, S.entryIpPort(ip, proto, sp.nodePort));
        }
      } else {
        const tcp = proto === 'tcp';
        add(tcp ? S.KUBE_NODE_PORT_TCP : S.KUBE_NODE_PORT_UDP, S.entryPort(sp.nodePort));
        if (local) add(tcp ? S.KUBE_NODE_PORT_LOCAL_TCP : S.KUBE_NODE_PORT_LOCAL_UDP, S.entryPort(sp.nodePort));
      }
      for (const ip of nodeIPs) makeVs(ip, sp.nodePort, local);
    }

    if (sp.healthCheckNodePort !== 0) add(S.KUBE_HEALTH_CHECK_NODE_PORT, S.entryPort(sp.healthCheckNodePort));
  }

  for (const ip of bound) add(S.KUBE_IPVS_IPS, S.entryIp(ip));

  const ipsets: IpSet[] = S.IPSET_INFO.map((info) => ({
    name: S.ipsetName(info.name, family),
    type: info.type,
    entries: sortEntries([...sets.get(info.name)!], info.type === 'bitmap:port'),
    comment: info.comment,
    ...(info.type === 'bitmap:port' ? {} : { family: family === 6 ? ('inet6' as const) : ('inet' as const) }),
  }));

  const iptablesRestore = ipvsIptablesRestore({
    family,
    sets,
    masqueradeAll: config.masqueradeAll ?? false,
    localDetector: (config.localDetector ?? { mode: 'None' }) as Detector,
    masqueradeMark: ipvsMasqueradeMark(config.masqueradeBit ?? 14),
    randomFully: config.iptablesHasRandomFully ?? false,
    lbNoNodeAccess,
  });

  return {
    virtualServers: sortVirtualServers([...vsByKey.values()]),
    ipsets,
    // the kernel keeps insertion order, which follows Go map order in kube-proxy: numeric order here
    dummyInterface: { name: DUMMY_DEVICE, addresses: sortByIp([...bound], (ip) => ip).map((ip) => `${ip}/${family === 6 ? 128 : 32}`) },
    iptablesRestore,
    nodePortAddresses: nodeIPs,
    family,
    sysctls: ipvsSysctls(config),
  };
}

/**
 * What kube-proxy's IPVS mode sets at start: conntrack for IPVS connections (so MASQUERADE works),
 * expiring connections whose real server is gone, forwarding; with --ipvs-strict-arp the ARP
 * settings that stop nodes answering for kube-ipvs0 addresses. (conn_reuse_mode is set only on
 * some kernel versions and is left out.)
 */
export function ipvsSysctls(config: { ipvsStrictARP?: boolean; strictARP?: unknown }): string[] {
  const out = ['net/ipv4/vs/conntrack=1', 'net/ipv4/vs/expire_nodest_conn=1', 'net/ipv4/vs/expire_quiescent_template=1', 'net/ipv4/ip_forward=1'];
  if (config.ipvsStrictARP || config.strictARP === true) out.push('net/ipv4/conf/all/arp_ignore=1', 'net/ipv4/conf/all/arp_announce=2');
  return out;
}

const PROTO_NUMBER: Record<string, number> = { TCP: 6, UDP: 17, SCTP: 132 };

/** ipvsadm's listing order: protocol number, then address, then port. */
export function sortVirtualServers(vs: VirtualServer[]): VirtualServer[] {
  const key = new Map(vs.map((v) => [v, ipSortKey(v.address)]));
  return vs.sort(
    (a, b) =>
      (PROTO_NUMBER[a.protocol] ?? 0) - (PROTO_NUMBER[b.protocol] ?? 0) || cmp(key.get(a)!, key.get(b)!) || a.port - b.port,
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A string that sorts like the address's bytes (IPv4 before IPv6); parsing once per item keeps big sorts fast. */
function ipSortKey(ip: string): string {
  const p = parseIPSloppy(ip);
  if (!p) return `~${ip}`;
  return (p.family === 'IPv4' ? '4' : '6') + p.bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

function sortByIp<T>(items: T[], ipOf: (t: T) => string): T[] {
  const keyed = items.map((t) => ({ t, k: ipSortKey(ipOf(t)) }));
  keyed.sort((a, b) => cmp(a.k, b.k));
  return keyed.map((x) => x.t);
}

function sortEntries(entries: string[], numeric: boolean): string[] {
  if (numeric) return entries.sort((a, b) => Number(a) - Number(b));
  const keyed = entries.map((e) => {
    const c = e.indexOf(',');
    return { e, k: ipSortKey(c < 0 ? e : e.slice(0, c)), rest: c < 0 ? '' : e.slice(c) };
  });
  keyed.sort((a, b) => cmp(a.k, b.k) || cmp(a.rest, b.rest));
  return keyed.map((x) => x.e);
}
