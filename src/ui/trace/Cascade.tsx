// The probability cascade drawn as a splitting path: a spine of the Service chain's statistic
// rules, each with the probability written on it and a branch to its endpoint labelled with that
// endpoint's overall share; the branch the traced packet took lights up once the cursor reaches
// the rule that decided. Plain SVG: the figure is a handful of lines and labels.
import { useMemo } from 'react';
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';
import type { FateView } from '../../worker/dump.ts';
import { useT } from '../useT.tsx';
import { cascadeModel, type BranchState, type CascadeEndpoint } from './cascadeModel.ts';

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

// one row per branch: the decision (rule and probability) on the spine, the branch below it
// leading to the endpoint and its share; sized to stay legible in the narrow shares column
const W = 300;
const SPINE_X = 12;
const BRANCH_END = 84;
const TOP = 30;
const ROW = 38;
const FONT = 12;

/** branches drawn at most; the rest are summarised */
const MAX_ROWS = 12;

/**
 * Which rows to draw when there are more than `max`: the first few, the ones around the branch
 * this packet took (or the last it passed), and the last few, in order.
 */
export function visibleRows(states: readonly BranchState[], max: number): number[] {
  const n = states.length;
  if (n <= max) return states.map((_, i) => i);
  const keep = new Set<number>();
  const edge = Math.floor((max - 3) / 2);
  for (let i = 0; i < edge; i++) keep.add(i);
  for (let i = n - edge; i < n; i++) keep.add(i);
  const taken = states.indexOf('taken');
  const at = taken >= 0 ? taken : states.lastIndexOf('passed');
  if (at >= 0) for (let i = Math.max(0, at - 1); i <= Math.min(n - 1, at + 1); i++) keep.add(i);
  return [...keep].sort((a, b) => a - b);
}

const ON = 'var(--accent)';
const OFF = 'var(--border)';

interface Row {
  key: string;
  /** text above the branch: the rule and its probability, or "otherwise"; empty for shares only */
  rule: string;
  p: string;
  endpoint: CascadeEndpoint;
  state: BranchState;
  title: string;
  item: string;
}

function Branch({ row, y }: { row: Row; y: number }) {
  const taken = row.state === 'taken';
  const lit = row.state !== 'pending';
  const by = y + 13;
  return (
    <g>
      <title>{row.title}</title>
      <path d={`M ${SPINE_X} ${y} Q ${SPINE_X} ${by} ${SPINE_X + 12} ${by} L ${BRANCH_END} ${by}`} fill="none" style={{ stroke: taken ? ON : OFF }} strokeWidth={taken ? 3 : 1.5} />
      <polygon points={`${BRANCH_END},${by - 4} ${BRANCH_END + 7},${by} ${BRANCH_END},${by + 4}`} style={{ fill: taken ? ON : 'var(--muted)' }} />
      <circle cx={SPINE_X} cy={y} r={4} style={{ fill: lit ? ON : 'var(--panel)', stroke: lit ? ON : 'var(--muted)' }} strokeWidth={1.5} />
      {(row.rule || row.p) && (
        <text x={SPINE_X + 10} y={y + 4} fontSize={FONT} style={{ fill: 'var(--muted)', fontFamily: 'var(--mono)' }}>
          {row.rule}
          {row.p && <tspan style={{ fill: 'var(--text)' }}>{row.rule ? ` · ${row.p}` : row.p}</tspan>}
        </text>
      )}
      <text x={BRANCH_END + 11} y={by + 4} fontSize={FONT} fontWeight={taken ? 700 : 400} style={{ fill: 'var(--text)', fontFamily: 'var(--mono)' }}>
        {row.endpoint.name}
      </text>
      <text x={W - 2} y={by + 4} fontSize={FONT} textAnchor="end" fontWeight={taken ? 700 : 400} style={{ fill: taken ? ON : 'var(--text)' }}>
        {pct(row.endpoint.share)}
      </text>
    </g>
  );
}

export function Cascade({ fates, events, cursor }: { fates: FateView[]; events: readonly TraceEvent[]; cursor: number }) {
  const t = useT();
  const model = useMemo(() => cascadeModel(fates, events, cursor), [fates, events, cursor]);
  if (!model) return null;

  const stateText = (s: BranchState) => (s === 'taken' ? ` ${t('cascade.taken')}` : s === 'passed' ? ` ${t('cascade.passed')}` : '');
  let rows: Row[];
  let heading: string;
  let note: string | null = null;
  if (model.kind === 'rules') {
    rows = model.steps.map((s) => {
      // iptables-save prints the kernel's 31-bit fixed-point value with 11 decimals (%.11f)
      const p = s.probability.toFixed(11);
      const params = { chain: s.chain, rule: s.rule, p, endpoint: s.endpoint.name, share: pct(s.endpoint.share) };
      return {
        key: `${s.chain}#${s.rule}`,
        rule: t('cascade.ruleShort', { rule: s.rule }),
        p: t('cascade.p', { p }),
        endpoint: s.endpoint,
        state: s.state,
        title: `${t('cascade.ruleTitle', params)}${stateText(s.state)}`,
        item: `${t('cascade.step', params)}${stateText(s.state)}`,
      };
    });
    const f = model.fallThrough;
    if (f) {
      const text = t('cascade.fallThrough', { endpoint: f.name, share: pct(f.share) }) + stateText(f.state);
      rows.push({ key: 'otherwise', rule: t('cascade.otherwise'), p: '', endpoint: f, state: f.state, title: text, item: text });
    }
    const chains = [...new Set(model.steps.map((s) => s.chain))];
    heading = chains.join(', ');
  } else {
    rows = model.endpoints.map((e, i) => {
      const text = t('cascade.shareItem', { endpoint: e.name, share: pct(e.share) }) + stateText(e.state);
      return { key: `${e.name}|${e.masquerade}|${i}`, rule: '', p: '', endpoint: e, state: e.state, title: text, item: text };
    });
    heading = model.scheduler ? t('cascade.sharesTitle', { scheduler: model.scheduler }) : '';
    if (model.scheduler) note = t('cascade.sharesNote');
  }

  const summary = rows.slice(0, MAX_ROWS).map((r) => `${r.endpoint.name} ${pct(r.endpoint.share)}`).join(', ') + (rows.length > MAX_ROWS ? ', …' : '');
  // a long cascade (hundreds of endpoints) shows its head, the branches around this packet's and
  // its tail: readable, and cheap to redraw at every step
  const all = rows;
  const shown = visibleRows(rows.map((r) => r.state), MAX_ROWS);
  rows = shown.map((i) => all[i]!);
  const hidden = all.length - rows.length;
  const label =
    model.kind === 'shares' && model.scheduler ? t('cascade.sharesLabel', { scheduler: model.scheduler, summary }) : t('cascade.label', { summary });
  const last = TOP + (rows.length - 1) * ROW;
  // the spine is lit down to the rule that decided; an IPVS choice has no order to light
  const passedTo = model.kind === 'rules' ? rows.reduce((k, r, i) => (r.state !== 'pending' ? i : k), -1) : -1;
  return (
    <figure className="cascade" aria-label={label} style={{ margin: 0 }}>
      <figcaption>
        <strong>{t('cascade.title')}</strong>
        {note && <span className="muted small"> {note}</span>}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${last + 24}`} width="100%" style={{ maxWidth: W, display: 'block' }} aria-hidden="true">
        <text x={SPINE_X - 6} y={12} fontSize={FONT} style={{ fill: 'var(--chain)', fontFamily: 'var(--mono)' }}>
          {heading}
        </text>
        <line x1={SPINE_X} y1={18} x2={SPINE_X} y2={last} style={{ stroke: OFF }} strokeWidth={1.5} />
        {passedTo > 0 && <line x1={SPINE_X} y1={18} x2={SPINE_X} y2={TOP + passedTo * ROW} style={{ stroke: ON }} strokeWidth={3} />}
        {rows.map((r, i) => (
          <Branch key={r.key} row={r} y={TOP + i * ROW} />
        ))}
        {shown.map((idx, i) =>
          i > 0 && idx > shown[i - 1]! + 1 ? (
            <text key={`gap${idx}`} x={SPINE_X + 10} y={TOP + i * ROW - 14} fontSize={FONT} style={{ fill: 'var(--muted)' }}>
              {t('cascade.more', { count: idx - shown[i - 1]! - 1 })}
            </text>
          ) : null,
        )}
      </svg>
      <ol className="visually-hidden">
        {rows.map((r) => (
          <li key={r.key}>{r.item}</li>
        ))}
        {hidden > 0 && <li>{t('cascade.more', { count: hidden })}</li>}
      </ol>
    </figure>
  );
}
