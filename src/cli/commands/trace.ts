// `svcpath trace FILE|- --src IP[:PORT] --dst IP:PORT|NAME.NS[.svc.cluster.local]:PORT
// [--proto tcp|udp|sctp] [--in-iface NAME] [--from auto|pod|node|external] [--samples N] [--seed N]
// [--format text|json] [--mode iptables|ipvs] [--node NAME] [--config FILE.json]` (CONTRACTS.md).
// FILE is a dump, or Services/EndpointSlices YAML whose node rules are generated first.
import type { CliIo } from '../io.ts';
import { readInput } from '../io.ts';
import { createRng } from '../../engine/util/rng.ts';
import { resolveProxierConfig, type ProxierConfig } from '../../engine/proxy/config.ts';
import { runPipeline, type ProxyMode } from '../../engine/pipeline.ts';
import { ipvsHook, ipvsIpsets, ipvsNodeModel, ipvsNodeRuleset } from '../../engine/proxy/ipvs/node.ts';
import type { IpvsDataplane } from '../../engine/ipvs/types.ts';
import { ipvsSummary } from './trace-ipvs.ts';
import { explain } from '../../engine/explain/index.ts';
import { kubeProxyNode, outcomes, parseDump, sample, trace, traceReply, type NodeModel, type ReplyLeg, type Ruleset, type TraceEvent, type TraceInput, type TraceResult } from '../../engine/netfilter/index.ts';
import { readArgs } from './cli-args.ts';
import { secondConnection } from '../../engine/netfilter/again.ts';
import { joinHostPort } from '../../engine/netfilter/addr.ts';
import { eligibilityForNode, reportForPacket, type EligibilityReport, type Reason } from '../../engine/proxy/eligibility.ts';
import { translate, isMessageKey } from '../../i18n/index.ts';

const USAGE = `usage: svcpath trace FILE|- --dst IP:PORT|NAME.NAMESPACE[.svc.cluster.local]:PORT [--src IP[:PORT]]
                      [--proto tcp|udp|sctp] [--in-iface NAME] [--from auto|pod|node|external]
                      [--samples N] [--seed N] [--format text|json]
                      [--mode iptables|ipvs] [--node NAME] [--config FILE.json]
`;
const VALUE_FLAGS = ['--src', '--dst', '--proto', '--in-iface', '--from', '--samples', '--seed', '--format', '--mode', '--node', '--config'] as const;
/** used when --src is not given: TEST-NET-1, an address that is never a node's or a pod's */
const DEFAULT_SRC = '192.0.2.10';

function splitAddr(s: string): { host: string; port: number | null } | null {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) return { host: v6[1], port: v6[2] !== undefined ? Number(v6[2]) : null };
  const parts = s.split(':');
  if (parts.length === 1) return { host: s, port: null };
  if (parts.length === 2 && /^\d+$/.test(parts[1])) return { host: parts[0], port: Number(parts[1]) };
  if (parts.length > 2) return { host: s, port: null };
  return null;
}

function looksLikeYaml(text: string): boolean {
  return /^\s*kind:\s*\w+/m.test(text) && /^\s*apiVersion:/m.test(text) && !/^(\*nat|\*filter|-A\s|:KUBE)/m.test(text);
}

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout(USAGE);
    return 0;
  }
  const a = readArgs(args, VALUE_FLAGS);
  const v = (k: (typeof VALUE_FLAGS)[number]) => a.values.get(k);
  const usage = (msg: string) => {
    io.stderr(`svcpath trace: ${msg}\n${USAGE}`);
    return 2;
  };
  if (a.error) return usage(a.error);
  if (!a.file) return usage('missing FILE (or - for standard input)');
  if (!v('--dst')) return usage('missing --dst IP:PORT or NAME.NAMESPACE:PORT');
  const format = v('--format') ?? 'text';
  if (!['text', 'json'].includes(format)) return usage('--format must be text or json');
  const from = (v('--from') ?? 'auto') as 'auto' | 'pod' | 'node' | 'external';
  if (!['auto', 'pod', 'node', 'external'].includes(from)) return usage('--from must be auto, pod, node or external');
  const proto = (v('--proto') ?? 'tcp').toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(proto)) return usage('--proto must be tcp, udp or sctp');
  const mode = v('--mode') ?? 'iptables';
  if (!['iptables', 'ipvs', 'nftables'].includes(mode)) return usage('--mode must be iptables, ipvs or nftables');
  const samples = v('--samples') !== undefined ? Number(v('--samples')) : 0;
  if (!Number.isInteger(samples) || samples < 0 || samples > 10_000_000) return usage('--samples must be a whole number from 0 to 10000000');
  const seed = v('--seed') !== undefined ? Number(v('--seed')) : 1;
  if (!Number.isInteger(seed)) return usage('--seed must be a whole number');

  let partial: Partial<ProxierConfig> = {};
  const cfgFile = v('--config');
  if (cfgFile) {
    try {
      const parsed: unknown = JSON.parse(io.readFile(cfgFile));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
      partial = parsed as Partial<ProxierConfig>;
    } catch (e) {
      io.stderr(`svcpath trace: config ${cfgFile}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  if (v('--node')) partial = { ...partial, nodeName: v('--node')! };

  let text: string;
  try {
    text = await readInput(io, a.file);
  } catch (e) {
    io.stderr(`svcpath trace: cannot read ${a.file}: ${(e as Error).message}\n`);
    return 1;
  }

  const notes: string[] = [];
  let ruleset: Ruleset;
  let source: 'dump' | 'generated';
  let services: { name: string; clusterIP: string | null; port: number | null }[] = [];
  let generatedNode: NodeModel | null = null;
  let ipvsParts: Pick<TraceInput, 'ipsets' | 'ipvs'> = {};
  let ipvsDp: IpvsDataplane | null = null;
  let reports: EligibilityReport[] = [];
  if (looksLikeYaml(text)) {
    if (mode === 'nftables') {
      io.stderr('svcpath trace: tracing generated nftables rules is not available yet; use --mode iptables or ipvs, or trace a dump\n');
      return 1;
    }
    // the one pipeline: Deployments and Pods become endpoints; with --config, objects are taken as
    // kube-proxy's tests feed them (as generate does)
    const res = runPipeline({ yaml: text, mode: mode as ProxyMode, node: v('--node'), config: partial, asGiven: cfgFile !== undefined });
    let failed = false;
    for (const d of res.diagnostics) {
      if (d.severity === 'error') failed = true;
      io.stderr(`${d.severity === 'error' ? `${a.file}:${d.line}:${d.col}: error` : `warning: ${a.file}:${d.line}:${d.col}:`} ${d.code} ${d.message}\n`);
    }
    if (failed) return 1;
    const dp = res.dataplane;
    if (!dp || !res.config) {
      io.stderr(`svcpath trace: ${a.file}: no node to generate rules for\n`);
      return 1;
    }
    const family = res.config.ipFamily === 'IPv6' ? 'ipv6' : 'ipv4';
    // a simulated node's addresses are known: the rendered config holds them
    generatedNode = nodeModel(res.config, true);
    if (mode === 'ipvs' && dp.ipvs) {
      ipvsDp = dp.ipvs;
      ruleset = ipvsNodeRuleset(dp.ipvs);
      generatedNode = ipvsNodeModel(dp.ipvs, generatedNode);
      ipvsParts = { ipsets: ipvsIpsets(dp.ipvs), ipvs: ipvsHook(dp.ipvs) };
    } else ruleset = kubeProxyNode(dp.iptables?.restore ?? '', family);
    source = 'generated';
    if (res.cluster) reports = eligibilityForNode(res.cluster.services, res.cluster.endpointSlices, res.config);
    notes.push(`rules generated for node ${dp.node} in ${mode} mode`);
    for (const s of res.cluster?.services ?? []) {
      const ip = s.spec?.clusterIP ?? null;
      for (const p of s.spec?.ports ?? []) services.push({ name: `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name}:${p.name ?? ''}`, clusterIP: ip && ip !== 'None' ? ip : null, port: p.port });
    }
  } else {
    const parsed = parseDump(text);
    if (!parsed.ruleset.tables.length) {
      io.stderr(`svcpath trace: ${a.file}: no iptables rules found (format: ${parsed.format})\n`);
      return 1;
    }
    ruleset = parsed.ruleset;
    source = 'dump';
    services = explain(parsed).services.filter((s) => s.name).map((s) => ({ name: s.name!, clusterIP: s.clusterIP, port: s.port }));
  }

  const node = generatedNode ?? nodeModel(partial, !!cfgFile);
  if (!cfgFile && !generatedNode) notes.push('the node\'s own addresses are not known (pass --config with nodeInterfaces or packetTracer.localIPs); only loopback counts as local');

  // --dst: an address, or a Service name resolved through the rules or the YAML
  const dstArg = v('--dst')!;
  let dst = splitAddr(dstArg);
  const named = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.svc(\.[a-z0-9.-]+)?)?:(\d+)$/.exec(dstArg);
  if (named && !/^\d+\.\d+\.\d+\.\d+$/.test(`${named[1]}.${named[3]}`)) {
    const port = Number(named[7]);
    const hit = services.find((s) => s.name.startsWith(`${named[3]}/${named[1]}:`) && s.port === port && s.clusterIP);
    if (!hit) {
      io.stderr(`svcpath trace: no Service ${named[3]}/${named[1]} with port ${port} and a ClusterIP in ${a.file}\n`);
      return 1;
    }
    dst = { host: hit.clusterIP!, port };
    notes.push(`${dstArg} is ${hit.name} at ${hit.clusterIP}:${port}`);
  }
  if (!dst || dst.port === null) return usage('--dst needs a port: IP:PORT, [IPv6]:PORT or NAME.NAMESPACE:PORT');
  const src = splitAddr(v('--src') ?? DEFAULT_SRC);
  if (!src) return usage('--src must be IP or IP:PORT');
  if (!v('--src')) notes.push(`no --src given: the packet comes from ${DEFAULT_SRC}, a documentation address outside the cluster`);
  if (from === 'node' && !node.localIPs.includes(src.host)) node.localIPs = [...node.localIPs, src.host];

  const packet = { src: src.host, sport: src.port, dst: dst.host, dport: dst.port, proto, inIface: v('--in-iface') ?? null };
  const input: TraceInput = { ruleset, node, packet, from, ...ipvsParts };
  const r = trace({ ...input, rng: createRng(seed) });
  const back = traceReply(input, r);
  const again = secondConnection({ ...input, rng: createRng(seed + 1) }, r);
  const hostDst = dst.host.includes(':') ? `[${dst.host}]:${dst.port}` : `${dst.host}:${dst.port}`;
  const eligible = reportForPacket(reports, hostDst, proto);
  const all = outcomes(input);
  const sampled = samples > 0 ? sample(input, samples, seed) : null;
  const ipvsInfo = ipvsDp ? ipvsSummary(ipvsDp, r) : null;
  if (ipvsInfo?.note) notes.push(ipvsInfo.note);

  if (format === 'json') {
    io.stdout(JSON.stringify({
      packet: { src: v('--src') ?? src.host, dst: `${dst.host.includes(':') ? `[${dst.host}]` : dst.host}:${dst.port}`, proto },
      source,
      events: r.events.map(eventJson),
      outcome: { verdict: r.outcome.verdict, dnat: r.outcome.dnat, masquerade: r.outcome.masquerade, snat: r.outcome.snat, decidedBy: r.outcome.decidedBy, unknownMatches: r.outcome.unknownOnPath },
      outcomes: all.fates.map((f) => ({ verdict: f.verdict, dnat: f.dnat, masquerade: f.masquerade, probability: f.probability })),
      outcomesTruncated: all.truncated,
      rulesEvaluated: r.rulesEvaluated,
      reply: back
        ? {
            packet: { src: joinHp(back.packet.src, back.packet.sport), dst: joinHp(back.packet.dst, back.packet.dport), proto },
            events: back.result.events.map(eventJson),
            outcome: { verdict: back.result.outcome.verdict, src: joinHp(back.result.outcome.final.src, back.result.outcome.final.sport), dst: joinHp(back.result.outcome.final.dst, back.result.outcome.final.dport) },
          }
        : null,
      eligibility: eligible ? eligibilityJson(eligible) : null,
      secondConnection: again
        ? { sport: again.sport, outcome: { verdict: again.result.outcome.verdict, dnat: again.result.outcome.dnat }, sticks: again.sticks, byRule: again.byRule }
        : null,
      samples: sampled ? { n: sampled.n, seed, counts: sampled.counts } : null,
      ipvs: ipvsInfo ? ipvsInfo.json : undefined,
      notes,
    }, null, 2) + '\n');
    return 0;
  }
  if (again) {
    const where = again.result.outcome.dnat ?? again.result.outcome.verdict;
    notes.push(
      again.sticks && again.byRule
        ? `session affinity: a second connection from ${packet.src} (source port ${again.sport}) goes to ${where} too: line ${again.byRule.line} in ${again.byRule.chain} (-m recent --rcheck) found the client`
        : `a second connection from ${packet.src} (source port ${again.sport}) goes to ${where}`,
    );
  }
  io.stdout(renderText(packet, r, all.fates, sampled, notes, source, back) + (eligible ? eligibilityText(eligible) : ''));
  return 0;
}

const joinHp = (host: string, port: number | null | undefined) => joinHostPort(host, port ?? null);

function eventRows(events: readonly TraceEvent[], out: string[]): void {
  out.push('  #  hook         table   chain                         rule  line  result');
  for (const e of events) {
    if (e.kind === 'rule' && !e.matched && e.unknown.length === 0) continue;
    const res = e.kind === 'rule' ? (e.matched ? e.action ?? 'match' : `not evaluated: ${e.unknown.join(', ')}`) : e.kind === 'skipped' ? `${e.count} rules did not match` : e.action ?? e.reason;
    // IPVS sits at LOCAL_IN (INPUT), outside any iptables table
    out.push(`${String(e.seq).padStart(3)}  ${(e.hook ?? (e.kind === 'ipvs' ? 'INPUT' : '')).padEnd(12)} ${(e.table ?? (e.kind === 'ipvs' ? 'IPVS' : '')).padEnd(7)} ${(e.chain ?? '').padEnd(29)} ${String(e.rule ?? '').padStart(4)}  ${String(e.line ?? '').padStart(4)}  ${e.kind === 'rule' || e.kind === 'skipped' ? res : e.reason}`);
  }
}

function nodeModel(partial: Partial<ProxierConfig> | ProxierConfig, given: boolean): NodeModel {
  if (!given) return { localIPs: ['127.0.0.1', '::1'], interfaces: [], nodeIP: null };
  const cfg = resolveProxierConfig(partial);
  const tracer = (partial as { packetTracer?: { localIPs?: string[] } }).packetTracer;
  const ifaces = (partial.nodeInterfaces ?? cfg.nodeInterfaces).map((i) => ({ name: i.name, addresses: i.addresses }));
  const local = [...(tracer?.localIPs ?? []), ...ifaces.flatMap((i) => i.addresses.map((x) => x.split('/')[0]))];
  if (partial.nodeIP) local.push(partial.nodeIP);
  return { localIPs: [...new Set(local)], interfaces: ifaces, nodeIP: partial.nodeIP ?? cfg.nodeIP };
}

function eventJson(e: TraceEvent) {
  return {
    hook: e.hook, table: e.table, chain: e.chain, rule: e.rule, line: e.line, matched: e.matched, action: e.action, kind: e.kind, reason: e.reason,
    unknown: e.unknown.length ? e.unknown : undefined, count: e.count, probability: e.probability,
    packet: { src: e.packetAfter.src, dst: e.packetAfter.dst, sport: e.packetAfter.sport, dport: e.packetAfter.dport }, mark: e.mark, rulesEvaluated: e.rulesEvaluated,
  };
}

function renderText(packet: { src: string; dst: string; dport: number | null; proto: string }, r: TraceResult, fates: ReturnType<typeof outcomes>['fates'], sampled: ReturnType<typeof sample> | null, notes: string[], source: string, back: ReplyLeg | null): string {
  const out: string[] = [];
  out.push(`packet: ${packet.src} -> ${packet.dst.includes(':') ? `[${packet.dst}]` : packet.dst}:${packet.dport} ${packet.proto} (rules: ${source})`);
  for (const n of notes) out.push(`note: ${n}`);
  out.push('');
  eventRows(r.events, out);
  const o = r.outcome;
  out.push('', `outcome: ${o.verdict}${o.dnat ? ` to ${o.dnat}` : ''}${o.masquerade ? `, source masqueraded${o.snat ? ` to ${o.snat}` : ''}` : ''}  (${r.rulesEvaluated} rules evaluated)`);
  if (o.unknownOnPath) out.push(`warning: ${o.unknownOnPath} rule(s) on the path had a match, target or chain the evaluator could not follow (see the events); the outcome may differ on the real node`);
  if (back) {
    const f = back.result.outcome.final;
    out.push('', `reply: ${joinHp(back.packet.src, back.packet.sport)} -> ${joinHp(back.packet.dst, back.packet.dport)} (conntrack connection #${back.connection.id})`);
    eventRows(back.result.events, out);
    out.push('', `reply outcome: ${back.result.outcome.verdict}, the client sees ${joinHp(f.src, f.sport)} -> ${joinHp(f.dst, f.dport)}`);
  }
  out.push('', 'every possible fate of a new connection:');
  for (const f of fates) out.push(`  ${(f.probability * 100).toFixed(4).padStart(9)}%  ${f.verdict}${f.dnat ? ` to ${f.dnat}` : ''}${f.masquerade ? ' (masqueraded)' : ''}`);
  if (sampled) {
    out.push('', `${sampled.n} sampled connections:`);
    for (const c of sampled.counts) out.push(`  ${String(c.count).padStart(9)}  ${((c.count / sampled.n) * 100).toFixed(2).padStart(6)}%  ${c.verdict}${c.dnat ? ` to ${c.dnat}` : ''}${c.masquerade ? ' (masqueraded)' : ''}`);
  }
  return out.join('\n') + '\n';
}

/** a reason in English, from the same templates the page uses */
function say(r: Reason): string {
  return isMessageKey(r.key) ? translate('en', r.key, r.params) : r.key;
}

function eligibilityJson(e: EligibilityReport) {
  return {
    service: e.service,
    internalPolicy: e.internalPolicy,
    externalPolicy: e.externalPolicy,
    steps: e.steps.map((s) => ({ key: s.key, text: say(s) })),
    endpoints: e.endpoints.map((x) => ({
      address: x.address, node: x.node, zone: x.zone, ready: x.ready, serving: x.serving, terminating: x.terminating,
      local: x.local, cluster: x.cluster, localPolicy: x.localPolicy, why: x.reasons.map(say),
    })),
  };
}

function eligibilityText(e: EligibilityReport): string {
  const out = ['', `eligible endpoints for ${e.service} (internalTrafficPolicy ${e.internalPolicy}${e.externalPolicy ? `, externalTrafficPolicy ${e.externalPolicy}` : ''}):`];
  for (const s of e.steps) out.push(`  - ${say(s)}`);
  for (const x of e.endpoints) {
    const state = x.ready ? 'ready' : x.terminating ? (x.serving ? 'terminating, serving' : 'terminating') : 'not ready';
    out.push(`  ${x.address.padEnd(22)} ${(x.node ?? '-').padEnd(14)} ${state.padEnd(20)} cluster:${x.cluster ? 'yes' : 'no '} local:${x.localPolicy ? 'yes' : 'no '}  ${x.reasons.map(say).join('; ')}`);
  }
  return out.join('\n') + '\n';
}
