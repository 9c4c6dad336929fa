// The chain graph (issue 3): who jumps where, as laid out by dagre in the worker. A click on a
// chain shows its first rule in the dump; the traced packet's chains and jumps are lit.
import type { KeyboardEvent } from 'react';
import type { ChainGraph as Graph } from '../../worker/chainGraph.ts';
import type { PacketRun } from '../../worker/dump.ts';
import { useT } from '../useT.tsx';

export interface ChainGraphProps {
  graph: Graph;
  run: PacketRun | null;
  cursor: number;
  /** source lines the packet matched up to the cursor */
  litLines: Set<number>;
  onPick(line: number): void;
}

/** the chains the packet has entered up to the cursor, and the one it is in now */
export function visitedChains(run: PacketRun | null, cursor: number): { visited: Set<string>; current: string | null } {
  const visited = new Set<string>();
  if (!run) return { visited, current: null };
  const at = Math.min(cursor, run.events.length - 1);
  let current: string | null = null;
  for (let i = 0; i <= at; i++) {
    const e = run.events[i]!;
    if (e.table && e.chain) {
      current = `${e.table}/${e.chain}`;
      visited.add(current);
    }
  }
  return { visited, current };
}

export function ChainGraph({ graph, run, cursor, litLines, onPick }: ChainGraphProps) {
  const t = useT();
  if (graph.kind === 'tooLarge') {
    return (
      <section className="chain-graph" aria-label={t('graph.label')}>
        <h3>{t('graph.label')}</h3>
        <p className="muted small">{t('graph.tooLarge', { chains: graph.chains, limit: graph.limit })}</p>
      </section>
    );
  }
  if (graph.nodes.length === 0) return null;
  const { visited, current } = visitedChains(run, cursor);
  const key = (line: number) => (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    onPick(line);
  };
  return (
    <section className="chain-graph" aria-label={t('graph.label')}>
      <h3>{t('graph.label')}</h3>
      <div className="graph-scroll" tabIndex={0}>
        <svg width={graph.width} height={graph.height} viewBox={`0 0 ${graph.width} ${graph.height}`}>
          <defs>
            <marker id="graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="arrow" />
            </marker>
          </defs>
          {graph.edges.map((e) => {
            const lit = e.lines.some((l) => litLines.has(l));
            const d = e.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
            return <path key={`${e.from}>${e.to}`} d={d} className={`edge${lit ? ' lit' : ''}${e.goto ? ' goto' : ''}`} markerEnd="url(#graph-arrow)" data-from={e.from} data-to={e.to} />;
          })}
          {graph.nodes.map((n) => {
            const cls = `node${n.builtin ? ' builtin' : ''}${visited.has(n.id) ? ' lit' : ''}${current === n.id ? ' current' : ''}`;
            const name = t('graph.node', { chain: n.chain, table: n.table, line: n.line });
            return (
              <g
                key={n.id}
                className={cls}
                transform={`translate(${n.x - n.width / 2},${n.y - n.height / 2})`}
                role="button"
                tabIndex={0}
                aria-label={name}
                aria-current={current === n.id ? 'step' : undefined}
                data-chain={n.id}
                onClick={() => n.line && onPick(n.line)}
                onKeyDown={key(n.line)}
              >
                <rect width={n.width} height={n.height} rx={5} />
                <text x={n.width / 2} y={n.height / 2 + 4} textAnchor="middle">
                  {graph.nodes.some((m) => m.table !== n.table) ? n.id : n.chain}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}
