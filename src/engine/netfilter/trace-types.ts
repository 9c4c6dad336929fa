// The evaluator's inputs and its immutable trace. The UI's animation, event table and live region,
// the CLI and the explainer all read these events; nothing else tells the story of a packet.
import type { Rule, Ruleset } from './model.ts';
import type { Rng } from '../util/rng.ts';

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';
export type Verdict = 'ACCEPT' | 'LOCAL' | 'DROP' | 'REJECT';
export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

export interface PacketSpec {
  src: string;
  dst: string;
  /** null: not given (a rule matching on it is reported unknown) */
  sport?: number | null;
  dport?: number | null;
  proto?: string;
  inIface?: string | null;
  mark?: number;
  /** bridged traffic (br_netfilter), for -m physdev */
  bridged?: boolean;
  physIn?: string | null;
  physOut?: string | null;
}

export interface PacketView {
  src: string;
  dst: string;
  sport: number | null;
  dport: number | null;
  proto: string;
  inIface: string | null;
  outIface: string | null;
  mark: number;
}

export interface Tuple {
  src: string;
  sport: number | null;
  dst: string;
  dport: number | null;
}

export interface ConntrackEntry {
  id: number;
  proto: string;
  orig: Tuple;
  /** what replies look like: the inverse of the translated tuple */
  reply: Tuple;
  dnat: boolean;
  snat: boolean;
  /**
   * IPVS (not nf_nat) rewrote the destination: its replies are un-NATed by IPVS itself
   * (ip_vs_reply4 at FORWARD, or at LOCAL_IN for a local client), not by conntrack at POSTROUTING
   */
  ipvs?: boolean;
  /** connmark */
  mark: number;
}

/** Addresses the node owns and how it routes (from config nodeInterfaces / packetTracer.localIPs). */
export interface NodeModel {
  localIPs: string[];
  interfaces?: { name: string; addresses: string[] }[];
  /** the node's primary address, used for MASQUERADE when no interface says otherwise */
  nodeIP?: string | null;
}

/** ipset contents (the `generate --output json` ipsets shape), for -m set. */
export interface IpsetModel {
  name: string;
  type: string;
  entries: string[];
}

/** -m recent lists: name -> address -> last seen (seconds) and hit count */
export type RecentState = ReadonlyMap<string, ReadonlyMap<string, { last: number; hits: number }>>;

export interface DecisionPoint {
  /** null for a choice made outside the rules (an IPVS scheduler through the ipvs hook) */
  rule: Rule | null;
  /** set by the ipvs hook; for rules, derive it with decisionLabel() */
  label?: string;
  kind: 'random' | 'nth';
  /** probability that the rule's statistic match is true */
  probability: number;
}

/**
 * What IPVS does with a new connection: a real server to forward to; a verdict of its own when a
 * virtual server matches but no destination can be scheduled (ip_vs_leave: ICMP port unreachable
 * to the sender, so REJECT; an ICMP packet is dropped silently); or null, no virtual server.
 */
export type IpvsHookResult =
  | { address: string; port: number; label?: string }
  | { verdict: 'REJECT' | 'DROP'; reason: string; label?: string; params?: Record<string, string | number> }
  | null;

/**
 * IPVS extension point: called at LOCAL_IN (after filter INPUT, before nat INPUT, as the kernel's
 * ip_vs hooks sit) for a packet addressed to the node.
 */
export type IpvsHook = ((p: PacketView, decide: (probability: number, label: string) => boolean) => IpvsHookResult) & {
  /**
   * A fresh hook for a burst of new connections when a choice depends on the connections before
   * it (IPVS lc/wlc/sed/nq count them): `sample` then traces the burst one connection at a time.
   */
  burst?: () => IpvsHook;
};

export interface TraceInput {
  ruleset: Ruleset;
  packet: PacketSpec;
  node: NodeModel;
  from?: 'auto' | 'pod' | 'node' | 'external';
  conntrack?: readonly ConntrackEntry[];
  recent?: RecentState;
  ipsets?: readonly IpsetModel[];
  nowSeconds?: number;
  /** chooses statistic branches; default: the seeded rng as the kernel does (random u32 & 0x7fffffff < p * 2^31) */
  decide?: (d: DecisionPoint) => boolean;
  rng?: Rng;
  ipvs?: IpvsHook;
  /** 'all': an event per rule evaluated; 'path': only matched rules and hook/verdict events; 'none': no events (sampling) */
  detail?: 'all' | 'path' | 'none';
  /**
   * Sampling many connections: mutate `recent` in place (it must then be a Map) and return an empty
   * conntrack table, instead of copying both for every connection.
   */
  shareState?: boolean;
  /** per-rule packet counters for -m statistic --mode nth, shared across sampled connections */
  nthCounters?: Map<Rule, number>;
  /** a rule with a match the evaluator does not know: treated as not matching (default) or matching */
  unknownMatches?: 'nomatch' | 'match';
}

export type EventKind = 'hook' | 'rule' | 'skipped' | 'policy' | 'return' | 'routing' | 'conntrack' | 'ipvs' | 'verdict' | 'missing-chain';

export interface TraceEvent {
  seq: number;
  kind: EventKind;
  hook: Hook | null;
  table: string | null;
  chain: string | null;
  /** 1-based rule index in its chain */
  rule: number | null;
  line: number | null;
  matched: boolean | null;
  /** English explanation; `reasonKey` + `params` let the UI translate */
  reason: string;
  reasonKey: string;
  params: Record<string, string | number>;
  action: string | null;
  unknown: string[];
  packetBefore: PacketView;
  packetAfter: PacketView;
  conntrack: ConntrackEntry | null;
  mark: number;
  /** cumulative number of rules the kernel has evaluated so far (linear walk) */
  rulesEvaluated: number;
  /** number of rules a 'skipped' event stands for */
  count?: number;
  /** set on the events of the reply leg (netfilter/reply.ts) when both legs are shown as one list */
  leg?: 'reply';
  probability?: number;
}

export interface Outcome {
  verdict: Verdict;
  /** DNAT target as written in --to-destination / chosen by IPVS ("10.0.0.1:80", "[fd00::1]:80") */
  dnat: string | null;
  masquerade: boolean;
  snat: string | null;
  /** the rule that decided: ACCEPT/DROP/REJECT target, or null for a policy / plain delivery */
  decidedBy: { table: string; chain: string; rule: number; line: number } | null;
  /** built-in chain policy that decided, e.g. "filter FORWARD DROP" */
  policy: string | null;
  final: PacketView;
  /** the reply's addresses as the client sees them after conntrack un-NATs it */
  reply: Tuple | null;
  /** matches the evaluator did not understand on the path (the outcome may be wrong) */
  unknownOnPath: number;
}

export interface TraceResult {
  events: readonly TraceEvent[];
  outcome: Outcome;
  conntrack: readonly ConntrackEntry[];
  recent: RecentState;
  rulesEvaluated: number;
  decisions: { point: DecisionPoint; taken: boolean }[];
}
