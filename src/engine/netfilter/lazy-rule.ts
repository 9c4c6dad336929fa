// A rule whose arguments are read on first use. parseDump({ lazy: true }) creates these for plain
// `-A CHAIN ...` lines inside a table, so a 100,000-line paste is split and indexed quickly and each
// rule is tokenized only when the printer, the evaluator or the explainer looks at it. Findings
// about a rule's words are collected when it is read; forceRules() reads them all.
import type { Diagnostic } from '../diagnostics.ts';
import type { Counters, MatchBlock, Rule, RuleSource, Target } from './model.ts';
import { tokenize } from './tokenize.ts';
import { parseRuleArgs } from './rule-args.ts';

export class LazyRule implements Rule {
  private parsed: { matches: MatchBlock[]; target: Target | null; unknown: string[] } | null = null;

  constructor(
    public table: string,
    public chain: string,
    public index: number,
    public line: number,
    public raw: string,
    public counters: Counters | null,
    public source: RuleSource,
    private argText: string,
    private sink: Diagnostic[],
  ) {}

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
