// The chain graph of `Explain a dump` (issue 3): who jumps where, laid out by dagre in the worker
// so the page only draws boxes and lines. Chains are per table: nat's KUBE-SERVICES and filter's
// KUBE-SERVICES are different chains.
import dagre from '@dagrejs/dagre';
import type { Ruleset } from '../engine/netfilter/model.ts';

export interface GraphNode {
  /** `table/chain` */
  id: string;
  table: string;
  chain: string;
  /** the chain's declaration line, else its first rule's line; 0 when neither is in the text */
  line: number;
  builtin: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** the lines of the rules that jump (or go) from `from` to `to` */
  lines: number[];
  goto: boolean;
  points: { x: number; y: number }[];
}

export type ChainGraph =
  | { kind: 'graph'; nodes: GraphNode[]; edges: GraphEdge[]; width: number; height: number }
  | { kind: 'tooLarge'; chains: number; limit: number };

/** Above this many chains a drawn graph is unreadable and dagre's layout gets slow. */
export const GRAPH_CHAIN_LIMIT = 250;

const CHAR_W = 7.2;
const NODE_H = 26;

export function chainGraph(rs: Ruleset, limit = GRAPH_CHAIN_LIMIT): ChainGraph {
  const edges = new Map<string, { from: string; to: string; lines: number[]; goto: boolean }>();
  const chains = new Map<string, { table: string; chain: string; line: number; builtin: boolean }>();
  for (const t of rs.tables) {
    const names = new Set(t.chains.map((c) => c.name));
    for (const c of t.chains) {
      for (const r of c.rules) {
        const to = r.target?.name;
        // only jumps to chains of this table are edges; ACCEPT, DNAT, MARK... are verdicts/actions
        if (!to || !names.has(to)) continue;
        const key = `${t.name}/${c.name}\u0000${t.name}/${to}`;
        const e = edges.get(key) ?? { from: `${t.name}/${c.name}`, to: `${t.name}/${to}`, lines: [], goto: false };
        e.lines.push(r.line);
        e.goto ||= r.target!.goto;
        edges.set(key, e);
      }
    }
    for (const c of t.chains) {
      const id = `${t.name}/${c.name}`;
      chains.set(id, { table: t.name, chain: c.name, line: c.line || c.rules[0]?.line || 0, builtin: c.policy !== null });
    }
  }
  // a chain nothing jumps to and that jumps nowhere says nothing about the flow, unless it is built-in with rules
  const used = new Set<string>();
  for (const e of edges.values()) used.add(e.from).add(e.to);
  const ids = [...chains.keys()].filter((id) => used.has(id));
  if (ids.length > limit) return { kind: 'tooLarge', chains: ids.length, limit };

  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 10, ranksep: 40, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const multiTable = new Set(ids.map((id) => chains.get(id)!.table)).size > 1;
  const labelOf = (id: string) => (multiTable ? id : chains.get(id)!.chain);
  for (const id of ids) g.setNode(id, { width: Math.ceil(labelOf(id).length * CHAR_W + 18), height: NODE_H });
  for (const e of edges.values()) g.setEdge(e.from, e.to);
  dagre.layout(g);

  const nodes: GraphNode[] = ids.map((id) => {
    const n = g.node(id);
    const c = chains.get(id)!;
    return { id, table: c.table, chain: c.chain, line: c.line, builtin: c.builtin, x: n.x, y: n.y, width: n.width, height: n.height };
  });
  const out: GraphEdge[] = [...edges.values()].map((e) => ({ ...e, points: ((g.edge(e.from, e.to)?.points ?? []) as { x: number; y: number }[]).map((p) => ({ x: p.x, y: p.y })) }));
  const gl = g.graph();
  return { kind: 'graph', nodes, edges: out, width: gl.width ?? 0, height: gl.height ?? 0 };
}
