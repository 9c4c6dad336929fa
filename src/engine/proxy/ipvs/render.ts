// The IPVS dataplane as the node's own tools print it: `ipvsadm -Ln` (ipvsadm 1.31
// print_title/print_service_entry), `ipset list` (ipset's session.c list printer), `ip addr show
// kube-ipvs0` (iproute2), and the JSON of CONTRACTS.md.
import type { IpSet, IpvsDataplane, RealServer, VirtualServer } from '../../ipvs/types.ts';
import { IP_VS_SVC_F_ONEPACKET, IP_VS_SVC_F_PERSISTENT, IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2, IP_VS_SVC_F_SCHED3 } from '../../ipvs/types.ts';
import { compareIp, hostPort } from '../../ipvs/addr.ts';
import { restoreRules } from './iptables.ts';
import { sortVirtualServers } from './proxier.ts';

/** Every current kernel reports IPVS 1.2.1; the table size is 2^CONFIG_IP_VS_TAB_BITS (default 12). */
export const IPVS_VERSION_LINE = 'IP Virtual Server version 1.2.1 (size=4096)';

export function schedFlagsText(scheduler: string, flags: number): string {
  const out: string[] = [];
  if (scheduler === 'sh' || scheduler === 'mh') {
    if (flags & IP_VS_SVC_F_SCHED1) out.push(`${scheduler}-fallback`);
    if (flags & IP_VS_SVC_F_SCHED2) out.push(`${scheduler}-port`);
  } else {
    if (flags & IP_VS_SVC_F_SCHED1) out.push('flag-1');
    if (flags & IP_VS_SVC_F_SCHED2) out.push('flag-2');
    if (flags & IP_VS_SVC_F_SCHED3) out.push('flag-3');
  }
  return out.join(',');
}

function serviceName(vs: VirtualServer): string {
  const s = `${vs.protocol.padEnd(4)} ${hostPort(vs.address, vs.port)}`;
  // ipvsadm truncates IPv4 service names at 33 characters
  return vs.address.includes(':') ? s : s.slice(0, 33);
}

function destName(rs: RealServer): string {
  const d = hostPort(rs.address, rs.port);
  return rs.address.includes(':') ? d : d.slice(0, 28);
}

/** print_largenum: 9 columns, K/M/G/T from 100 million up (unless exact). */
export function largeNum(i: number, exact = false): string {
  if (exact) {
    const s = String(i);
    return s.padStart(s.length <= 8 ? 9 : s.length + 1);
  }
  if (i < 1e8) return String(i).padStart(9);
  if (i < 1e9) return `${String(Math.floor(i / 1e3)).padStart(8)}K`;
  if (i < 1e11) return `${String(Math.floor(i / 1e6)).padStart(8)}M`;
  if (i < 1e14) return `${String(Math.floor(i / 1e9)).padStart(8)}G`;
  return `${String(Math.floor(i / 1e12)).padStart(8)}T`;
}

export interface IpvsadmOptions {
  /** keep the given order instead of ipvsadm's sort (--nosort) */
  nosort?: boolean;
}

/** Destinations in ipvsadm's order: address, then port. */
function sortDests(rs: RealServer[]): RealServer[] {
  return [...rs].sort((a, b) => compareIp(a.address, b.address) || a.port - b.port);
}

/** `ipvsadm -Ln`: every destination line ends in the padding of its last column. */
export function renderIpvsadm(dp: Pick<IpvsDataplane, 'virtualServers'>, opts: IpvsadmOptions = {}): string {
  const lines = [
    IPVS_VERSION_LINE,
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  const services = opts.nosort ? dp.virtualServers : sortVirtualServers([...dp.virtualServers]);
  for (const vs of services) {
    let line = `${serviceName(vs)} ${vs.scheduler}`;
    const f = schedFlagsText(vs.scheduler, vs.flags);
    if (f) line += ` (${f})`;
    if (vs.flags & IP_VS_SVC_F_PERSISTENT) {
      line += ` persistent ${vs.timeout}`;
      const bits = vs.netmaskBits ?? (vs.address.includes(':') ? 128 : 32);
      if (vs.address.includes(':') ? bits !== 128 : bits !== 32) line += ` mask ${vs.address.includes(':') ? bits : maskText(bits)}`;
    }
    if (vs.flags & IP_VS_SVC_F_ONEPACKET) line += ' ops';
    lines.push(line);
    for (const rs of opts.nosort ? vs.realServers : sortDests(vs.realServers)) {
      lines.push(
        `  -> ${destName(rs).padEnd(28)} ${(rs.forward ?? 'Masq').padEnd(7)} ${String(rs.weight).padEnd(6)} ${String(rs.activeConns ?? 0).padEnd(10)} ${String(rs.inactConns ?? 0).padEnd(10)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

function maskText(bits: number): string {
  const m = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [m >>> 24, (m >>> 16) & 255, (m >>> 8) & 255, m & 255].join('.');
}

export interface StatsRow {
  conns: number;
  inpkts: number;
  outpkts: number;
  inbytes: number;
  outbytes: number;
}

/** `ipvsadm -Ln --stats` for given counters (keyed by `PROTO ip:port` and `... -> ip:port`); zeros otherwise. */
export function renderIpvsadmStats(dp: Pick<IpvsDataplane, 'virtualServers'>, stats: Record<string, StatsRow> = {}, exact = false): string {
  const zero: StatsRow = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
  const cols = (s: StatsRow) => [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes].map((n) => largeNum(n, exact)).join('');
  const lines = [
    IPVS_VERSION_LINE,
    `${'Prot LocalAddress:Port'.padEnd(33)} ${['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'].map((h) => h.padStart(8)).join(' ')}`,
    '  -> RemoteAddress:Port',
  ];
  for (const vs of sortVirtualServers([...dp.virtualServers])) {
    const key = `${vs.protocol} ${hostPort(vs.address, vs.port)}`;
    lines.push(`${serviceName(vs).padEnd(33)}${cols(stats[key] ?? zero)}`);
    for (const rs of sortDests(vs.realServers)) {
      lines.push(`  -> ${destName(rs).padEnd(28)}${cols(stats[`${key} -> ${hostPort(rs.address, rs.port)}`] ?? zero)}`);
    }
  }
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------ ipset list

/**
 * Header values the kernel reports. Revisions are those of kernels without the bucketsize
 * extension (ipset 6.x/7.x modules); sizes are the figures of an observed node. Both vary with
 * kernel and ipset version; svcpath prints them so the text has the real layout.
 */
const REVISION: Record<IpSet['type'], number> = {
  'hash:ip': 4,
  'hash:ip,port': 5,
  'hash:ip,port,ip': 5,
  'hash:ip,port,net': 7,
  'bitmap:port': 3,
};
const SIZE: Record<'hash' | 'bitmap', number> = { hash: 8696, bitmap: 8264 };

export function renderIpsetList(dp: Pick<IpvsDataplane, 'ipsets' | 'iptablesRestore'>, opts: { names?: string[] } = {}): string {
  const rules = restoreRules(dp.iptablesRestore);
  const blocks = dp.ipsets
    .filter((s) => !opts.names || opts.names.includes(s.name))
    .map((s) => {
      const bitmap = s.type === 'bitmap:port';
      const refs = rules.filter((r) => r.text.split(' ').some((w, i, a) => a[i - 1] === '--match-set' && w === s.name)).length;
      return [
        `Name: ${s.name}`,
        `Type: ${s.type}`,
        `Revision: ${REVISION[s.type]}`,
        `Header: ${bitmap ? 'range 0-65535' : `family ${s.family ?? 'inet'} hashsize 1024 maxelem 65536`}`,
        `Size in memory: ${SIZE[bitmap ? 'bitmap' : 'hash']}`,
        `References: ${refs}`,
        `Number of entries: ${s.entries.length}`,
        'Members:',
        ...s.entries,
      ].join('\n');
    });
  return blocks.join('\n\n') + '\n';
}

// ------------------------------------------------------------------ ip addr show kube-ipvs0

/** iproute2's listing of the dummy device; link index and MAC are placeholders (they vary per node). */
export function renderIpAddrKubeIpvs0(dp: Pick<IpvsDataplane, 'dummyInterface'>, opts: { index?: number; mac?: string } = {}): string {
  const lines = [
    `${opts.index ?? 5}: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default `,
    `    link/ether ${opts.mac ?? '6e:0f:3c:7e:a1:22'} brd ff:ff:ff:ff:ff:ff`,
  ];
  for (const a of dp.dummyInterface.addresses) {
    lines.push(a.includes(':') ? `    inet6 ${a} scope global ` : `    inet ${a} scope global kube-ipvs0`);
    lines.push('       valid_lft forever preferred_lft forever');
  }
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------ JSON

/** The `ipvs` member of `generate --output json` (CONTRACTS.md). */
export function ipvsJson(dp: IpvsDataplane) {
  return {
    virtualServers: dp.virtualServers.map((vs) => ({
      address: vs.address,
      port: vs.port,
      protocol: vs.protocol,
      scheduler: vs.scheduler,
      flags: vs.flags,
      timeout: vs.timeout,
      realServers: vs.realServers.map((r) => ({ address: r.address, port: r.port, weight: r.weight })),
    })),
    ipsets: dp.ipsets.map((s) => ({ name: s.name, type: s.type, entries: s.entries })),
    dummyInterface: { name: dp.dummyInterface.name, addresses: dp.dummyInterface.addresses },
  };
}
