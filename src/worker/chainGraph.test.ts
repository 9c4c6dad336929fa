import { describe, expect, it } from 'vitest';
import { chainGraph } from './chainGraph.ts';
import { parseDump } from '../engine/netfilter/parse.ts';
import { SEED_DUMP } from '../engine/scenario/dumps.ts';

describe('chainGraph', () => {
  const rs = parseDump(SEED_DUMP.text).ruleset;
  const g = chainGraph(rs);

  it('has an edge per jump between chains of the seed dump, with the rules’ lines', () => {
    if (g.kind !== 'graph') throw new Error('expected a graph');
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === `nat/${from}` && e.to === `nat/${to}`);
    const lines = SEED_DUMP.text.split('\n');
    const svc = edge('KUBE-SERVICES', 'KUBE-SVC-WWRFY3PZ7W3FGMQW')!;
    expect(svc).toBeDefined();
    for (const l of svc.lines) expect(lines[l - 1]).toMatch(/^-A KUBE-SERVICES .*-j KUBE-SVC-WWRFY3PZ7W3FGMQW/);
    for (const sep of ['KUBE-SEP-TPL3DXVO5A7FMTEY', 'KUBE-SEP-WC7WUVTVEWVSPTYM', 'KUBE-SEP-5WXBOBXHEYR4QL4Y']) expect(edge('KUBE-SVC-WWRFY3PZ7W3FGMQW', sep)).toBeDefined();
    // DNAT is an action, not a chain: no node for it
    expect(g.nodes.some((n) => n.chain === 'DNAT')).toBe(false);
    // every edge joins two drawn nodes
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
  });

  it('lays out left to right: a jump’s target sits right of its source, and no boxes overlap', () => {
    if (g.kind !== 'graph') throw new Error('expected a graph');
    const at = new Map(g.nodes.map((n) => [n.id, n]));
    for (const e of g.edges) if (e.from !== e.to) expect(at.get(e.to)!.x).toBeGreaterThan(at.get(e.from)!.x);
    for (const a of g.nodes)
      for (const b of g.nodes) {
        if (a === b) continue;
        const apart = Math.abs(a.x - b.x) * 2 >= a.width + b.width || Math.abs(a.y - b.y) * 2 >= a.height + b.height;
        expect(apart, `${a.id} / ${b.id}`).toBe(true);
      }
    for (const e of g.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses to draw more chains than it can show', () => {
    const big = ['*nat', ':PREROUTING ACCEPT [0:0]'];
    for (let i = 0; i < 30; i++) big.push(`:C${i} - [0:0]`, `-A PREROUTING -j C${i}`);
    big.push('COMMIT');
    expect(chainGraph(parseDump(big.join('\n')).ruleset, 20)).toEqual({ kind: 'tooLarge', chains: 31, limit: 20 });
  });
});
