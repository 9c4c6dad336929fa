// What `iptables-save` prints on the node after kube-proxy's first full sync: kube-proxy's
// restore input plus the chains and jump rules it ensures outside the restore (spec section 3),
// re-read by the netfilter parser and printed in the kernel's canonical argument forms. The
// generated rules thus go through the same parser as pasted dumps (DESIGN.md).

import type { EndpointSlice, Service } from '../../k8s/types.ts';
import type { ProxierConfig } from '../config.ts';
import { resolveProxierConfig } from '../config.ts';
import { printRule, printTable, tokenize, type Chain, type Rule, type Table } from '../../netfilter/index.ts';
import { RuleText } from './ruletext.ts';
import { parseRuleArgs } from '../../netfilter/rule-args.ts';
import { syncIptables, type IptablesSync, KUBE_EXTERNAL_SERVICES, KUBE_FIREWALL, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_PROXY_FIREWALL, KUBE_SERVICES } from './proxier.ts';

export type SaveTable = 'mangle' | 'filter' | 'nat';

export interface SaveOptions {
  /** tables to print, in this order (`iptables-save -t nat` = ['nat']); default mangle, filter, nat */
  tables?: SaveTable[];
  /**
   * Order of user chains. 'creation' (default): the order the chains were created, which is
   * what iptables-nft prints and what the seed's dump shows; 'sorted': by name, as the legacy
   * backend (libiptc) prints them.
   */
  chainOrder?: 'creation' | 'sorted';
  /** header/footer comment lines; false omits them. The date is fixed: the engine has no clock. */
  header?: false | { version?: string; date?: string };
}

export const DEFAULT_SAVE_VERSION = 'v1.8.7';
/** a visibly synthetic timestamp (the Unix epoch, in ctime's format) */
export const DEFAULT_SAVE_DATE = 'Thu Jan  1 00:00:00 1970';

export const KUBE_PROXY_CANARY = 'KUBE-PROXY-CANARY';

const BUILTINS: Record<SaveTable, string[]> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

interface Jump {
  table: 'filter' | 'nat';
  from: string;
  to: string;
  words: string;
  /** kubelet's rule, there before kube-proxy starts: kube-proxy's inserts land above it */
  preexisting?: boolean;
}

const CT_NEW = '-m conntrack --ctstate NEW ';
/**
 * iptablesJumpChains, ensured with `-C`, then `-I CHAIN 1` when missing; kubelet's KUBE-FIREWALL
 * jumps (which kube-proxy only re-ensures) come first because kubelet made them earlier.
 */
function jumpRules(withKubeletFirewall: boolean): Jump[] {
  const j = (table: 'filter' | 'nat', from: string, to: string, extra: string, comment: string): Jump => ({
    table,
    from,
    to,
    words: `${extra}${comment ? `-m comment --comment "${comment}" ` : ''}-j ${to}`,
  });
  const list = [
    j('filter', 'INPUT', KUBE_EXTERNAL_SERVICES, CT_NEW, 'kubernetes externally-visible service portals'),
    j('filter', 'FORWARD', KUBE_EXTERNAL_SERVICES, CT_NEW, 'kubernetes externally-visible service portals'),
    j('filter', 'INPUT', KUBE_NODEPORTS, '', 'kubernetes health check service ports'),
    j('filter', 'FORWARD', KUBE_SERVICES, CT_NEW, 'kubernetes service portals'),
    j('filter', 'OUTPUT', KUBE_SERVICES, CT_NEW, 'kubernetes service portals'),
    j('filter', 'FORWARD', KUBE_FORWARD, '', 'kubernetes forwarding rules'),
    j('filter', 'INPUT', KUBE_PROXY_FIREWALL, CT_NEW, 'kubernetes load balancer firewall'),
    j('filter', 'OUTPUT', KUBE_PROXY_FIREWALL, CT_NEW, 'kubernetes load balancer firewall'),
    j('filter', 'FORWARD', KUBE_PROXY_FIREWALL, CT_NEW, 'kubernetes load balancer firewall'),
    j('nat', 'OUTPUT', KUBE_SERVICES, '', 'kubernetes service portals'),
    j('nat', 'PREROUTING', KUBE_SERVICES, '', 'kubernetes service portals'),
    j('nat', 'POSTROUTING', KUBE_POSTROUTING, '', 'kubernetes postrouting rules'),
  ];
  if (withKubeletFirewall) {
    list.unshift({ ...j('filter', 'INPUT', KUBE_FIREWALL, '', ''), preexisting: true }, { ...j('filter', 'OUTPUT', KUBE_FIREWALL, '', ''), preexisting: true });
  }
  return list;
}

/** `iptables-save` text for the node, from Services and EndpointSlices. */
export function generateIptablesSave(services: Service[], slices: EndpointSlice[], config: Partial<ProxierConfig>, opts: SaveOptions = {}): string {
  return renderSave(syncIptables(services, slices, config), resolveProxierConfig(config).ipFamily, opts);
}

/**
 * The save text of an already computed *full* sync. After any successful sync the node holds
 * exactly what a full sync of the same inputs writes, so for a node in a sequence render a full
 * sync of its current inputs (a partial sync's restore leaves unchanged chains out).
 */
export function renderSave(sync: IptablesSync, ipFamily: 'IPv4' | 'IPv6', opts: SaveOptions = {}): string {
  if (sync.partial) throw new RangeError('renderSave needs a full sync: a partial restore leaves unchanged chains out');
  const tables = opts.tables ?? ['mangle', 'filter', 'nat'];
  const restore = new Map(sync.tables.map((t) => [t.name, t]));
  const hasKubeletFirewall = restore.get('filter')!.chains.includes(KUBE_FIREWALL);
  const jumps = jumpRules(hasKubeletFirewall);
  const prog = ipFamily === 'IPv6' ? 'ip6tables-save' : 'iptables-save';
  const header = opts.header === false ? null : { version: opts.header?.version ?? DEFAULT_SAVE_VERSION, date: opts.header?.date ?? DEFAULT_SAVE_DATE };

  const family = ipFamily === 'IPv6' ? 'ipv6' : 'ipv4';
  const out: string[] = [];
  for (const name of tables) {
    const builtins = BUILTINS[name];
    const userChains: string[] = [];
    const rulesByChain = new Map<string, string[]>();
    const addChain = (c: string) => {
      if (!rulesByChain.has(c)) {
        rulesByChain.set(c, []);
        if (!builtins.includes(c)) userChains.push(c);
      }
    };
    for (const b of builtins) rulesByChain.set(b, []);
    // creation order: kubelet's chains, the canary (kube-proxy's monitor starts first), the rest
    for (const jump of jumps) if (jump.table === name && jump.preexisting) addChain(jump.to);
    addChain(KUBE_PROXY_CANARY);
    for (const jump of jumps) {
      if (jump.table !== name) continue;
      addChain(jump.to);
      const rule = `-A ${jump.from} ${jump.words}`;
      // inserted at position 1 when missing: later jumps end up above earlier ones
      if (jump.preexisting) rulesByChain.get(jump.from)!.push(rule);
      else rulesByChain.get(jump.from)!.unshift(rule);
    }
    const t = name === 'filter' || name === 'nat' ? restore.get(name) : undefined;
    if (t) {
      for (const c of t.chains) addChain(c);
      // rules come in runs of one chain: look the chain up only when the run changes
      let runChain = '';
      let run: string[] | undefined;
      for (const r of t.rules) {
        if (!r.startsWith('-A ')) continue;
        const sp = r.indexOf(' ', 3);
        const end = sp < 0 ? r.length : sp;
        if (run === undefined || end - 3 !== runChain.length || !r.startsWith(runChain, 3)) {
          runChain = r.slice(3, end);
          run = rulesByChain.get(runChain)!;
        }
        run.push(r);
      }
    }
    const deleted = new Set(t?.deleted ?? []);
    const ordered = (opts.chainOrder === 'sorted' ? [...userChains].sort() : userChains).filter((c) => !deleted.has(c));
    const table: Table = { name, line: 0, chains: [], header: [], footer: [], committed: true };
    if (header) {
      table.header.push(`# Generated by ${prog} ${header.version} on ${header.date}`);
      table.footer.push(`# Completed on ${header.date}`);
    }
    const chainOrder = [...builtins, ...ordered];
    for (const c of builtins) table.chains.push(emptyChain(c, 'ACCEPT'));
    for (const c of ordered) table.chains.push(emptyChain(c, null));
    // the printer lays out header, declarations and COMMIT; the rules go in before COMMIT,
    // each read and printed on its own so a 10k-Service table never holds 434k parsed rules
    const frame = printTable(table, family);
    const tail = `COMMIT\n${table.footer.map((l) => `${l}\n`).join('')}`;
    if (!frame.endsWith(tail)) throw new Error('save rendering: unexpected table layout from the printer');
    out.push(frame.slice(0, frame.length - tail.length));
    const rules = new RuleText();
    for (const c of chainOrder) printChainRules(name, c, rulesByChain.get(c)!, family, rules);
    for (const piece of rules.pieces()) out.push(piece);
    out.push(tail);
  }
  return out.join('');
}

function emptyChain(name: string, policy: string | null): Chain {
  return { name, policy, counters: { packets: 0, bytes: 0 }, line: 0, rules: [] };
}

/**
 * One chain's rules read back with the netfilter layer's rule reader (tokenize +
 * parseRuleArgs, the same code parseDump uses per line) and printed with its printer.
 * parseDump itself is not called on the whole dump because its chain lookup and rule
 * re-indexing are quadratic, which a 10k-Service node cannot afford.
 */
function printChainRules(table: string, chain: string, rawRules: readonly string[], family: 'ipv4' | 'ipv6', out: RuleText): void {
  for (let i = 0; i < rawRules.length; i++) {
    const raw = rawRules[i];
    const { tokens, unterminatedQuote } = tokenize(raw);
    const args = parseRuleArgs(tokens);
    if (unterminatedQuote || args.chain !== chain || args.unknown.length > 0) {
      throw new Error(`save rendering: generated rule did not parse cleanly: ${raw}`);
    }
    const rule: Rule = {
      table, chain, index: i + 1, line: 0, raw, counters: null,
      matches: args.matches, target: args.target, unknown: args.unknown, source: 'save',
    };
    out.push(printRule(rule, family));
  }
}
