// A rule whose arguments are read on first use. parseDump({ lazy: true }) creates these for plain
// `-A CHAIN ...` lines inside a table, so a 100,000-line paste is split and indexed quickly and each
// rule is tokenized only when the printer, the evaluator or the explainer looks at it. Findings
// about a rule's words are collected when it is read; forceRules() reads them all.
import type { Diagnostic } from '../diagnostics.ts';
import type { Chain, Counters, MatchBlock, Rule, RuleSource, Target } from './model.ts';
import { tokenize } from './tokenize.ts';
import { parseRuleArgs } from './rule-args.ts';

// Fields are declared with `declare` and set in the constructor: no parameter properties or field
// initializers, which some transpilers lower to a defineProperty per field (a 100,000-rule paste
// then spends most of its time making objects).
export class LazyRule implements Rule {
  declare private parsed: { matches: MatchBlock[]; target: Target | null; unknown: string[] } | null;
  declare table: string;
  declare chain: string;
  declare index: number;
  declare line: number;
  declare raw: string;
  declare counters: Counters | null;
  declare source: RuleSource;
  declare private argText: string;
  declare private sink: Diagnostic[];

  constructor(table: string, chain: string, index: number, line: number, raw: string, counters: Counters | null, source: RuleSource, argText: string, sink: Diagnostic[]) {
    this.parsed = null;
    this.table = table;
    this.chain = chain;
    this.index = index;
    this.line = line;
    this.raw = raw;
    this.counters = counters;
    this.source = source;
    this.argText = argText;
    this.sink = sink;
  }

  private read() {
    if (this.parsed) return this.parsed;
    const { tokens, unterminatedQuote } = tokenize(this.argText);
    const args = parseRuleArgs(tokens);
    this.parsed = { matches: args.matches, target: args.target, unknown: args.unknown };
    const at = (code: string, severity: Diagnostic['severity'], message: string, params?: Record<string, string | number>) =>
      this.sink.push({ code, severity, message, line: this.line, col: 1, key: `netfilter.${code}`, params });
    if (unterminatedQuote) at('unterminated-quote', 'warning', 'A quote on this line is never closed; the rest of the line was read as one word.');
    if (args.unknown.length) at('unknown-words', 'warning', `Words not understood in this rule: ${args.unknown.join(' | ')}. The evaluator will not guess what they do.`, { words: args.unknown.join(' ') });
    if (!args.target && !args.matches.length) at('empty-rule', 'info', 'This rule has neither matches nor a target.');
    return this.parsed;
  }

  get matches(): MatchBlock[] {
    return this.read().matches;
  }
  set matches(v: MatchBlock[]) {
    this.read().matches = v;
  }
  get target(): Target | null {
    return this.read().target;
  }
  set target(v: Target | null) {
    this.read().target = v;
  }
  get unknown(): string[] {
    return this.read().unknown;
  }
  set unknown(v: string[]) {
    this.read().unknown = v;
  }
  get isRead(): boolean {
    return this.parsed !== null;
  }
}

/**
 * A chain of a lazily parsed dump: its plain `-A` lines are kept as indexes into the pasted
 * lines and become LazyRule objects only when `rules` is first read, so parsing a 100,000-line
 * save allocates no per-rule object. Rules read eagerly (e.g. `-I`) are pushed through `rules`,
 * which first materializes what is pending, so the order of lines is kept.
 */
export class LazyChain implements Chain {
  declare name: string;
  declare line: number;
  declare policy: string | null;
  declare counters: Counters | null;
  declare references?: number;
  /** pending line indexes; a negative entry -(k + 1) is a line read as `iptables -S` */
  declare pending: number[];
  /** position in its table's chain list when created (the parser's guess of the next chain) */
  declare pos: number;
  declare private list: Rule[] | null;
  declare private table: string;
  declare private lines: readonly string[];
  declare private sink: () => Diagnostic[];

  constructor(name: string, line: number, table: string, lines: readonly string[], sink: () => Diagnostic[], pos: number) {
    this.name = name;
    this.pos = pos;
    this.line = line;
    this.policy = null;
    this.counters = null;
    this.pending = [];
    this.list = null;
    this.table = table;
    this.lines = lines;
    this.sink = sink;
  }

  get rules(): Rule[] {
    let list = this.list;
    if (!list) list = this.list = [];
    const p = this.pending;
    if (p.length) {
      const sink = this.sink();
      for (let i = 0; i < p.length; i++) {
        const e = p[i]!;
        const k = e < 0 ? -e - 1 : e;
        const raw = this.lines[k]!;
        list.push(new LazyRule(this.table, this.name, list.length + 1, k + 1, raw, null, e < 0 ? 'S' : 'save', raw, sink));
      }
      this.pending = [];
    }
    return list;
  }
  set rules(v: Rule[]) {
    this.pending = [];
    this.list = v;
  }
}
