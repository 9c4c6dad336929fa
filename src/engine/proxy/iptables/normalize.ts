// kube-proxy's test normalizer (proxier_test.go sortIPTablesRules + pkg/util/iptables/testing
// parse.go IPTablesDump.String()): restore input re-ordered so it no longer depends on the Go map
// order in which services were processed. Rules are kept verbatim; only their order changes.

export class DumpParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

interface DumpChain {
  name: string;
  packets: string;
  bytes: string;
  rules: string[];
  deleted: boolean;
}

interface DumpTable {
  name: string;
  chains: DumpChain[];
}

const CHAIN_DECL = /^:([^ ]*) - \[([0-9]*):([0-9]*)\]$/;

/** ParseIPTablesDump: the strict restore-input grammar kube-proxy's tests accept. */
export function parseRestoreDump(text: string): DumpTable[] {
  const tables: DumpTable[] = [];
  let table: DumpTable | null = null;
  let byName = new Map<string, DumpChain>();
  let inRules = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    if (table === null) {
      if (!line.startsWith('*')) throw new DumpParseError(`expected "*TABLE", got ${JSON.stringify(line)}`, lineNo);
      table = { name: line.slice(1), chains: [] };
      tables.push(table);
      byName = new Map();
      inRules = false;
      continue;
    }
    if (line === 'COMMIT') {
      table = null;
      continue;
    }
    if (!inRules) {
      const m = CHAIN_DECL.exec(line);
      if (m) {
        const chain: DumpChain = { name: m[1], packets: m[2], bytes: m[3], rules: [], deleted: false };
        table.chains.push(chain);
        byName.set(chain.name, chain);
        continue;
      }
      inRules = true;
    }
    if (line.startsWith('-A ')) {
      const name = line.slice(3).split(' ', 1)[0];
      const chain = byName.get(name);
      if (!chain) throw new DumpParseError(`rule for undeclared chain ${JSON.stringify(name)}`, lineNo);
      chain.rules.push(line);
    } else if (line.startsWith('-X ')) {
      const name = line.slice(3).trim();
      const chain = byName.get(name);
      if (!chain) throw new DumpParseError(`deleting undeclared chain ${JSON.stringify(name)}`, lineNo);
      if (chain.rules.length > 0) throw new DumpParseError(`deleting chain ${JSON.stringify(name)} that has rules`, lineNo);
      chain.deleted = true;
    } else {
      throw new DumpParseError(`unexpected line ${JSON.stringify(line)}`, lineNo);
    }
  }
  if (table !== null) throw new DumpParseError(`table ${JSON.stringify(table.name)} has no COMMIT`, lines.length);
  return tables;
}

/** The `--comment` value of a rule line (quotes removed), or null. */
export function ruleComment(rule: string): string | null {
  const at = rule.indexOf(' --comment ');
  if (at < 0) return null;
  const rest = rule.slice(at + ' --comment '.length);
  if (rest.startsWith('"')) {
    const end = rest.indexOf('"', 1);
    return end < 0 ? rest.slice(1) : rest.slice(1, end);
  }
  const sp = rest.indexOf(' ');
  return sp < 0 ? rest : rest.slice(0, sp);
}

/** The "service name" kube-proxy's tests group by: the comment cut at the first space or colon. */
function serviceNameOf(rule: string): string | null {
  const c = ruleComment(rule);
  if (c === null) return null;
  const m = /[ :]/.exec(c);
  return m ? c.slice(0, m.index) : c;
}

function byServiceName(a: string, b: string): number {
  const ka = serviceNameOf(a);
  const kb = serviceNameOf(b);
  // a rule without a comment never sorts before anything
  if (ka === null) return kb === null ? 0 : 1;
  if (kb === null) return -1;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

const isLastRule = (rule: string) => (ruleComment(rule) ?? '').includes('must be the last rule');

function natServicesOrder(a: string, b: string): number {
  const la = isLastRule(a);
  const lb = isLastRule(b);
  if (la || lb) return la === lb ? 0 : la ? 1 : -1;
  return byServiceName(a, b);
}

function chainRank(name: string): number {
  if (name === 'KUBE-NODEPORTS') return 0;
  if (name === 'KUBE-SERVICES') return 1;
  return name.startsWith('KUBE-') ? 2 : 3;
}

function byChainOrder(a: DumpChain, b: DumpChain): number {
  const ra = chainRank(a.name);
  const rb = chainRank(b.name);
  if (ra !== rb) return ra - rb;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** normalize(R) of the conformance README: parse, sort, serialize. Throws DumpParseError. */
export function normalizeRestore(text: string): string {
  const tables = parseRestoreDump(text.replace(/^[ \t\n]+/, ''));
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const t of tables) {
    t.chains.sort(byChainOrder);
    for (const c of t.chains) {
      if ((c.name === 'KUBE-NODEPORTS' && (t.name === 'filter' || t.name === 'nat')) || (c.name === 'KUBE-SERVICES' && t.name === 'filter')) {
        c.rules.sort(byServiceName);
      }
      else if (c.name === 'KUBE-SERVICES' && t.name === 'nat') c.rules.sort(natServicesOrder);
    }
    out.push(`*${t.name}`);
    for (const c of t.chains) out.push(`:${c.name} - [${c.packets}:${c.bytes}]`);
    for (const c of t.chains) for (const r of c.rules) out.push(r);
    for (const c of t.chains) if (c.deleted) out.push(`-X ${c.name}`);
    out.push('COMMIT');
  }
  return out.map((l) => l + '\n').join('');
}
