// `svcpath explain FILE|- [--format text|json] [--notes] [--lang en|zh]`: what a pasted dump says
// (CONTRACTS.md). Exit 0, 1 when the file cannot be read, 2 on usage errors.
import type { CliIo } from '../io.ts';
import { readInput } from '../io.ts';
import { explain, explainJson, type Explanation } from '../../engine/explain/index.ts';
import { readArgs } from './cli-args.ts';

const USAGE = 'usage: svcpath explain FILE|- [--format text|json] [--notes] [--lang en|zh]\n';

export async function run(args: string[], io: CliIo): Promise<number> {
  const a = readArgs(args, ['--format', '--lang'], ['--notes', '-h', '--help']);
  if (a.values.has('-h') || a.values.has('--help')) {
    io.stdout(USAGE);
    return 0;
  }
  const format = a.values.get('--format') ?? 'text';
  const lang = a.values.get('--lang') ?? 'en';
  if (a.error || !a.file || !['text', 'json'].includes(format) || !['en', 'zh'].includes(lang)) {
    io.stderr(`svcpath explain: ${a.error ?? (!a.file ? 'missing FILE (or - for standard input)' : `bad --format or --lang`)}\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = await readInput(io, a.file);
  } catch (e) {
    io.stderr(`svcpath explain: cannot read ${a.file}: ${(e as Error).message}\n`);
    return 1;
  }
  const x = explain(text);
  if (format === 'json') io.stdout(JSON.stringify(explainJson(x), null, 2) + '\n');
  else io.stdout(renderText(x, a.values.has('--notes'), lang as 'en' | 'zh'));
  return 0;
}

const pct = (p: number) => `${(p * 100).toFixed(2)}%`;
const hostPort = (h: string, p: number | null) => `${h.includes(':') ? `[${h}]` : h}:${p ?? '?'}`;

export function renderText(x: Explanation, withNotes: boolean, lang: 'en' | 'zh'): string {
  const out: string[] = [];
  out.push(`format: ${x.format}${x.partial ? ' (partial: not everything is shown)' : ''}`);
  if (x.era.legacy) out.push(`kube-proxy: older version (${x.era.signs.join('; ')})`);
  if (x.era.largeClusterMode) out.push('kube-proxy: large-cluster mode (no comments on endpoint rules)');
  out.push(`services: ${x.services.length}`);
  for (const s of x.services) {
    const addr = s.clusterIP !== null ? `${s.clusterIP.includes(':') ? `[${s.clusterIP}]` : s.clusterIP}:${s.port ?? '?'}` : '(ClusterIP not shown)';
    out.push('', `Service ${s.name ?? '(name not shown)'}  ${s.protocol ?? '?'}  ${addr}`);
    const list = (v: (string | number)[]) => (v.length ? v.join(', ') : '-');
    out.push(`  nodePorts: ${list(s.nodePorts)}   externalIPs: ${list(s.externalIPs)}   loadBalancerIPs: ${list(s.loadBalancerIPs)}${s.otherIPs.length ? `   other addresses: ${list(s.otherIPs)}` : ''}`);
    out.push(`  externalTrafficPolicy: ${s.externalTrafficPolicy ?? '-'}   internalTrafficPolicy: ${s.internalTrafficPolicy ?? '-'}   sessionAffinity: ${s.affinity ? `ClientIP (${s.affinity.timeoutSeconds ?? '?'} s)` : '-'}`);
    if (s.loadBalancerSourceRanges.length) out.push(`  loadBalancerSourceRanges: ${s.loadBalancerSourceRanges.join(', ')}`);
    if (s.healthCheckNodePort !== null) out.push(`  healthCheckNodePort: ${s.healthCheckNodePort}`);
    if (s.noEndpoints) out.push(`  no endpoints: new connections are rejected (filter table, line${s.rejectLines.length > 1 ? 's' : ''} ${s.rejectLines.join(', ')})`);
    if (s.endpoints.length) {
      out.push('  endpoints (share of new connections):');
      for (const e of s.endpoints) out.push(`    ${(e.address ?? '(address not shown)').padEnd(28)} ${pct(e.probability).padStart(8)}   line ${e.line}${e.written ? `, rule says ${e.written}` : ', last rule: no probability'}`);
    }
    if (s.localEndpoints?.length) out.push(`  endpoints on this node: ${s.localEndpoints.map((e) => `${e.address ?? '?'} ${pct(e.probability)}`).join(', ')}`);
    if (s.masquerade.length) out.push(`  masquerade: ${s.masquerade.map((m) => `${m.when} (line ${m.line})`).join(', ')}`);
  }
  if (x.ipvs) {
    out.push('', `IPVS: ${x.ipvs.virtualServers} virtual server(s)${x.ipvs.ipsets.length ? `, ipsets ${x.ipvs.ipsets.join(', ')}` : ''}${x.ipvs.kubeIpvs0 ? `, kube-ipvs0 holds ${x.ipvs.kubeIpvs0.length} address(es)` : ''}`);
    for (const s of x.ipvs.services) {
      const role = s.clusterIP !== null ? `ClusterIP ${hostPort(s.clusterIP, s.port)}` : s.externalIPs.length ? `external IP ${hostPort(s.externalIPs[0]!, s.port)}` : s.loadBalancerIPs.length ? `load-balancer IP ${hostPort(s.loadBalancerIPs[0]!, s.port)}` : s.nodePorts.length ? `NodePort ${s.nodePorts.join(', ')}` : 'role not shown';
      out.push('', `Service ${s.name ?? '(name not shown)'}  ${s.protocol}  ${role}${s.clusterIP !== null && s.nodePorts.length ? `   nodePorts: ${s.nodePorts.join(', ')}` : ''}`);
      out.push(`  virtual servers: ${s.ipvs.virtualServers.join(', ')}   scheduler: ${s.ipvs.scheduler ?? '?'}${s.ipvs.persistent !== null ? `   persistent ${s.ipvs.persistent} s (ClientIP affinity)` : ''}`);
      if (s.noEndpoints) out.push('  no real servers: new connections get ICMP port unreachable from IPVS');
      if (s.endpoints.length) {
        out.push('  real servers (share of new connections):');
        for (const e of s.endpoints) out.push(`    ${e.address.padEnd(28)} ${(e.probability === null ? 'depends on load' : pct(e.probability)).padStart(15)}   weight ${e.weight ?? '?'}`);
      }
    }
    if (x.ipvs.ipsetRules.length) {
      out.push('', 'iptables rules consulting ipsets:');
      for (const r of x.ipvs.ipsetRules) out.push(`  line ${String(r.line).padStart(5)}  ${r.chain} -> ${r.target}: ${r.set} (${r.direction})${r.purpose ? ` = ${r.purpose}` : ''}`);
    }
  }
  if (x.leftoverServices.length) {
    out.push('', `leftovers of an earlier iptables mode (not used in IPVS mode): ${x.leftoverServices.map((s) => s.name ?? s.chains.svc ?? '?').join(', ')}`);
  }
  if (withNotes) {
    out.push('', 'rules:');
    for (const n of x.notes) if (n.notes.length) out.push(`  ${String(n.line).padStart(5)}  ${n.notes.map((m) => m[lang]).join(' ')}`);
  }
  if (x.diagnostics.length) {
    out.push('', 'diagnostics:');
    for (const d of x.diagnostics) out.push(`  ${d.line}:${d.col} ${d.severity} ${d.code} ${d.message}`);
  }
  return out.join('\n') + '\n';
}
