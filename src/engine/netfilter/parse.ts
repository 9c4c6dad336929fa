// parseDump: reads what people paste from a node (iptables-save / ip6tables-save / restore input,
// iptables -S, iptables -L listings, with shell prompts, grep prefixes, CRLF, Markdown fences,
// `...` elisions, several outputs together) into one Ruleset. Every line is accounted for: read
// into the model, recognised as decoration, handed over as another format, or kept as unknown.
import type { Diagnostic } from '../diagnostics.ts';
import { type Chain, type DumpFormat, type Rule, type Ruleset, type Table } from './model.ts';
import { tokenize } from './tokenize.ts';
import { parseRuleArgs } from './rule-args.ts';
import { ListingReader } from './listing.ts';
import { inferTable } from './infer-table.ts';
import { LazyChain, LazyRule } from './lazy-rule.ts';

export interface ParseResult {
  ruleset: Ruleset;
  format: DumpFormat;
  diagnostics: Diagnostic[];
}

const PROMPT = /^\s*(?:\([^)]*\)\s*)?(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s*[$#]|\[[^\]]*\]\s*[$#]|[$#>%]|PS [^>]*>)\s+(.*)$/;
const COMMAND_WORD = /^(?:sudo\s+)?(?:iptables|ip6tables|iptables-save|ip6tables-save|iptables-legacy(?:-save)?|iptables-nft(?:-save)?|ip6tables-legacy(?:-save)?|ip6tables-nft(?:-save)?|ipvsadm|ipset|nft|grep|egrep|cat|kubectl|crictl|docker|ssh|less|head|tail|watch)\b/;

interface Ctx {
  rs: Ruleset;
  diags: Diagnostic[];
  formats: Set<DumpFormat>;
  table: Table | null;
  /** table named by the last command (`-t nat`), for -S and -L output */
  commandTable: string | null;
  commandFormat: DumpFormat | null;
  listing: ListingReader | null;
  otherFormat: DumpFormat | null;
  braceDepth: number;
  inferred: number;
  sawIpv6: boolean;
  sawIpv4: boolean;
  /** -A lines outside any table or command context */
  bareRules: boolean;
  lastChain: Chain | null;
  lastTable: Table | null;
}

function diag(ctx: Ctx, line: number, severity: Diagnostic['severity'], code: string, message: string, params?: Record<string, string | number>): void {
  ctx.diags.push({ code, severity, message, line, col: line ? 1 : 0, key: `netfilter.${code}`, params });
}

export function ensureTable(rs: Ruleset, name: string, line: number): Table {
  let t = rs.tables.find((x) => x.name === name);
  if (!t) {
    t = { name, line, chains: [], header: [], footer: [], committed: false };
    rs.tables.push(t);
  }
  return t;
}

// while parseDump({ lazy: true }) runs (synchronously), the chains it creates keep their plain
// rule lines as indexes (LazyChain)
let lazyParse: { lines: readonly string[]; sink: () => Diagnostic[] } | null = null;

// chain lookup by name per table, so a 30,000-chain dump parses in linear time
const chainIndex = new WeakMap<Table, Map<string, Chain>>();

export function ensureChain(t: Table, name: string, line: number): Chain {
  let idx = chainIndex.get(t);
  if (!idx || idx.size !== t.chains.length) {
    idx = new Map(t.chains.map((c) => [c.name, c]));
    chainIndex.set(t, idx);
  }
  let c = idx.get(name);
  if (!c) {
    const lazy = lazyParse;
    c = lazy ? new LazyChain(name, line, t.name, lazy.lines, lazy.sink, t.chains.length) : { name, policy: null, counters: null, line, rules: [] };
    t.chains.push(c);
    idx.set(name, c);
  }
  return c;
}

export interface ParseOptions {
  /**
   * Read plain `-A` lines inside a `*table` section only when first used (see lazy-rule.ts). The
   * findings about those rules' words then appear in `ruleset.deferredDiagnostics` as rules are
   * read; call forceRules() to read them all.
   */
  lazy?: boolean;
}

export function parseDump(text: string, options: ParseOptions = {}): ParseResult {
  if (!options.lazy) return parseLines(text, options);
  try {
    return parseLines(text, options);
  } finally {
    lazyParse = null;
  }
}

function parseLines(text: string, options: ParseOptions): ParseResult {
  const rs: Ruleset = { family: 'ipv4', tables: [], unknownLines: [], otherFormatLines: [], comments: [], partial: false };
  const ctx: Ctx = { rs, diags: [], formats: new Set(), table: null, commandTable: null, commandFormat: null, listing: null, otherFormat: null, braceDepth: 0, inferred: 0, sawIpv6: false, sawIpv4: false, bareRules: false, lastChain: null, lastTable: null };
  const lines = text.split('\n');
  if (options.lazy) lazyParse = { lines, sink: () => (rs.deferredDiagnostics ??= []) };
  let pendingComments: string[] = [];
  let afterCommit = false;

  for (let k = 0; k < lines.length; k++) {
    const lineNo = k + 1;
    let s = lines[k];
    if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
    if (k === 0 && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    // the common case first: a plain "-A CHAIN ..." line of a table section, read lazily
    if (options.lazy && ctx.table && !ctx.listing && !ctx.otherFormat) {
      const c0 = s.charCodeAt(0);
      // only a line kept as it was pasted (no CR or BOM cut off) can stay an index into the lines
      if (c0 === 45 && s.charCodeAt(1) === 65 && s.charCodeAt(2) === 32 && s.charCodeAt(s.length - 1) > 32 && s.indexOf(' -c ') < 0 && s === lines[k]) {
        // the same chain as the line before: no string is cut, no object made
        const last = ctx.lastChain;
        const sp = s.indexOf(' ', 3);
        const len = (sp < 0 ? s.length : sp) - 3;
        if (last instanceof LazyChain && ctx.lastTable === ctx.table) {
          if (len === last.name.length && s.startsWith(last.name, 3)) {
            last.pending.push(ctx.commandFormat === 'iptables-S' ? -k - 1 : k);
            continue;
          }
          // iptables-save prints chains in the order it declared them: try the next one
          const next = ctx.table.chains[last.pos + 1];
          if (next instanceof LazyChain && len === next.name.length && s.startsWith(next.name, 3)) {
            ctx.lastChain = next;
            next.pending.push(ctx.commandFormat === 'iptables-S' ? -k - 1 : k);
            continue;
          }
        }
        readLazyRule(ctx, s, lineNo, k);
        continue;
      }
      if (c0 === 58 && readDeclaration(ctx, s, lineNo)) continue;
    }
    const trimmed = s.trim();

    if (trimmed === '') {
      ctx.listing = null;
      if (ctx.otherFormat === 'ipset') ctx.otherFormat = null;
      continue;
    }
    if (/^(`{3,}|~{3,})/.test(trimmed)) continue;
    if (/^(\.{3,}|…+|\[\.\.\.\]|<snip>|\(\.\.\.\)|# \.\.\.)$/i.test(trimmed)) {
      rs.partial = true;
      diag(ctx, lineNo, 'info', 'elision', 'Lines were left out here ("..."): rules not shown cannot be assumed absent.');
      continue;
    }

    const c0 = trimmed.charCodeAt(0);
    // most lines of a dump are rules: skip the prompt and grep checks for them
    const plainRule = c0 === 45 /* - */ && (trimmed.startsWith('-A ') || trimmed.startsWith('-I ')) && !ctx.otherFormat && !ctx.listing && s.charCodeAt(0) === 45;
    if (plainRule) {
      if (options.lazy && ctx.table && !trimmed.includes(' -c ')) readLazyRule(ctx, trimmed, lineNo, -1);
      else readRule(ctx, s, trimmed, lineNo, s);
      continue;
    }
    // A shell prompt introduces a new command: its output may be another format or table.
    const pm = PROMPT.exec(s);
    if (pm && COMMAND_WORD.test(pm[1].trim())) {
      startCommand(ctx, pm[1].trim(), lineNo);
      continue;
    }
    if (COMMAND_WORD.test(trimmed) && /^(sudo\s+)?(iptables|ip6tables|ipvsadm|ipset|nft)/.test(trimmed) && !trimmed.startsWith('-')) {
      // a command without prompt, e.g. copied from a runbook
      startCommand(ctx, trimmed, lineNo);
      continue;
    }

    // grep -n / grep -H prefixes: "123:-A ...", "file:-A ...", and "--" separators between matches
    let body = s;
    const gm = /^(?:[\w./-]+:)?\d+[:-](?=[-:*\[]|COMMIT|Chain |\s)/.exec(s);
    if (gm && !/^\[\d+:\d+\]/.test(s)) {
      body = s.slice(gm[0].length);
      rs.partial = true;
    } else if (/^[\w./-]+:(?=-A |:|\*)/.test(s) && !/^\[/.test(s)) {
      body = s.slice(s.indexOf(':') + 1);
      rs.partial = true;
    }
    if (body.trim() === '--') continue;
    const b = body.trim();

    if (ctx.otherFormat && handleOtherFormat(ctx, b, lineNo)) continue;

    if (ctx.listing) {
      if (ctx.listing.accept(body, lineNo)) continue;
      ctx.listing = null;
    }

    if (b.startsWith('#')) {
      if (/ip6tables-save/.test(b)) ctx.sawIpv6 = true;
      if (/^# Warning:/.test(b)) diag(ctx, lineNo, 'info', 'save-warning', b.slice(2));
      // only iptables-save's own comments frame a table; anything else is the user's note
      if (afterCommit && /^# Completed/.test(b) && ctx.table) ctx.table.footer.push(b);
      else if (/^# (Generated by|Warning:)/.test(b) && (!ctx.table || afterCommit)) pendingComments.push(b);
      else rs.comments.push({ line: lineNo, text: b });
      continue;
    }
    if (b.startsWith('*')) {
      const name = b.slice(1).trim();
      const t = ensureTable(rs, name, lineNo);
      if (t.line === 0) t.line = lineNo;
      t.header.push(...pendingComments);
      pendingComments = [];
      ctx.table = t;
      afterCommit = false;
      ctx.formats.add('iptables-save');
      continue;
    }
    if (b === 'COMMIT') {
      if (ctx.table) ctx.table.committed = true;
      else diag(ctx, lineNo, 'warning', 'commit-without-table', 'COMMIT without a "*table" line before it.');
      afterCommit = true;
      ctx.formats.add('iptables-save');
      continue;
    }
    const decl = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?\s*$/.exec(b);
    if (decl) {
      const t = ctx.table ?? ensureTable(rs, ctx.commandTable ?? 'filter', 0);
      if (!ctx.table && !ctx.commandTable) diag(ctx, lineNo, 'info', 'table-inferred', `Chain ${decl[1]} is declared outside any "*table" section; assuming table ${t.name}.`, { chain: decl[1], table: t.name });
      const c = ensureChain(t, decl[1], lineNo);
      c.line = lineNo;
      c.policy = decl[2] === '-' ? null : decl[2];
      c.counters = decl[3] !== undefined ? { packets: Number(decl[3]), bytes: Number(decl[4]) } : null;
      ctx.formats.add('iptables-save');
      continue;
    }
    const ps = /^-P\s+(\S+)\s+(\S+)(?:\s+-c\s+(\d+)\s+(\d+))?\s*$/.exec(b);
    if (ps) {
      const t = ensureTable(rs, ctx.commandTable ?? 'filter', 0);
      const c = ensureChain(t, ps[1], lineNo);
      c.line = lineNo;
      c.policy = ps[2];
      if (ps[3] !== undefined) c.counters = { packets: Number(ps[3]), bytes: Number(ps[4]) };
      ctx.formats.add('iptables-S');
      continue;
    }
    const nc = /^-N\s+(\S+)\s*$/.exec(b);
    if (nc) {
      const t = ensureTable(rs, ctx.commandTable ?? 'filter', 0);
      ensureChain(t, nc[1], lineNo).line = lineNo;
      ctx.formats.add('iptables-S');
      continue;
    }
    if (/^(\[\d+:\d+\]\s+)?-[AI]\s/.test(b)) {
      readRule(ctx, s, b, lineNo, body);
      continue;
    }
    if (/^Chain\s+\S+\s+\(/.test(b)) {
      ctx.listing = new ListingReader(rs, ctx.diags, ctx.commandTable);
      ctx.listing.accept(body, lineNo);
      ctx.formats.add('iptables-L');
      continue;
    }
    const other = detectOtherFormat(b);
    if (other) {
      ctx.otherFormat = other;
      ctx.formats.add(other);
      rs.otherFormatLines.push({ line: lineNo, text: s, format: other });
      if (other === 'nft') ctx.braceDepth = countBraces(b);
      continue;
    }
    keepUnknown(ctx, lineNo, s, 'not a line of iptables-save, iptables -S or iptables -L output');
  }
  if (pendingComments.length && rs.tables.length) rs.tables[rs.tables.length - 1].footer.push(...pendingComments);
  if (options.lazy && !ctx.sawIpv4 && !ctx.sawIpv6) {
    // lazy rules were not read: look at the addresses in their text instead
    if (/ -[sd] [0-9a-f]*:[0-9a-f:]*\//i.test(text) && !/ -[sd] \d+\.\d+\.\d+\.\d+/.test(text)) ctx.sawIpv6 = true;
  }
  if (ctx.sawIpv6 && !ctx.sawIpv4) rs.family = 'ipv6';
  if (ctx.bareRules && !ctx.formats.has('iptables-S') && !ctx.formats.has('iptables-save')) ctx.formats.add('iptables-save');
  let format: DumpFormat = 'unknown';
  if (ctx.formats.size === 1) format = [...ctx.formats][0];
  else if (ctx.formats.size > 1) format = 'mixed';
  if (ctx.formats.has('iptables-L')) diag(ctx, 0, 'info', 'listing-limits', 'An "iptables -L" listing hides details: matches it cannot print, exact argument forms, and without -n it shows names instead of addresses and ports. For a faithful reading, paste "iptables-save" (or "iptables-save -t nat").');
  return { ruleset: rs, format, diagnostics: ctx.diags };
}

function readRule(ctx: Ctx, s: string, b: string, lineNo: number, body: string): void {
  const rs = ctx.rs;

  let counters = null;
  let argText = b;
  const cm = /^\[(\d+):(\d+)\]\s+/.exec(b);
  if (cm) {
    counters = { packets: Number(cm[1]), bytes: Number(cm[2]) };
    argText = b.slice(cm[0].length);
  }
  const { tokens, unterminatedQuote } = tokenize(argText);
  if (unterminatedQuote) diag(ctx, lineNo, 'warning', 'unterminated-quote', 'A quote on this line is never closed; the rest of the line was read as one word.');
  const args = parseRuleArgs(tokens);
  if (!args.chain || /\s/.test(args.chain)) {
    keepUnknown(ctx, lineNo, s, args.chain ? 'a chain name cannot contain blanks' : 'a rule line without a chain name');
    return;
  }
  let table = ctx.table;
  const isS = ctx.commandFormat === 'iptables-S' || (argText.includes(' -c ') && /\s-c\s+\d+\s+\d+(\s|$)/.test(argText));
  if (!table) {
    let name = ctx.commandTable;
    if (!name) {
      name = inferTable(args.chain, args.target?.name ?? null);
      ctx.inferred++;
      if (ctx.inferred === 1) diag(ctx, lineNo, 'info', 'table-inferred', `No "*table" line or "-t TABLE" command says which table these rules are in; tables were inferred from chain and target names (first: ${args.chain} in ${name}).`, { chain: args.chain, table: name });
    }
    table = ensureTable(rs, name, 0);
  }
  const chain = ensureChain(table, args.chain, 0);
  const rule: Rule = {
    table: table.name, chain: args.chain, index: 0, line: lineNo, raw: body.trim(),
    counters: counters ?? args.counters, matches: args.matches, target: args.target, unknown: args.unknown,
    source: isS ? 'S' : 'save',
  };
  if (args.command === 'I') {
    const pos = Math.min(Math.max((args.insertAt ?? 1) - 1, 0), chain.rules.length);
    chain.rules.splice(pos, 0, rule);
    chain.rules.forEach((r, idx) => (r.index = idx + 1));
  } else {
    chain.rules.push(rule);
    rule.index = chain.rules.length;
  }
  if (args.unknown.length) diag(ctx, lineNo, 'warning', 'unknown-words', `Words not understood in this rule: ${args.unknown.join(' | ')}. The evaluator will not guess what they do.`, { words: args.unknown.join(' ') });
  if (!args.target && !rule.matches.length) diag(ctx, lineNo, 'info', 'empty-rule', 'This rule has neither matches nor a target.');
  for (const m of rule.matches) for (const x of m.opts) if ((x.name === 's' || x.name === 'd') && x.values.some((v) => v.includes(':'))) ctx.sawIpv6 = true;
  else if ((x.name === 's' || x.name === 'd') && x.values.some((v) => /^\d+\.\d+\.\d+\.\d+/.test(v))) ctx.sawIpv4 = true;
  // a bare -A line reads the same in iptables-save and iptables -S: it decides nothing alone
  if (isS) ctx.formats.add('iptables-S');
  else if (ctx.table || ctx.commandFormat === 'iptables-save') ctx.formats.add('iptables-save');
  else ctx.bareRules = true;
}

/** `:CHAIN POLICY [p:b]` in its exact iptables-save shape; false sends the line the long way. */
function readDeclaration(ctx: Ctx, s: string, lineNo: number): boolean {
  const sp1 = s.indexOf(' ', 1);
  if (sp1 <= 1) return false;
  const sp2 = s.indexOf(' ', sp1 + 1);
  if (sp2 < 0 || s.charCodeAt(sp2 + 1) !== 91 || s.charCodeAt(s.length - 1) !== 93) return false;
  const colon = s.indexOf(':', sp2);
  if (colon < 0) return false;
  const packets = s.slice(sp2 + 2, colon);
  const bytes = s.slice(colon + 1, s.length - 1);
  if (!isDigits(packets) || !isDigits(bytes) || sp2 === sp1 + 1) return false;
  const name = s.slice(1, sp1);
  const policy = s.slice(sp1 + 1, sp2);
  if (name.includes('\t') || policy.includes('\t')) return false;
  const c = ensureChain(ctx.table!, name, lineNo);
  c.line = lineNo;
  c.policy = policy === '-' ? null : policy;
  c.counters = { packets: Number(packets), bytes: Number(bytes) };
  ctx.formats.add('iptables-save');
  return true;
}

function isDigits(v: string): boolean {
  if (!v.length) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** k: the line's index when `line` is that line unchanged (it can then stay an index), else -1 */
function readLazyRule(ctx: Ctx, line: string, lineNo: number, k: number): void {
  const sp = line.indexOf(' ', 3);
  const chainName = sp < 0 ? line.slice(3) : line.slice(3, sp);
  const insert = line.charCodeAt(1) === 73; /* I */
  if (insert || chainName === '' || /[\s"']/.test(chainName)) return readRule(ctx, line, line, lineNo, line);
  const table = ctx.table!;
  // consecutive rules are usually in the same chain
  const last = ctx.lastChain;
  const chain = last && last.name === chainName && ctx.lastTable === table ? last : ensureChain(table, chainName, 0);
  ctx.lastChain = chain;
  ctx.lastTable = table;
  ctx.formats.add('iptables-save');
  if (k >= 0 && chain instanceof LazyChain) {
    chain.pending.push(ctx.commandFormat === 'iptables-S' ? -k - 1 : k);
    return;
  }
  const rules = chain.rules;
  rules.push(new LazyRule(table.name, chainName, rules.length + 1, lineNo, line, null, ctx.commandFormat === 'iptables-S' ? 'S' : 'save', line, ctx.rs.deferredDiagnostics ??= []));
}

function keepUnknown(ctx: Ctx, line: number, text: string, reason: string): void {
  ctx.rs.unknownLines.push({ line, text, reason });
  diag(ctx, line, 'warning', 'unrecognized-line', `Line ${line} was kept but not understood: ${reason}.`, { line });
}

function startCommand(ctx: Ctx, cmd: string, line: number): void {
  const words = cmd.split(/\s+/);
  const tIdx = words.findIndex((w) => w === '-t' || w === '--table');
  const tAttached = words.find((w) => /^-t\w+$/.test(w));
  ctx.commandTable = tIdx >= 0 ? words[tIdx + 1] ?? null : tAttached ? tAttached.slice(2) : null;
  ctx.listing = null;
  ctx.otherFormat = null;
  ctx.table = null;
  const prog = words.find((w) => w !== 'sudo') ?? '';
  if (/save/.test(prog)) ctx.commandFormat = 'iptables-save';
  else if (/^ip6?tables/.test(prog)) {
    ctx.commandFormat = words.some((w) => /^-[a-zA-Z]*S/.test(w) && !w.startsWith('--')) ? 'iptables-S' : words.some((w) => /^-[a-zA-Z]*L/.test(w) && !w.startsWith('--')) || words.includes('--list') ? 'iptables-L' : null;
  } else ctx.commandFormat = null;
  if (/^ip6tables/.test(prog)) ctx.rs.family = 'ipv6';
  if (/grep/.test(cmd)) ctx.rs.partial = true;
  if (ctx.commandFormat === 'iptables-S' && !ctx.commandTable) ctx.commandTable = 'filter';
  if (ctx.commandFormat === 'iptables-L' && !ctx.commandTable) ctx.commandTable = 'filter';
  void line;
}

function detectOtherFormat(b: string): DumpFormat | null {
  if (/^IP Virtual Server version/.test(b) || /^Prot\s+LocalAddress:Port/.test(b) || /^(TCP|UDP|SCTP)\s+\S+:\d+\s+\w+/.test(b) || /^->\s+\S+:\d+\s+(Masq|Route|Tunnel|Local)/.test(b) || /^->\s+RemoteAddress:Port/.test(b)) return 'ipvsadm';
  if (/^Name:\s+\S+/.test(b) || /^Type:\s+(hash|bitmap|list):/.test(b)) return 'ipset';
  if (/^table\s+(ip|ip6|inet|arp|bridge|netdev)\s+\S+\s*\{/.test(b)) return 'nft';
  return null;
}

function countBraces(s: string): number {
  let d = 0;
  for (const ch of s) if (ch === '{') d++;
  else if (ch === '}') d--;
  return d;
}

function handleOtherFormat(ctx: Ctx, b: string, line: number): boolean {
  const f = ctx.otherFormat!;
  if (f === 'nft') {
    ctx.rs.otherFormatLines.push({ line, text: b, format: f });
    ctx.braceDepth += countBraces(b);
    if (ctx.braceDepth <= 0) ctx.otherFormat = null;
    return true;
  }
  if (f === 'ipvsadm') {
    if (/^(TCP|UDP|SCTP|FWM)\s/.test(b) || /^->/.test(b) || /^Prot\s/.test(b) || /^IP Virtual Server/.test(b)) {
      ctx.rs.otherFormatLines.push({ line, text: b, format: f });
      return true;
    }
    ctx.otherFormat = null;
    return false;
  }
  if (f === 'ipset') {
    if (/^(Name|Type|Revision|Header|Size in memory|References|Number of entries|Members):/.test(b) || !/^-[AINP]\s|^\*|^:|^Chain /.test(b)) {
      ctx.rs.otherFormatLines.push({ line, text: b, format: f });
      return true;
    }
    ctx.otherFormat = null;
    return false;
  }
  return false;
}
