// The iptables-restore input kube-proxy writes in IPVS mode (pkg/proxy/ipvs/proxier.go:
// createAndLinkKubeChain, writeIptablesRules, acceptIPVSTraffic): natChains + natRules +
// filterChains + filterRules, each table ending in COMMIT. Rules that consult a set are written
// only when that set is non-empty.
import type { LocalDetector } from '../config.ts';
import * as S from './ipsets.ts';
import { ipsetName } from './ipsets.ts';

export const NAT_CHAINS = ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ'] as const;
export const FILTER_CHAINS = [
  'KUBE-FORWARD',
  'KUBE-NODE-PORT',
  'KUBE-PROXY-FIREWALL',
  'KUBE-SOURCE-RANGES-FIREWALL',
  'KUBE-IPVS-FILTER',
  'KUBE-IPVS-OUT-FILTER',
] as const;

/** iptablesJumpChain: the jumps kube-proxy prepends to built-in chains (checked with -C, added with -I). */
export const JUMP_RULES = [
  { table: 'nat', from: 'OUTPUT', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', from: 'PREROUTING', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', from: 'POSTROUTING', to: 'KUBE-POSTROUTING', comment: 'kubernetes postrouting rules' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-FORWARD', comment: 'kubernetes forwarding rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-NODE-PORT', comment: 'kubernetes health check rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-PROXY-FIREWALL', comment: 'kube-proxy firewall rules' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-PROXY-FIREWALL', comment: 'kube-proxy firewall rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-IPVS-FILTER', comment: 'kubernetes ipvs access filter' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-IPVS-OUT-FILTER', comment: 'kubernetes ipvs access filter' },
] as const;

/** ipsetWithIptablesChain, in kube-proxy's order. */
const SET_RULES: readonly { set: string; table: 'nat' | 'filter'; from: string; to: string; match: string; proto?: string }[] = [
  { set: S.KUBE_LOOP_BACK, table: 'nat', from: 'KUBE-POSTROUTING', to: 'MASQUERADE', match: 'dst,dst,src' },
  { set: S.KUBE_LOAD_BALANCER, table: 'nat', from: 'KUBE-SERVICES', to: 'KUBE-LOAD-BALANCER', match: 'dst,dst' },
  { set: S.KUBE_LOAD_BALANCER_LOCAL, table: 'nat', from: 'KUBE-LOAD-BALANCER', to: 'RETURN', match: 'dst,dst' },
  { set: S.KUBE_NODE_PORT_LOCAL_TCP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', proto: 'tcp' },
  { set: S.KUBE_NODE_PORT_TCP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', proto: 'tcp' },
  { set: S.KUBE_NODE_PORT_LOCAL_UDP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', proto: 'udp' },
  { set: S.KUBE_NODE_PORT_UDP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', proto: 'udp' },
  { set: S.KUBE_NODE_PORT_LOCAL_SCTP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst,dst', proto: 'sctp' },
  { set: S.KUBE_NODE_PORT_SCTP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst,dst', proto: 'sctp' },
  { set: S.KUBE_LOAD_BALANCER_FW, table: 'filter', from: 'KUBE-PROXY-FIREWALL', to: 'KUBE-SOURCE-RANGES-FIREWALL', match: 'dst,dst' },
  { set: S.KUBE_LOAD_BALANCER_SOURCE_CIDR, table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src' },
  { set: S.KUBE_LOAD_BALANCER_SOURCE_IP, table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src' },
];

export interface IpvsIptablesInput {
  family: 4 | 6;
  /** active entries per base set name */
  sets: ReadonlyMap<string, ReadonlySet<string>>;
  masqueradeAll: boolean;
  localDetector: LocalDetector | { mode: 'NoOp' };
  /** "%#08x" of 1 << masqueradeBit, e.g. 0x004000 */
  masqueradeMark: string;
  randomFully: boolean;
  /** LB VIP + proto + port of source-ranged LBs whose ranges exclude the node IP */
  lbNoNodeAccess: readonly { ip: string; protocol: string; port: number }[];
}

/** The local-traffic detector's IfNotLocal() arguments, or null when none is implemented. */
export function ifNotLocal(d: IpvsIptablesInput['localDetector']): string[] | null {
  switch (d.mode) {
    case 'ClusterCIDR':
      return ['!', '-s', d.clusterCIDR];
    case 'BridgeInterface':
      return ['!', '-i', d.interface];
    case 'InterfaceNamePrefix':
      return ['!', '-i', `${d.interfacePrefix}+`];
    default:
      return null;
  }
}

const comment = (base: string) => `"${S.IPSET_INFO.find((i) => i.name === base)!.comment}"`;

export function ipvsIptablesRestore(inp: IpvsIptablesInput): string {
  const name = (base: string) => ipsetName(base, inp.family);
  const nonEmpty = (base: string) => (inp.sets.get(base)?.size ?? 0) > 0;
  const nat: string[] = [];
  const filter: string[] = [];
  const mark = inp.masqueradeMark;

  nat.push(`-A KUBE-SERVICES -s ${inp.family === 6 ? '::1/128' : '127.0.0.0/8'} -j RETURN`);
  for (const r of SET_RULES) {
    if (!nonEmpty(r.set)) continue;
    const line = `-A ${r.from}${r.proto ? ` -p ${r.proto}` : ''} -m comment --comment ${comment(r.set)} -m set --match-set ${name(r.set)} ${r.match} -j ${r.to}`;
    (r.table === 'nat' ? nat : filter).push(line);
  }
  if (nonEmpty(S.KUBE_CLUSTER_IP)) {
    const head = `-A KUBE-SERVICES -m comment --comment ${comment(S.KUBE_CLUSTER_IP)} -m set --match-set ${name(S.KUBE_CLUSTER_IP)}`;
    const det = ifNotLocal(inp.localDetector);
    if (inp.masqueradeAll) nat.push(`${head} dst,dst -j KUBE-MARK-MASQ`);
    else if (det) nat.push(`${head} dst,dst ${det.join(' ')} -j KUBE-MARK-MASQ`);
    else nat.push(`${head} src,dst -j KUBE-MARK-MASQ`);
  }
  const externalIPRules = (args: string) => {
    nat.push(`${args} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
    nat.push(`${args} -m addrtype --dst-type LOCAL -j ACCEPT`);
  };
  if (nonEmpty(S.KUBE_EXTERNAL_IP)) {
    const args = `-A KUBE-SERVICES -m comment --comment ${comment(S.KUBE_EXTERNAL_IP)} -m set --match-set ${name(S.KUBE_EXTERNAL_IP)} dst,dst`;
    nat.push(`${args} -j KUBE-MARK-MASQ`);
    externalIPRules(args);
  }
  if (nonEmpty(S.KUBE_EXTERNAL_IP_LOCAL)) {
    externalIPRules(`-A KUBE-SERVICES -m comment --comment ${comment(S.KUBE_EXTERNAL_IP_LOCAL)} -m set --match-set ${name(S.KUBE_EXTERNAL_IP_LOCAL)} dst,dst`);
  }
  nat.push('-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT');
  nat.push('-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ');
  filter.push('-A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
  for (const e of inp.lbNoNodeAccess) {
    filter.push(`-A KUBE-IPVS-OUT-FILTER -s ${e.ip} -m ipvs --vaddr ${e.ip} --vproto ${e.protocol} --vport ${e.port} -j DROP`);
  }
  for (const set of [S.KUBE_CLUSTER_IP, S.KUBE_LOAD_BALANCER]) {
    if (nonEmpty(set)) nat.push(`-A KUBE-SERVICES -m set --match-set ${name(set)} dst,dst -j ACCEPT`);
  }
  filter.push(`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`);
  filter.push('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  filter.push(
    `-A KUBE-NODE-PORT -m comment --comment ${comment(S.KUBE_HEALTH_CHECK_NODE_PORT)} -m set --match-set ${name(S.KUBE_HEALTH_CHECK_NODE_PORT)} dst -j ACCEPT`,
  );
  for (const [set, m] of [
    [S.KUBE_LOAD_BALANCER, 'dst,dst'],
    [S.KUBE_CLUSTER_IP, 'dst,dst'],
    [S.KUBE_EXTERNAL_IP, 'dst,dst'],
    [S.KUBE_EXTERNAL_IP_LOCAL, 'dst,dst'],
    [S.KUBE_HEALTH_CHECK_NODE_PORT, 'dst'],
  ] as const) {
    filter.push(`-A KUBE-IPVS-FILTER -m set --match-set ${name(set)} ${m} -j RETURN`);
  }
  filter.push(`-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set ${name(S.KUBE_IPVS_IPS)} dst -j REJECT`);
  nat.push(`-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`);
  nat.push(`-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`);
  nat.push(`-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${inp.randomFully ? ' --random-fully' : ''}`);
  nat.push(`-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`);

  return [
    '*nat',
    ...NAT_CHAINS.map((c) => `:${c} - [0:0]`),
    ...nat,
    'COMMIT',
    '*filter',
    ...FILTER_CHAINS.map((c) => `:${c} - [0:0]`),
    ...filter,
    'COMMIT',
    '',
  ].join('\n');
}

export interface RestoreRule {
  table: string;
  chain: string;
  /** 1-based line in the restore text */
  line: number;
  text: string;
  jump: string;
  matchSet: string;
  source?: string;
}

/** The `-A` rules of a restore text, by table, in order (for assertions, explain and the evaluator). */
export function restoreRules(restore: string): RestoreRule[] {
  const out: RestoreRule[] = [];
  let table = '';
  restore.split('\n').forEach((text, i) => {
    if (text.startsWith('*')) table = text.slice(1);
    if (!text.startsWith('-A ')) return;
    const words = text.split(' ');
    const at = (flag: string) => {
      const k = words.indexOf(flag);
      return k >= 0 ? words[k + 1] : undefined;
    };
    out.push({
      table,
      chain: words[1]!,
      line: i + 1,
      text,
      jump: at('-j') ?? '',
      matchSet: at('--match-set') ?? '',
      ...(at('-s') !== undefined ? { source: at('-s') } : {}),
    });
  });
  return out;
}

/** A 32-bit mark as kube-proxy's IPVS proxier prints it: fmt.Sprintf("%#08x", 1<<bit). */
export function ipvsMasqueradeMark(bit: number): string {
  return '0x' + (2 ** bit).toString(16).padStart(6, '0');
}

/** createAndLinkKubeChain's natChains / filterChains buffers (chain lines only). */
export function chainLines(table: 'nat' | 'filter'): string {
  return (table === 'nat' ? NAT_CHAINS : FILTER_CHAINS).map((c) => `:${c} - [0:0]\n`).join('');
}

/** A jump rule's arguments as EnsureRule receives them. */
export function jumpRuleArgs(j: (typeof JUMP_RULES)[number]): string {
  return `-m comment --comment "${j.comment}" -j ${j.to}`;
}
