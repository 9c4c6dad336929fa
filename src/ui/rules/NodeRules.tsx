// The region `Node rules`: the node's rule text, coloured by line kind. Above 500 lines only the
// visible window is in the DOM, so a 10,000-Service ruleset renders at once and stepping through
// a trace restyles a few dozen lines, not thousands.
import { memo, useEffect, useMemo, useRef, useState, type ReactNode, type UIEvent } from 'react';
import { changedLines, classify, splitRuleText, type RuleLine } from './ruleLines.ts';

export const LINE_HEIGHT = 20;
const VIRTUAL_ABOVE = 500;
const OVERSCAN = 30;

export interface NodeRulesProps {
  label: string;
  heading: string;
  text: string;
  emptyText: string;
  linesText: string;
  /** lines a traced packet matched, and the line of the current step */
  lit?: Set<number>;
  current?: number | null;
  /** view switcher (IPVS mode's tabs); the text below then becomes the selected tab's panel */
  tabs?: ReactNode;
  tabpanel?: { id: string; labelledBy: string };
  /**
   * Names what the text is the rules of (node, mode, view). When a new text arrives under the same
   * key (a pod's readiness cycled, the YAML edited) the lines it changed are highlighted.
   */
  changeKey?: string;
  /** "{added} lines changed, {removed} removed" for the head, in the page's language */
  changedText?: (added: number, removed: number) => string;
}

const Line = memo(function Line({ text, n, lit, current, changed = false }: { text: string; n: number; lit: boolean; current: boolean; changed?: boolean }) {
  const line: RuleLine = classify(text, n);
  const mark = `${lit ? ' lit' : ''}${current ? ' current' : ''}${changed ? ' changed' : ''}`;
  if (line.kind !== 'rule') {
    return (
      <div className={`rl rl-${line.kind}${mark}`} data-line={line.n}>
        <span className="ln" aria-hidden="true">{line.n}</span>
        {line.text}
      </div>
    );
  }
  // highlight the chain the rule sits in and the chain it jumps to
  const t = line.text;
  const chainEnd = 3 + (line.chain?.length ?? 0);
  const ti = line.target ? t.lastIndexOf(line.target) : -1;
  return (
    <div className={`rl rl-rule${mark}`} data-line={line.n} data-chain={line.chain} aria-current={current ? 'step' : undefined}>
      <span className="ln" aria-hidden="true">{line.n}</span>
      {t.slice(0, 3)}
      <span className="chain">{t.slice(3, chainEnd)}</span>
      {ti > chainEnd ? (
        <>
          {t.slice(chainEnd, ti)}
          <span className={line.target!.startsWith('KUBE-') ? 'target chain' : 'target'}>{line.target}</span>
          {t.slice(ti + line.target!.length)}
        </>
      ) : (
        t.slice(chainEnd)
      )}
    </div>
  );
});

const NO_LINES = new Set<number>();
const NO_CHANGES = { added: NO_LINES, removed: 0 };

/**
 * Lines changed since the previous text under the same key. A new key (another node, mode or
 * scenario) starts fresh; a change touching most lines is a different ruleset, not an edit.
 */
function useChanges(raw: string[], key: string | undefined): { added: Set<number>; removed: number } {
  // the last text seen and what changed to reach it; re-rendering the same text keeps the answer
  const last = useRef<{ key: string | undefined; raw: string[]; result: { added: Set<number>; removed: number } } | null>(null);
  const before = last.current;
  if (before && before.raw === raw && before.key === key) return before.result;
  let result = NO_CHANGES;
  if (key && before && before.key === key && before.raw.length > 0) {
    const d = changedLines(before.raw, raw);
    if ((d.added.size > 0 || d.removed > 0) && d.added.size <= Math.max(20, raw.length / 2)) result = d;
  }
  last.current = { key, raw, result };
  return result;
}

export function NodeRules({ label, heading, text, emptyText, linesText, lit = NO_LINES, current = null, tabs, tabpanel, changeKey, changedText }: NodeRulesProps) {
  const raw = useMemo(() => splitRuleText(text), [text]);
  const changes = useChanges(raw, changeKey);
  const virtual = raw.length > VIRTUAL_ABOVE;
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const scroller = useRef<HTMLDivElement>(null);

  // bring the first changed line into view when nothing is being traced
  const firstChanged = changes.added.size ? Math.min(...changes.added) : null;
  useEffect(() => {
    const el = scroller.current;
    if (!el || firstChanged === null || current !== null) return;
    const top = (firstChanged - 1) * LINE_HEIGHT;
    if (top < el.scrollTop || top + LINE_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, top - el.clientHeight / 3);
  }, [firstChanged, current]);

  // keep the current step's rule in view, in both the plain and the windowed list
  useEffect(() => {
    const el = scroller.current;
    if (!el || current === null) return;
    const top = (current - 1) * LINE_HEIGHT;
    if (top < el.scrollTop || top + LINE_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, top - el.clientHeight / 3);
  }, [current]);

  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    if (!virtual) return;
    setScrollTop(e.currentTarget.scrollTop);
    setViewport(e.currentTarget.clientHeight || 600);
  };

  let body;
  if (raw.length === 0) {
    body = <p className="empty">{emptyText}</p>;
  } else if (!virtual) {
    body = raw.map((l, i) => <Line key={i} text={l} n={i + 1} lit={lit.has(i + 1)} current={current === i + 1} changed={changes.added.has(i + 1)} />);
  } else {
    const first = Math.max(0, Math.floor(scrollTop / LINE_HEIGHT) - OVERSCAN);
    const last = Math.min(raw.length, Math.ceil((scrollTop + viewport) / LINE_HEIGHT) + OVERSCAN);
    const rows = [];
    for (let i = first; i < last; i++) rows.push(<Line key={i} text={raw[i]!} n={i + 1} lit={lit.has(i + 1)} current={current === i + 1} changed={changes.added.has(i + 1)} />);
    body = (
      <div style={{ height: raw.length * LINE_HEIGHT, position: 'relative' }}>
        <div style={{ position: 'absolute', top: first * LINE_HEIGHT, left: 0, right: 0 }}>{rows}</div>
      </div>
    );
  }

  return (
    <section className="node-rules" role="region" aria-label={label}>
      <div className="panel-head">
        <h2>{heading}</h2>
        {changedText && (changes.added.size > 0 || changes.removed > 0) && (
          <span className="rules-changed" role="status">
            {changedText(changes.added.size, changes.removed)}
          </span>
        )}
        {raw.length > 0 && <span className="muted">{linesText}</span>}
      </div>
      {tabs}
      <div
        className="rules-scroll"
        ref={scroller}
        tabIndex={0}
        onScroll={onScroll}
        data-virtual={virtual || undefined}
        {...(tabpanel ? { id: tabpanel.id, role: 'tabpanel', 'aria-labelledby': tabpanel.labelledBy } : {})}
      >
        <div className="rules-text">{body}</div>
      </div>
    </section>
  );
}
