// Reads pasted IPVS state: `ipvsadm -Ln` (also --stats, --rate, -c), `ipset list`,
// `ip addr show kube-ipvs0` and the IPVS-mode lines of `iptables-save`, alone or pasted together
// as a terminal session (prompts, CRLF, `...` elisions). Everything keeps its source line; nothing
// is guessed: a name, address or port appears only if the text shows it.
import type { Diagnostic } from '../diagnostics.ts';
import { canonicalIp, compareIp, splitHostPort } from './addr.ts';
import { isScheduler, longRunShares, type SchedDest, type SchedulerName } from './schedulers.ts';
import type { IpSet, IpsetType, IpvsDataplane, VirtualServer } from './types.ts';
import { IP_VS_SVC_F_PERSISTENT, IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2 } from './types.ts';

export interface ParsedRealServer {
  address: string;
  port: number;
  forward: string | null;
  /** null when the listing does not show weights (--stats, --rate, -c) */
  weight: number | null;
  activeConns: number | null;
  inactConns: number | null;
  line: number;
}

export interface ParsedVirtualServer {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  address: string;
  port: number;
  /** null in --stats / --rate listings (no scheduler column) */
  scheduler: string | null;
  /** scheduler flags as printed (mh-port, sh-fallback, flag-1 ...) */
  schedFlags: string[];
  /** persistence timeout, null when not persistent */
  persistent: number | null;
  line: number;
  realServers: ParsedRealServer[];
  /** counters from --stats / --rate: column name -> value */
  stats?: Record<string, number>;
}

export interface ParsedConnection {
  protocol: string;
  expire: string;
  state: string;
  source: string;
  virtual: string;
  destination: string;
  line: number;
}

export interface ParsedIpset {
  name: string;
  type: string | null;
  header: string | null;
  entries: string[];
  line: number;
}

export interface ParsedIpvsState {
  formats: string[];
  virtualServers: ParsedVirtualServer[];
  /** `FWM n` services: kube-proxy never creates them */
  fwmarkServices: { mark: number; line: number }[];
  connections: ParsedConnection[];
  ipsets: ParsedIpset[];
  kubeIpvs0: { addresses: string[]; line: number; state: string | null } | null;
  /** iptables-save lines found in the paste, with their line numbers */
  iptablesLines: { text: string; line: number }[];
  diagnostics: Diagnostic[];
}

const PROMPT = /^\s*(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s*[$#]|\[[^\]]*\]\s*[$#]|[$#>])\s+(.*)$/;
const SVC = /^(TCP|UDP|SCTP)\s+(\[[0-9a-fA-F:.]+\]|[^\s:]+):(\S+)(?:\s+(.*))?$/;
const DEST = /^\s*->\s+(\[[0-9a-fA-F:.]+\]|[^\s:]+):(\S+)\s+(.*)$/;
const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

function diag(code: string, severity: Diagnostic['severity'], line: number, message: string, params?: Record<string, string | number>): Diagnostic {
  return { code, severity, message, line, col: 0, key: `ipvs.${code}`, ...(params ? { params } : {}) };
}

function num(s: string): number | null {
  const m = /^(\d+)([KMGT])?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * (m[2] ? SUFFIX[m[2]]! : 1);
}

function hostAddr(s: string): string | null {
  return canonicalIp(s.startsWith('[') ? s.slice(1, -1) : s);
}

type Mode = 'none' | 'ipvsadm' | 'stats' | 'rate' | 'conn' | 'ipset' | 'ipaddr';

export function parseIpvsState(text: string): ParsedIpvsState {
  const out: ParsedIpvsState = {
    formats: [], virtualServers: [], fwmarkServices: [], connections: [], ipsets: [], kubeIpvs0: null, iptablesLines: [], diagnostics: [],
  };
  const formats = new Set<string>();
  let mode: Mode = 'none';
  let statCols: string[] = [];
  let vs: ParsedVirtualServer | null = null;
  let set: ParsedIpset | null = null;
  let inMembers = false;
  let iface: string | null = null;
  let reportedNames = false;

  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((rawLine, i) => {
    const ln = i + 1;
    let line = rawLine.replace(/\s+$/, '');
    const pm = PROMPT.exec(line);
    if (pm) {
      // a command line of a terminal session: it tells what follows, it is not data
      const cmd = pm[1]!;
      if (/\bipvsadm\b/.test(cmd)) mode = 'none';
      vs = null;
      set = null;
      inMembers = false;
      iface = null;
      return;
    }
    if (line.trim() === '' ) {
      inMembers = false;
      return;
    }
    if (/^\s*(\.\.\.|…)\s*$/.test(line)) return;

    // ---- iptables-save lines
    if (/^(\*\w+|:\S+ \S+( \[\d+:\d+\])?|-[AINX] \S+|COMMIT|# (Generated|Completed) by iptables)/.test(line) || /^\[\d+:\d+\] -A /.test(line)) {
      out.iptablesLines.push({ text: line, line: ln });
      formats.add('iptables-save');
      return;
    }

    // ---- ipvsadm headers
    if (/^IP Virtual Server version/.test(line)) {
      mode = 'ipvsadm';
      formats.add('ipvsadm');
      return;
    }
    if (/^Prot LocalAddress:Port\s+Scheduler/.test(line)) {
      mode = 'ipvsadm';
      formats.add('ipvsadm');
      return;
    }
    const hs = /^Prot LocalAddress:Port\s+(\S.*)$/.exec(line);
    if (hs) {
      statCols = hs[1]!.trim().split(/\s+/);
      mode = statCols[0] === 'CPS' ? 'rate' : 'stats';
      formats.add(mode === 'rate' ? 'ipvsadm-rate' : 'ipvsadm-stats');
      return;
    }
    if (/^\s*->\s+RemoteAddress:Port/.test(line)) return;
    if (/^IPVS connection entries/.test(line)) {
      mode = 'conn';
      formats.add('ipvsadm-c');
      return;
    }
    if (mode === 'conn' && /^pro\s+expire\s+state/.test(line)) return;
    if (mode === 'conn') {
      const c = /^(\S+)\s+(\d\d:\d\d)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/.exec(line);
      if (c) {
        out.connections.push({ protocol: c[1]!.toUpperCase(), expire: c[2]!, state: c[3]!, source: c[4]!, virtual: c[5]!, destination: c[6]!, line: ln });
        return;
      }
    }

    // ---- ipset list
    const name = /^Name:\s+(\S+)/.exec(line);
    if (name) {
      mode = 'ipset';
      formats.add('ipset');
      set = { name: name[1]!, type: null, header: null, entries: [], line: ln };
      out.ipsets.push(set);
      inMembers = false;
      return;
    }
    if (mode === 'ipset' && set) {
      const kv = /^(Type|Revision|Header|Size in memory|References|Number of entries):\s*(.*)$/.exec(line);
      if (kv) {
        if (kv[1] === 'Type') set.type = kv[2]!;
        if (kv[1] === 'Header') set.header = kv[2]!;
        return;
      }
      if (/^Members:\s*$/.test(line)) {
        inMembers = true;
        return;
      }
      // a member line never looks like an interface header or an ipvsadm line (pastes often lack the blank line)
      if (inMembers && !/^\d+:\s+\S+:\s+</.test(line) && !SVC.test(line) && !DEST.test(line)) {
        set.entries.push(line.trim().split(/\s+/)[0]!);
        return;
      }
      inMembers = false;
    }

    // ---- ip addr
    const ifh = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>(.*)$/.exec(line);
    if (ifh) {
      mode = 'ipaddr';
      iface = ifh[1]!;
      formats.add('ip-addr');
      if (iface === 'kube-ipvs0') {
        const st = /\bstate (\S+)/.exec(ifh[3]!);
        out.kubeIpvs0 = { addresses: out.kubeIpvs0?.addresses ?? [], line: ln, state: st ? st[1]! : null };
      }
      return;
    }
    if (mode === 'ipaddr') {
      const a = /^\s+inet6?\s+(\S+)/.exec(line);
      if (a) {
        if (iface === 'kube-ipvs0' && out.kubeIpvs0) out.kubeIpvs0.addresses.push(a[1]!);
        return;
      }
      if (/^\s+(link\/|valid_lft|altname)/.test(line)) return;
    }

    // ---- ipvsadm services and destinations
    const fwm = /^FWM\s+(\d+)/.exec(line);
    if (fwm) {
      out.fwmarkServices.push({ mark: Number(fwm[1]), line: ln });
      vs = null;
      return;
    }
    const sm = SVC.exec(line);
    if (sm) {
      if (mode === 'none') {
        mode = 'ipvsadm';
        formats.add('ipvsadm');
      }
      const address = hostAddr(sm[2]!);
      const port = Number(sm[3]);
      if (address === null || !/^\d+$/.test(sm[3]!)) {
        vs = null;
        if (!reportedNames) {
          out.diagnostics.push(diag('ipvsadm-not-numeric', 'warning', ln, 'This listing shows host or service names instead of addresses and ports; run `ipvsadm -Ln` (with -n) so they can be read.'));
          reportedNames = true;
        }
        return;
      }
      const rest = (sm[4] ?? '').trim();
      const v: ParsedVirtualServer = { protocol: sm[1] as ParsedVirtualServer['protocol'], address, port, scheduler: null, schedFlags: [], persistent: null, line: ln, realServers: [] };
      if (mode === 'stats' || mode === 'rate') {
        const vals = rest.split(/\s+/).map(num);
        v.stats = Object.fromEntries(statCols.map((c, k) => [c, vals[k] ?? 0]));
      } else {
        const r = /^(\S+)(?:\s+\(([^)]*)\))?(.*)$/.exec(rest);
        if (r) {
          v.scheduler = r[1]!;
          v.schedFlags = r[2] ? r[2].split(',').map((s) => s.trim()) : [];
          const p = /\bpersistent (\d+)/.exec(r[3]!);
          if (p) v.persistent = Number(p[1]);
        }
      }
      out.virtualServers.push(v);
      vs = v;
      return;
    }
    const dm = DEST.exec(line);
    if (dm) {
      const address = hostAddr(dm[1]!);
      if (!vs || address === null || !/^\d+$/.test(dm[2]!)) {
        out.diagnostics.push(diag('ipvsadm-orphan-destination', 'warning', ln, vs ? `Cannot read the real server "${dm[1]}:${dm[2]}".` : 'A real server line with no virtual server above it (the service line was cut off).'));
        return;
      }
      const cols = dm[3]!.split(/\s+/);
      const rs: ParsedRealServer = { address, port: Number(dm[2]), forward: null, weight: null, activeConns: null, inactConns: null, line: ln };
      if (mode === 'stats' || mode === 'rate') {
        // destination rows carry counters only
      } else {
        rs.forward = cols[0] ?? null;
        rs.weight = cols[1] !== undefined ? Number(cols[1]) : null;
        rs.activeConns = cols[2] !== undefined ? Number(cols[2]) : null;
        rs.inactConns = cols[3] !== undefined ? Number(cols[3]) : null;
      }
      vs.realServers.push(rs);
      return;
    }
    if (mode === 'ipvsadm' || mode === 'stats' || mode === 'rate') {
      out.diagnostics.push(diag('ipvsadm-unreadable-line', 'info', ln, `Line not understood as part of an ipvsadm listing: "${line.trim().slice(0, 80)}"`));
    }
  });
  out.formats = [...formats];
  return out;
}

// ---------------------------------------------------------------- explain

export interface ExplainedEndpoint {
  address: string;
  /** effective share of new connections; null when the scheduler makes it unpredictable or weights are not shown */
  probability: number | null;
  weight: number | null;
}

export interface ExplainedService {
  name: string | null;
  protocol: string;
  clusterIP: string | null;
  port: number | null;
  nodePorts: number[];
  externalIPs: string[];
  loadBalancerIPs: string[];
  endpoints: ExplainedEndpoint[];
  noEndpoints: boolean;
  /** IPVS detail beyond the CONTRACTS shape */
  ipvs: { virtualServers: string[]; scheduler: string | null; persistent: number | null; lines: number[] };
}

export interface IpsetRuleNote {
  line: number;
  chain: string;
  set: string;
  direction: string;
  target: string;
  purpose: string | null;
}

export interface IpvsExplanation {
  format: string;
  services: ExplainedService[];
  ipsetRules: IpsetRuleNote[];
  diagnostics: Diagnostic[];
  state: ParsedIpvsState;
}

const SET_PURPOSE: Record<string, string> = {
  'KUBE-CLUSTER-IP': 'Service cluster IP + port (masquerade decision, accept)',
  'KUBE-LOOP-BACK': 'local endpoint talking to itself through its Service (hairpin masquerade)',
  'KUBE-EXTERNAL-IP': 'external IP + port, externalTrafficPolicy Cluster',
  'KUBE-EXTERNAL-IP-LOCAL': 'external IP + port, externalTrafficPolicy Local',
  'KUBE-LOAD-BALANCER': 'load-balancer IP + port',
  'KUBE-LOAD-BALANCER-LOCAL': 'load-balancer IP + port, externalTrafficPolicy Local (no masquerade)',
  'KUBE-LOAD-BALANCER-FW': 'load-balancer IP + port with loadBalancerSourceRanges',
  'KUBE-LOAD-BALANCER-SOURCE-CIDR': 'allowed source ranges of a load balancer',
  'KUBE-LOAD-BALANCER-SOURCE-IP': 'load-balancer IP allowed as source (node inside the ranges)',
  'KUBE-NODE-PORT-TCP': 'TCP NodePorts', 'KUBE-NODE-PORT-LOCAL-TCP': 'TCP NodePorts with externalTrafficPolicy Local',
  'KUBE-NODE-PORT-UDP': 'UDP NodePorts', 'KUBE-NODE-PORT-LOCAL-UDP': 'UDP NodePorts with externalTrafficPolicy Local',
  'KUBE-NODE-PORT-SCTP-HASH': 'SCTP node IP + NodePort', 'KUBE-NODE-PORT-LOCAL-SCTP-HASH': 'SCTP node IP + NodePort with externalTrafficPolicy Local',
  'KUBE-HEALTH-CHECK-NODE-PORT': 'health-check NodePorts',
  'KUBE-IPVS-IPS': 'every address bound to kube-ipvs0',
};

function setPurpose(name: string): string | null {
  if (SET_PURPOSE[name]) return SET_PURPOSE[name]!;
  if (name.startsWith('KUBE-6-')) {
    const base = Object.keys(SET_PURPOSE).find((k) => k.replace('KUBE-', 'KUBE-6-').slice(0, 31) === name);
    return base ? SET_PURPOSE[base]! : null;
  }
  return null;
}

/** `IP,proto:port` entries of a hash:ip,port set */
function ipPortEntries(state: ParsedIpvsState, base: string): Set<string> {
  const names = [base, base.replace('KUBE-', 'KUBE-6-').slice(0, 31)];
  const out = new Set<string>();
  for (const s of state.ipsets) if (names.includes(s.name)) for (const e of s.entries) out.add(e.toLowerCase());
  return out;
}

function entryKey(address: string, proto: string, port: number): string {
  return `${address},${proto.toLowerCase()}:${port}`;
}

function endpointsOf(v: ParsedVirtualServer, diagnostics: Diagnostic[]): ExplainedEndpoint[] {
  const hp = (r: ParsedRealServer) => (r.address.includes(':') ? `[${r.address}]:${r.port}` : `${r.address}:${r.port}`);
  if (v.realServers.some((r) => r.weight === null)) {
    return v.realServers.map((r) => ({ address: hp(r), probability: null, weight: null }));
  }
  const sched = v.scheduler ?? '';
  const dests: SchedDest[] = v.realServers.map((r) => ({ address: r.address, port: r.port, weight: r.weight!, activeConns: r.activeConns ?? 0, inactConns: r.inactConns ?? 0 }));
  let shares: (number | null)[];
  if (isScheduler(sched)) {
    // hash schedulers: the listing is sorted, not in kernel list order; svcpath assumes ascending adds
    const order = sched === 'sh' || sched === 'dh' || sched === 'mh' ? [...dests].reverse() : dests;
    const s = longRunShares(sched as SchedulerName, order).shares;
    shares = order === dests ? s : [...s].reverse();
    if (shares.some((x) => x === null)) {
      diagnostics.push(diag('ipvs-share-unpredictable', 'info', v.line, `Scheduler ${sched} sends each new connection to the real server with the fewest (weighted) connections, so its share depends on how long connections last; the weights and current counters are shown instead.`, { scheduler: sched }));
    }
  } else {
    shares = dests.map(() => null);
    diagnostics.push(diag('ipvs-unknown-scheduler', 'info', v.line, `Scheduler "${sched}" is not one svcpath models; no shares are given.`, { scheduler: sched }));
  }
  return v.realServers.map((r, i) => ({ address: hp(r), probability: shares[i] === null || shares[i] === undefined ? null : round10(shares[i]!), weight: r.weight }));
}

function round10(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

/**
 * Names that an earlier iptables mode left behind: `-A KUBE-SERVICES ... -d VIP/32 ... --comment
 * "ns/name:port cluster IP" ... --dport N`. They name a virtual server only when they match its
 * address, protocol and port exactly.
 */
function leftoverNames(lines: { text: string; line: number }[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const { text } of lines) {
    const np = /^(?:\[\d+:\d+\] )?-A KUBE-NODEPORTS .*--comment "?([^" ]+)"? .*-p (tcp|udp|sctp)\b.*--dport (\d+)/.exec(text);
    if (np) names.set(`nodeport/${np[2]}/${np[3]}`, np[1]!);
    if (!/^(\[\d+:\d+\] )?-A KUBE-SERVICES /.test(text)) continue;
    const c = /--comment "?([^"]+?) (cluster IP|external IP|loadbalancer IP)"?(\s|$)/.exec(text);
    const d = /-d (\S+?)(\/(32|128))?(\s|$)/.exec(text);
    const p = /-p (tcp|udp|sctp)\b/.exec(text);
    const port = /--dport (\d+)/.exec(text);
    if (!c || !d || !p || !port) continue;
    const ip = canonicalIp(d[1]!);
    if (ip) names.set(entryKey(ip, p[1]!, Number(port[1])), c[1]!);
  }
  return names;
}

export function explainIpvs(text: string): IpvsExplanation {
  const state = parseIpvsState(text);
  const diagnostics = [...state.diagnostics];
  const clusterSet = ipPortEntries(state, 'KUBE-CLUSTER-IP');
  const extSet = new Set([...ipPortEntries(state, 'KUBE-EXTERNAL-IP'), ...ipPortEntries(state, 'KUBE-EXTERNAL-IP-LOCAL')]);
  const lbSet = ipPortEntries(state, 'KUBE-LOAD-BALANCER');
  const haveSets = state.ipsets.length > 0;
  const vips = new Set((state.kubeIpvs0?.addresses ?? []).map((a) => canonicalIp(a.split('/')[0]!) ?? a));
  const names = leftoverNames(state.iptablesLines);
  const nodePortSets = new Map<string, Set<string>>();
  for (const proto of ['TCP', 'UDP']) {
    const s = new Set<string>();
    for (const ps of state.ipsets) if (ps.name === `KUBE-NODE-PORT-${proto}` || ps.name === `KUBE-6-NODE-PORT-${proto}`) ps.entries.forEach((e) => s.add(e));
    nodePortSets.set(proto, s);
  }
  const sctpNp = ipPortEntries(state, 'KUBE-NODE-PORT-SCTP-HASH');

  const services: ExplainedService[] = [];
  const nodePortGroups = new Map<string, ExplainedService>();
  for (const v of state.virtualServers) {
    const key = entryKey(v.address, v.protocol, v.port);
    const vsName = `${v.protocol} ${v.address.includes(':') ? `[${v.address}]` : v.address}:${v.port}`;
    const endpoints = endpointsOf(v, diagnostics);
    const base: ExplainedService = {
      name: names.get(key) ?? null,
      protocol: v.protocol.toLowerCase(),
      clusterIP: null,
      port: null,
      nodePorts: [],
      externalIPs: [],
      loadBalancerIPs: [],
      endpoints,
      noEndpoints: v.realServers.length === 0,
      ipvs: { virtualServers: [vsName], scheduler: v.scheduler, persistent: v.persistent, lines: [v.line] },
    };
    const isNodePort =
      (v.protocol !== 'SCTP' && nodePortSets.get(v.protocol)!.has(String(v.port)) && !vips.has(v.address) && !clusterSet.has(key)) ||
      (v.protocol === 'SCTP' && sctpNp.has(key));
    if (clusterSet.has(key)) {
      base.clusterIP = v.address;
      base.port = v.port;
    } else if (extSet.has(key)) {
      base.externalIPs = [v.address];
      base.port = v.port;
    } else if (lbSet.has(key)) {
      base.loadBalancerIPs = [v.address];
      base.port = v.port;
    } else if (isNodePort) {
      // one Service port has a virtual server per node IP: group them
      const g = nodePortGroups.get(`${v.protocol}/${v.port}`);
      if (g && JSON.stringify(g.endpoints) === JSON.stringify(endpoints)) {
        g.ipvs.virtualServers.push(vsName);
        g.ipvs.lines.push(v.line);
        continue;
      }
      base.nodePorts = [v.port];
      base.name = names.get(`nodeport/${v.protocol.toLowerCase()}/${v.port}`) ?? null;
      nodePortGroups.set(`${v.protocol}/${v.port}`, base);
    } else if (!haveSets && vips.has(v.address)) {
      diagnostics.push(diag('ipvs-vip-role-unknown', 'info', v.line, `${vsName} is on kube-ipvs0, so it is a ClusterIP, external IP or load-balancer IP; paste \`ipset list\` to tell which.`, { vs: vsName }));
    } else if (!haveSets) {
      diagnostics.push(diag('ipvs-role-unknown', 'info', v.line, `${vsName}: without \`ipset list\` or \`ip addr show kube-ipvs0\` svcpath cannot tell whether this is a Service VIP or a NodePort on a node address.`, { vs: vsName }));
    }
    if (v.realServers.length === 0) {
      diagnostics.push(diag('ipvs-no-real-servers', 'warning', v.line, `${vsName} has no real servers: new connections get ICMP port unreachable.`, { vs: vsName }));
    }
    const zero = v.realServers.filter((r) => r.weight === 0);
    if (zero.length) {
      diagnostics.push(diag('ipvs-weight-zero', 'info', zero[0]!.line, `${zero.length} real server(s) of ${vsName} have weight 0: kube-proxy is draining them (graceful termination); they take no new connections${v.scheduler === 'mh' ? ', and under mh their table slots still point at them, so clients hashed there get no destination' : ''}.`, { vs: vsName, count: zero.length }));
    }
    services.push(base);
  }
  // a NodePort entry named by the same leftover as a ClusterIP entry is that Service port
  for (const np of [...nodePortGroups.values()]) {
    const owner = np.name === null ? undefined : services.find((s) => s !== np && s.name === np.name && s.clusterIP !== null && s.protocol === np.protocol);
    if (!owner) continue;
    owner.nodePorts.push(...np.nodePorts);
    owner.ipvs.virtualServers.push(...np.ipvs.virtualServers);
    owner.ipvs.lines.push(...np.ipvs.lines);
    services.splice(services.indexOf(np), 1);
  }
  if (state.fwmarkServices.length) {
    diagnostics.push(diag('ipvs-fwmark-service', 'info', state.fwmarkServices[0]!.line, 'Firewall-mark (FWM) virtual services are not created by kube-proxy; some other software manages them.'));
  }

  // which ipset each iptables rule consults
  const ipsetRules: IpsetRuleNote[] = [];
  let leftoverChains = 0;
  let firstLeftover = 0;
  for (const { text: t, line } of state.iptablesLines) {
    const m = /^(?:\[\d+:\d+\] )?-A (\S+) .*?--match-set (\S+) (\S+)/.exec(t);
    if (m) ipsetRules.push({ line, chain: m[1]!, set: m[2]!, direction: m[3]!, target: /-j (\S+)/.exec(t)?.[1] ?? '', purpose: setPurpose(m[2]!) });
    if (/^(?::|(?:\[\d+:\d+\] )?-A )KUBE-(SVC|SEP|EXT|SVL|FW|XLB)-[A-Z0-9]{16}\b/.test(t)) {
      leftoverChains++;
      firstLeftover ||= line;
    }
  }
  const ipvsMode = state.virtualServers.length > 0 || state.ipsets.some((s) => s.name.startsWith('KUBE-')) || state.iptablesLines.some((l) => /KUBE-IPVS-FILTER|--match-set KUBE-/.test(l.text));
  if (leftoverChains && ipvsMode) {
    diagnostics.push(diag('ipvs-iptables-leftovers', 'warning', firstLeftover, `${leftoverChains} line(s) belong to iptables-mode chains (KUBE-SVC-/KUBE-SEP-...): leftovers of an earlier iptables mode. In IPVS mode kube-proxy does not use them; they are stale unless that mode is cleaned up (kube-proxy --cleanup).`, { count: leftoverChains }));
  }
  if (state.kubeIpvs0 && state.kubeIpvs0.state && state.kubeIpvs0.state !== 'DOWN') {
    diagnostics.push(diag('ipvs-dummy-up', 'info', state.kubeIpvs0.line, `kube-ipvs0 is ${state.kubeIpvs0.state}; kube-proxy creates it and leaves it DOWN (a dummy device only has to hold the addresses).`));
  }
  if (services.some((s) => s.name === null) && state.virtualServers.length) {
    diagnostics.push(diag('ipvs-no-service-names', 'info', 0, 'IPVS state does not carry Service names (kube-proxy\'s IPVS rules have no comments naming them); names appear only where the paste contains them.'));
  }
  services.sort((a, b) => compareIp(a.clusterIP ?? a.externalIPs[0] ?? a.loadBalancerIPs[0] ?? '255.255.255.255', b.clusterIP ?? b.externalIPs[0] ?? b.loadBalancerIPs[0] ?? '255.255.255.255') || (a.port ?? a.nodePorts[0] ?? 0) - (b.port ?? b.nodePorts[0] ?? 0));

  const fmts = state.formats.map((f) => (f.startsWith('ipvsadm') ? 'ipvsadm' : f === 'ip-addr' ? 'ip-addr' : f));
  const distinct = [...new Set(fmts)];
  const format = distinct.length === 0 ? 'unknown' : distinct.length > 1 ? 'mixed' : distinct[0] === 'ip-addr' ? 'unknown' : distinct[0]!;
  return { format, services, ipsetRules, diagnostics, state };
}

/** For callers holding `ip:port` text: split it (IPv6 in brackets). */
export { splitHostPort };

/**
 * The parts of an IPVS dataplane a pasted dump shows, for tracing a packet through it: virtual
 * servers (real servers without a weight column count as weight 1), ipsets, and the kube-ipvs0
 * addresses (from `ip addr`, else from the KUBE-IPVS-IPS set).
 */
export function dataplaneFromState(state: ParsedIpvsState): Pick<IpvsDataplane, 'virtualServers' | 'ipsets' | 'dummyInterface'> {
  const virtualServers: VirtualServer[] = state.virtualServers.map((v) => ({
    address: v.address,
    port: v.port,
    protocol: v.protocol,
    scheduler: v.scheduler ?? 'rr',
    flags:
      (v.persistent !== null ? IP_VS_SVC_F_PERSISTENT : 0) |
      (v.schedFlags.some((f) => /-fallback$|^flag-1$/.test(f)) ? IP_VS_SVC_F_SCHED1 : 0) |
      (v.schedFlags.some((f) => /-port$|^flag-2$/.test(f)) ? IP_VS_SVC_F_SCHED2 : 0),
    timeout: v.persistent ?? 0,
    realServers: v.realServers.map((r) => ({
      address: r.address,
      port: r.port,
      weight: r.weight ?? 1,
      activeConns: r.activeConns ?? 0,
      inactConns: r.inactConns ?? 0,
      ...(r.forward === 'Masq' || r.forward === 'Local' || r.forward === 'Tunnel' || r.forward === 'Route' ? { forward: r.forward } : {}),
    })),
  }));
  const ipsets: IpSet[] = state.ipsets.map((s) => ({ name: s.name, type: (s.type ?? 'hash:ip') as IpsetType, entries: s.entries }));
  const fromSet = state.ipsets.find((s) => s.name === 'KUBE-IPVS-IPS' || s.name === 'KUBE-6-IPVS-IPS')?.entries ?? [];
  const addresses = state.kubeIpvs0?.addresses ?? fromSet.map((a) => `${a}/${a.includes(':') ? 128 : 32}`);
  return { virtualServers, ipsets, dummyInterface: { name: 'kube-ipvs0', addresses } };
}
