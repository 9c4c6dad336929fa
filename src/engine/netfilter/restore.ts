// iptables-restore --noflush semantics on a ruleset: a chain declared in the restore text is
// flushed and gets exactly the rules written for it, other chains keep theirs, `-X` deletes.
// This is how kube-proxy applies its sync on top of the node's existing rules.
import type { Ruleset, Table } from './model.ts';
import { BUILTIN_CHAINS } from './model.ts';
import { parseDump } from './parse.ts';
import type { Diagnostic } from '../diagnostics.ts';

export function emptyRuleset(family: Ruleset['family'] = 'ipv4', tables = ['filter', 'nat']): Ruleset {
  return {
    family,
    tables: tables.map((name) => ({ name, line: 0, header: [], footer: [], committed: true, chains: (BUILTIN_CHAINS[name] ?? []).map((c) => ({ name: c, policy: 'ACCEPT', counters: null, line: 0, rules: [] })) })),
    unknownLines: [], otherFormatLines: [], comments: [], partial: false,
  };
}

function cloneTable(t: Table): Table {
  return { ...t, header: [...t.header], footer: [...t.footer], chains: t.chains.map((c) => ({ ...c, rules: [...c.rules] })) };
}

export function applyRestore(base: Ruleset, restoreText: string): { ruleset: Ruleset; diagnostics: Diagnostic[] } {
  const parsed = parseDump(restoreText);
  const out: Ruleset = { ...base, tables: base.tables.map(cloneTable), unknownLines: [...base.unknownLines, ...parsed.ruleset.unknownLines], comments: [...base.comments] };
  if (parsed.ruleset.family === 'ipv6') out.family = 'ipv6';
  for (const pt of parsed.ruleset.tables) {
    let t = out.tables.find((x) => x.name === pt.name);
    if (!t) {
      t = { name: pt.name, line: pt.line, header: [], footer: [], committed: true, chains: [] };
      out.tables.push(t);
    }
    for (const pc of pt.chains) {
      const existing = t.chains.find((c) => c.name === pc.name);
      const builtin = (BUILTIN_CHAINS[pt.name] ?? []).includes(pc.name);
      if (existing) {
        if (pc.line > 0) existing.rules = builtin ? [...existing.rules, ...pc.rules] : [...pc.rules];
        else existing.rules = [...existing.rules, ...pc.rules];
        if (builtin && pc.policy) existing.policy = pc.policy;
        existing.rules.forEach((r, i) => (r.index = i + 1));
      } else t.chains.push({ ...pc, rules: [...pc.rules] });
    }
  }
  // `-X CHAIN` lines are kept as unknown by parseDump; apply them here
  for (const line of restoreText.split('\n')) {
    const m = /^-X\s+(\S+)/.exec(line.trim());
    if (!m) continue;
    for (const t of out.tables) t.chains = t.chains.filter((c) => c.name !== m[1]);
  }
  out.unknownLines = out.unknownLines.filter((u) => !/^-X\s/.test(u.text.trim()));
  return { ruleset: out, diagnostics: parsed.diagnostics.filter((d) => !(d.code === 'unrecognized-line' && /^-X\s/.test(restoreText.split('\n')[d.line - 1]?.trim() ?? ''))) };
}
