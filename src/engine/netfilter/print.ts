// printSave: the ruleset as iptables-save prints it after the kernel stored it. Round trip:
// for text that is already canonical iptables-save output, parse then print gives the same text.
import type { Chain, Rule, Ruleset, Table } from './model.ts';
import { BUILTIN_CHAINS } from './model.ts';
import { canonicalArgs } from './canonical.ts';

export function printRule(rule: Rule, family: Ruleset['family'] = 'ipv4', withCounters = true): string {
  const args = canonicalArgs(rule, family);
  const c = withCounters && rule.counters ? `[${rule.counters.packets}:${rule.counters.bytes}] ` : '';
  return `${c}-A ${rule.chain}${args ? ' ' + args : ''}`;
}

function chainDecl(c: Chain, builtin: boolean): string {
  const policy = c.policy ?? (builtin ? 'ACCEPT' : '-');
  const counters = c.counters ?? { packets: 0, bytes: 0 };
  return `:${c.name} ${policy} [${counters.packets}:${counters.bytes}]`;
}

export function printTable(t: Table, family: Ruleset['family'] = 'ipv4'): string {
  const out: string[] = [...t.header, `*${t.name}`];
  const builtins = BUILTIN_CHAINS[t.name] ?? [];
  for (const c of t.chains) out.push(chainDecl(c, builtins.includes(c.name)));
  for (const c of t.chains) for (const r of c.rules) out.push(printRule(r, family));
  out.push('COMMIT', ...t.footer);
  return out.join('\n') + '\n';
}

export function printSave(rs: Ruleset): string {
  return rs.tables.map((t) => printTable(t, rs.family)).join('');
}
