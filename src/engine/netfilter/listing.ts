// Best-effort reading of `iptables -L [-n] [-v] [--line-numbers] [-x]` listings. A listing is
// made for eyes, not machines: it prints each match in a prose form, resolves addresses and ports
// to names without -n, and omits what it cannot print. Every fragment not turned into a match is
// kept in `rule.unknown`, so the evaluator never treats a half-read rule as understood.
import type { Diagnostic } from '../diagnostics.ts';
import type { MatchBlock, Opt, Rule, Ruleset } from './model.ts';
import { ensureChain, ensureTable } from './parse.ts';
import { inferTable } from './infer-table.ts';
import { portNumber } from './canonical.ts';

const PROTOS = new Set(['all', 'tcp', 'udp', 'icmp', 'sctp', 'ipv6-icmp', 'icmpv6', 'udplite', 'esp', 'ah', 'gre', '0', '1', '6', '17', '58', '132']);

export class ListingReader {
  private chain: string | null = null;
  private table: string | null;
  private columns: string[] | null = null;
  private namesWarned = false;

  constructor(private rs: Ruleset, private diags: Diagnostic[], table: string | null) {
    this.table = table;
  }

  /** false when the line is not part of a listing (the caller then reads it otherwise) */
  accept(body: string, line: number): boolean {
    const b = body.trim();
    const ch = /^Chain\s+(\S+)\s+\((?:policy\s+(\S+)(?:\s+(\d+)\s+packets,\s+(\d+)\s+bytes)?|(\d+)\s+references?)\)/.exec(b);
    if (ch) {
      this.chain = ch[1];
      this.columns = null;
      const table = ensureTable(this.rs, this.table ?? 'filter', 0);
      const c = ensureChain(table, ch[1], line);
      c.line = line;
      if (ch[2]) c.policy = ch[2];
      if (ch[3] !== undefined) c.counters = { packets: Number(ch[3]), bytes: Number(ch[4]) };
      if (ch[5] !== undefined) c.references = Number(ch[5]);
      return true;
    }
    if (!this.chain) return false;
    if (/^(num\s+)?(pkts\s+bytes\s+)?target\s+prot\s+opt/.test(b)) {
      this.columns = b.split(/\s+/);
      return true;
    }
    if (!this.columns) return false;
    if (/^(-[AINP]\s|\*|:|COMMIT$|#)/.test(b)) return false;
    this.readRow(body, line);
    return true;
  }

  private readRow(body: string, line: number): void {
    const words = body.trim().split(/\s+/);
    const cols = this.columns!;
    let i = 0;
    let counters = null;
    const unknown: string[] = [];
    const builtin: Opt[] = [];
    let target: string | null = null;
    for (const col of cols) {
      if (col === 'num') i++;
      else if (col === 'pkts') {
        const p = parseCount(words[i++]);
        const by = parseCount(words[i++]);
        counters = p !== null && by !== null ? { packets: p, bytes: by } : null;
      } else if (col === 'bytes') continue;
      else if (col === 'target') {
        // an empty target column (a rule with no -j) leaves the protocol first
        if (PROTOS.has(words[i]) && /^(--|-f|!f)$/.test(words[i + 1] ?? '')) target = null;
        else target = words[i++];
      } else if (col === 'prot') {
        const p = words[i++];
        if (p && p !== 'all' && p !== '0') builtin.push(neg('p', p));
      } else if (col === 'opt') {
        const o = words[i++];
        if (o === '-f') builtin.push({ name: 'f', values: [], negated: false });
        else if (o === '!f') builtin.push({ name: 'f', values: [], negated: true });
      } else if (col === 'in' || col === 'out') {
        const v = words[i++];
        if (v && v !== '*') builtin.push(neg(col === 'in' ? 'i' : 'o', v));
      } else if (col === 'source' || col === 'destination') {
        const v = words[i++];
        if (v && v !== 'anywhere' && v !== '0.0.0.0/0' && v !== '::/0') {
          const o = neg(col === 'source' ? 's' : 'd', v);
          builtin.push(o);
          if (!/^[\d.:/a-fA-F]+$/.test(o.values[0]) || !/[\d]/.test(o.values[0])) this.warnNames(line, v);
        }
      }
    }
    const rest = words.slice(i).join(' ');
    const { matches, targetOpts } = readExtras(rest, unknown, (v) => this.warnNames(line, v));
    const table = ensureTable(this.rs, this.table ?? inferTable(this.chain!, target), 0);
    const chain = ensureChain(table, this.chain!, 0);
    const rule: Rule = {
      table: table.name, chain: chain.name, index: chain.rules.length + 1, line, raw: body.trim(), counters,
      matches: [...(builtin.length ? [{ module: null, implicit: false, opts: builtin } as MatchBlock] : []), ...matches],
      target: target ? { name: target, goto: false, opts: targetOpts } : null,
      unknown, source: 'L',
    };
    chain.rules.push(rule);
    if (unknown.length) this.diags.push({ code: 'listing-unread', severity: 'warning', line, col: 1, key: 'netfilter.listing-unread', params: { words: unknown.join(' ') }, message: `Part of this listing row was not understood: ${unknown.join(' ')}. The evaluator treats the rule as unknown.` });
  }

  private warnNames(line: number, v: string): void {
    if (this.namesWarned) return;
    this.namesWarned = true;
    this.diags.push({ code: 'listing-names', severity: 'warning', line, col: 1, key: 'netfilter.listing-names', params: { name: v }, message: `"${v}" is a name, not a number: this listing was made without -n, so addresses and ports were resolved to names and cannot be matched exactly. Use "iptables-save" or "iptables -L -n".` });
  }
}

function parseCount(w: string | undefined): number | null {
  if (!w) return null;
  const m = /^(\d+)([KMGT]?)$/.exec(w);
  if (!m) return null;
  const mult = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2]] ?? 1;
  return Number(m[1]) * mult;
}

function neg(name: string, v: string): Opt {
  return v.startsWith('!') ? { name, values: [v.slice(1)], negated: true } : { name, values: [v], negated: false };
}

/** Reads the prose matches after the destination column. */
function readExtras(rest: string, unknown: string[], warnName: (v: string) => void): { matches: MatchBlock[]; targetOpts: Opt[] } {
  const matches: MatchBlock[] = [];
  const targetOpts: Opt[] = [];
  let s = rest;
  const add = (module: string, opts: Opt[]) => {
    const m = matches.find((x) => x.module === module);
    if (m) m.opts.push(...opts);
    else matches.push({ module, implicit: false, opts });
  };
  const o = (name: string, values: string[], negated = false): Opt => ({ name, values, negated });
  const rules: [RegExp, (m: RegExpExecArray) => void][] = [
    [/^\/\*\s?(.*?)\s?\*\/\s*/, (m) => add('comment', [o('comment', [m[1]])])],
    [/^(tcp|udp|sctp)\s+((?:(?:spts?|dpts?):!?\S+\s*)+)(flags:\S+\s*)?/, (m) => {
      const opts: Opt[] = [];
      for (const part of m[2].trim().split(/\s+/)) {
        const pm = /^(spts?|dpts?):(!?)(\S+)$/.exec(part)!;
        const val = pm[3].split(':').map((p) => { const n = portNumber(p); if (!/^\d+$/.test(n)) warnName(p); return n; }).join(':');
        opts.push(o(pm[1].startsWith('s') ? 'sport' : 'dport', [val], pm[2] === '!'));
      }
      if (m[3]) unknown.push(m[3].trim());
      add(m[1], opts);
    }],
    [/^(tcp|udp|sctp)(?:\s+|$)(?!(spts?|dpts?):)/, (m) => add(m[1], [])],
    [/^multiport\s+(dports|sports|ports)\s+(!\s*)?(\S+)\s*/, (m) => add('multiport', [o(m[1], [m[3].split(',').map(portNumber).join(',')], !!m[2])])],
    [/^statistic\s+mode\s+random\s+(!\s*)?probability\s+(\S+)\s*/, (m) => add('statistic', [o('mode', ['random']), o('probability', [m[2]], !!m[1])])],
    [/^statistic\s+mode\s+nth\s+every\s+(\d+)(?:\s+packet\s+(\d+))?\s*/, (m) => add('statistic', [o('mode', ['nth']), o('every', [m[1]]), ...(m[2] ? [o('packet', [m[2]])] : [])])],
    [/^(!\s*)?ctstate\s+(\S+)\s*/, (m) => add('conntrack', [o('ctstate', [m[2]], !!m[1])])],
    [/^(!\s*)?state\s+(\S+)\s*/, (m) => add('state', [o('state', [m[2]], !!m[1])])],
    [/^mark\s+match\s+(!\s*)?(\S+)\s*/, (m) => add('mark', [o('mark', [m[2]], !!m[1])])],
    [/^ADDRTYPE\s+match\s+((?:(?:src|dst)-type\s+!?\s*\S+\s*)+)(limit-(?:in|out)\s*)?/, (m) => {
      const opts: Opt[] = [];
      const re = /(src|dst)-type\s+(!?)\s*(\S+)/g;
      let x;
      while ((x = re.exec(m[1]))) opts.push(o(`${x[1]}-type`, [x[3]], x[2] === '!'));
      add('addrtype', opts);
    }],
    [/^recent:\s+(CHECK|SET|UPDATE|REMOVE)\s+(?:seconds:\s+(\d+)\s+)?(reap\s+)?(?:hit_count:\s+(\d+)\s+)?(?:TTL-Match\s+)?name:\s+(\S+)\s+side:\s+(source|dest)\s*(?:mask:\s+(\S+)\s*)?/, (m) => {
      const opts: Opt[] = [o({ CHECK: 'rcheck', SET: 'set', UPDATE: 'update', REMOVE: 'remove' }[m[1]]!, [])];
      if (m[2]) opts.push(o('seconds', [m[2]]));
      if (m[3]) opts.push(o('reap', []));
      if (m[4]) opts.push(o('hitcount', [m[4]]));
      opts.push(o('name', [m[5]]));
      if (m[7]) opts.push(o('mask', [m[7]]));
      opts.push(o(m[6] === 'source' ? 'rsource' : 'rdest', []));
      add('recent', opts);
    }],
    [/^(!\s*)?match-set\s+(\S+)\s+(\S+)\s*/, (m) => add('set', [o('match-set', [m[2], m[3]], !!m[1])])],
    [/^PHYSDEV\s+match\s+((?:!?\s*--physdev-\S+(?:\s+[^-\s]\S*)?\s*)+)/, (m) => {
      const opts: Opt[] = [];
      const re = /(!?)\s*--(physdev-\S+)(?:\s+([^-\s!]\S*))?/g;
      let x;
      while ((x = re.exec(m[1]))) opts.push(o(x[2], x[3] ? [x[3]] : [], x[1] === '!'));
      add('physdev', opts);
    }],
    [/^nfacct-name\s+(\S+)\s*/, (m) => add('nfacct', [o('nfacct-name', [m[1]])])],
    [/^to:(\S+)\s*/, (m) => targetOpts.push(o('to-destination', [m[1]]))],
    [/^MARK\s+(or|xor|and|set)\s+(\S+)\s*/, (m) => targetOpts.push(o(m[1] === 'set' ? 'set-xmark' : `${m[1]}-mark`, [m[2]]))],
    [/^MARK\s+xset\s+(\S+)\s*/, (m) => targetOpts.push(o('set-xmark', [m[1]]))],
    [/^reject-with\s+(\S+)\s*/, (m) => targetOpts.push(o('reject-with', [m[1]]))],
    [/^(random-fully|random|persistent)\s*/, (m) => targetOpts.push(o(m[1], []))],
    [/^masq ports:\s+(\S+)\s*/, (m) => targetOpts.push(o('to-ports', [m[1]]))],
  ];
  while (s.length) {
    let hit = false;
    for (const [re, fn] of rules) {
      const m = re.exec(s);
      if (m) {
        fn(m);
        s = s.slice(m[0].length);
        hit = true;
        break;
      }
    }
    if (!hit) {
      const w = /^\S+\s*/.exec(s)![0];
      unknown.push(w.trim());
      s = s.slice(w.length);
    }
  }
  return { matches, targetOpts };
}
