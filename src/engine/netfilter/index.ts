// Public face of the netfilter layer: the ruleset model, the dump parser, the save printer, and
// the kernel-faithful evaluator with its immutable trace.
export type { Chain, Counters, DumpFormat, MatchBlock, Opt, Rule, RuleSource, Ruleset, Table, Target, UnknownLine } from './model.ts';
export { BUILTIN_CHAINS, allRules, commentOf, forceRules, findChain, findTable, matchOf, optOf } from './model.ts';
export { parseDump, type ParseOptions, type ParseResult } from './parse.ts';
export { printRule, printSave, printTable } from './print.ts';
export { canonicalAddress, canonicalArgs, formatProbability, kernelProbability, saveString } from './canonical.ts';
export { tokenize } from './tokenize.ts';
export { applyRestore, emptyRuleset } from './restore.ts';
export { kubeProxyJumpsRestore, kubeProxyNode } from './kube-jumps.ts';
export { trace } from './evaluate.ts';
export { traceReply, type ReplyLeg } from './reply.ts';
export { outcomes, sample, fateKey, type Fate, type OutcomesResult, type SampleResult } from './outcomes.ts';
export type {
  ConntrackEntry, CtState, DecisionPoint, EventKind, Hook, IpsetModel, IpvsHook, IpvsHookResult, NodeModel, Outcome, PacketSpec, PacketView, RecentState,
  TraceEvent, TraceInput, TraceResult, Tuple, Verdict,
} from './trace-types.ts';
export { runFlow, type FlowCase, type FlowResult } from './flows.ts';
