// `Explain a dump` in the worker: parse the pasted text with the netfilter layer, walk a packet
// through it with the kernel-faithful evaluator, and list every fate of a new connection. The
// answer is plain data (no Rule objects) so it crosses postMessage cheaply.

import type { Diagnostic } from '../engine/diagnostics.ts';
import { parseDump } from '../engine/netfilter/parse.ts';
import { trace } from '../engine/netfilter/evaluate.ts';
import { traceReply } from '../engine/netfilter/reply.ts';
import { secondConnection } from '../engine/netfilter/again.ts';
import { createRng } from '../engine/util/rng.ts';
import { outcomes, sample } from '../engine/netfilter/outcomes.ts';
import { joinHostPort, splitHostPort } from '../engine/netfilter/addr.ts';
import type { Outcome, TraceEvent, TraceInput } from '../engine/netfilter/trace-types.ts';
import type { Ruleset } from '../engine/netfilter/model.ts';
import type { IpvsDataplane } from '../engine/ipvs/types.ts';
import { ipvsHook, ipvsIpsets, ipvsNodeModel } from '../engine/proxy/ipvs/node.ts';
import { withConnCounts, type IpvsConns } from '../engine/ipvs/conn-counts.ts';
import { chainGraph, type ChainGraph } from './chainGraph.ts';

export interface DumpLine {
  /** 1-based line in the pasted text */
  line: number;
  table: string;
  chain: string;
  /** 1-based position in its chain */
  index: number;
  target: string | null;
}

export interface FateView {
  verdict: string;
  dnat: string | null;
  masquerade: boolean;
  probability: number;
  path: { label: string; probability: number; taken: boolean }[];
}

export interface PacketRun {
  packet: { src: string; dst: string; proto: string };
  /** the first packet's events, then the reply's (marked `leg: 'reply'`): one list, one cursor */
  events: TraceEvent[];
  outcome: Outcome;
  /** the server's answer, when the first packet got through: where it starts and how it ends */
  reply: { firstEvent: number; packet: { src: string; dst: string; proto: string }; outcome: Outcome } | null;
  fates: FateView[];
  truncated: boolean;
  /** ClientIP affinity: a second connection from the same client a second later, and where it went */
  again: { sport: number; dnat: string | null; verdict: string; first: string | null; sticks: boolean; line: number | null; chain: string | null } | null;
  /** `order`: each sampled connection's fate in arrival order, as an index into `counts` (the burst's animation) */
  samples: { n: number; counts: { verdict: string; dnat: string | null; masquerade: boolean; count: number }[]; order?: number[] } | null;
}

export interface DumpAnalysis {
  format: string;
  diagnostics: Diagnostic[];
  rules: DumpLine[];
  unknownLines: { line: number; text: string; reason: string }[];
  partial: boolean;
  tables: string[];
  run: PacketRun | null;
  /** a packet that could not be read, with the reason */
  packetError: string | null;
  /** who jumps where, laid out; null unless asked for */
  graph?: ChainGraph | null;
}

export interface DumpRequest {
  text: string;
  packet?: { src: string; dst: string; proto: string } | undefined;
  /** new connections to sample for `Endpoint distribution` */
  samples?: number;
  /** the node's own addresses (what addrtype LOCAL and routing see); [] when unknown, e.g. a pasted dump */
  localIPs?: string[];
  /** IPVS mode: `text` is that node's iptables-save; this is the rest of its state (kube-ipvs0, ipsets, virtual servers) */
  ipvs?: IpvsDataplane;
  /** lay out the chain graph too (Explain a dump) */
  graph?: boolean;
  /** simulated IPVS connection counts (lc, wlc, sed, nq), laid over `ipvs` before scheduling */
  ipvsConns?: IpvsConns;
}

function ruleLines(rs: Ruleset): DumpLine[] {
  const out: DumpLine[] = [];
  for (const t of rs.tables)
    for (const c of t.chains) for (const r of c.rules) out.push({ line: r.line, table: t.name, chain: c.name, index: r.index, target: r.target?.name ?? null });
  return out.sort((a, b) => a.line - b.line);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** bursts up to this size carry their arrival order for the animation */
export const MAX_ANIMATED_SAMPLES = 10_000;


export function readPacket(p: { src: string; dst: string; proto: string }): { spec: TraceInput['packet'] } | { error: string } {
  const src = splitHostPort(p.src.trim());
  const dst = splitHostPort(p.dst.trim());
  if (!src.host) return { error: 'the packet source is empty' };
  if (!dst.host) return { error: 'the packet destination is empty' };
  // names like nginx-basic.default need the cluster's DNS, which a pasted dump does not have
  if (!IPV4.test(dst.host) && !dst.host.includes(':')) return { error: `"${dst.host}" is not an IP address; a dump has no DNS to resolve names` };
  if (!IPV4.test(src.host) && !src.host.includes(':')) return { error: `"${src.host}" is not an IP address` };
  if (dst.port === null) return { error: 'the packet destination needs a port (IP:PORT)' };
  return { spec: { src: src.host, sport: src.port ?? 40000, dst: dst.host, dport: dst.port, proto: p.proto.toLowerCase() } };
}

export function analyzeDump(req: DumpRequest): DumpAnalysis {
  const parsed = parseDump(req.text);
  const rs = parsed.ruleset;
  const base: DumpAnalysis = {
    format: parsed.format,
    diagnostics: parsed.diagnostics,
    rules: ruleLines(rs),
    unknownLines: rs.unknownLines,
    partial: rs.partial,
    tables: rs.tables.map((t) => t.name),
    run: null,
    packetError: null,
  };
  if (req.graph) base.graph = chainGraph(rs);
  if (!req.packet) return base;
  const pk = readPacket(req.packet);
  if ('error' in pk) return { ...base, packetError: pk.error };
  // A pasted dump says nothing about the node's own addresses: then none are local, and the
  // packet arrives at PREROUTING as it would from a pod or another machine.
  const localIPs = req.localIPs ?? [];
  const node = { localIPs, nodeIP: localIPs[0] ?? null };
  const input: TraceInput = { ruleset: rs, packet: pk.spec, node, from: 'auto', detail: 'all' };
  if (req.ipvs) {
    const ipvs = req.ipvsConns ? withConnCounts(req.ipvs, req.ipvsConns) : req.ipvs;
    // kube-ipvs0 makes every Service IP local, so routing hands the packet to INPUT where IPVS sits
    input.node = ipvsNodeModel(ipvs, node);
    input.ipsets = ipvsIpsets(ipvs);
    input.ipvs = ipvsHook(ipvs);
  }
  let t, o, s, back, again;
  try {
    t = trace(input);
    back = traceReply(input, t);
    // its own draws: if it lands where the first did, the affinity rule did it, not the dice
    again = secondConnection({ ...input, rng: createRng(2) }, t);
    o = outcomes(input);
    s = req.samples ? sample(input, req.samples, 1, { order: req.samples <= MAX_ANIMATED_SAMPLES }) : null;
  } catch (e) {
    // keep the parsed dump on screen even when the evaluator fails on it
    return { ...base, packetError: `the evaluator failed: ${(e as Error).message}` };
  }
  return {
    ...base,
    run: {
      packet: req.packet,
      events: back ? [...t.events, ...back.result.events.map((e) => ({ ...e, seq: e.seq + t.events.length, leg: 'reply' as const }))] : [...t.events],
      outcome: t.outcome,
      reply: back
        ? { firstEvent: t.events.length, packet: { src: joinHostPort(back.packet.src, back.packet.sport ?? null), dst: joinHostPort(back.packet.dst, back.packet.dport ?? null), proto: back.packet.proto ?? req.packet.proto }, outcome: back.result.outcome }
        : null,
      again: again
        ? { sport: again.sport, dnat: again.result.outcome.dnat, verdict: again.result.outcome.verdict, first: again.first, sticks: again.sticks, line: again.byRule?.line ?? null, chain: again.byRule?.chain ?? null }
        : null,
      fates: o.fates.map((f) => ({ verdict: f.verdict, dnat: f.dnat, masquerade: f.masquerade, probability: f.probability, path: f.path })),
      truncated: o.truncated,
      samples: s ? { n: s.n, counts: s.counts, ...(s.order ? { order: s.order } : {}) } : null,
    },
  };
}
