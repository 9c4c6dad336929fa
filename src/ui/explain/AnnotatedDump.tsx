// The pasted text, line by line, with what the parser made of each line; the packet's path lit.
import { memo, useEffect, useMemo, useRef } from 'react';
import type { DumpAnalysis } from '../../worker/dump.ts';
import { useLang, useT } from '../useT.tsx';
import type { ExplanationView } from './explanation.ts';

const MAX_LINES = 5000;

interface Note {
  kind: 'rule' | 'unknown';
  text: string;
}

const Row = memo(function Row({ n, text, note, lit, current, picked }: { n: number; text: string; note: Note | undefined; lit: boolean; current: boolean; picked: boolean }) {
  return (
    <div className={`dl${note ? ` dl-${note.kind}` : ''}${lit ? ' lit' : ''}${current ? ' current' : ''}${picked ? ' picked' : ''}`} data-line={n} aria-current={current ? 'step' : undefined}>
      <span className="ln" aria-hidden="true">{n}</span>
      <span className="dl-text">{text || ' '}</span>
      {note && <span className="dl-note">{note.text}</span>}
    </div>
  );
});

export function AnnotatedDump({ text, analysis, explanation, litLines, currentLine, pickedLine = null }: { text: string; analysis: DumpAnalysis; explanation: ExplanationView | null; litLines: Set<number>; currentLine: number | null; pickedLine?: number | null }) {
  const t = useT();
  const lang = useLang();
  const lines = useMemo(() => text.split('\n'), [text]);
  const notes = useMemo(() => {
    const m = new Map<number, Note>();
    for (const r of analysis.rules) {
      // the explainer's plain-language note when it has one, else where the parser put the rule
      const ex = explanation?.notes.get(r.line)?.notes[0];
      const where = t('explain.ruleNote', { table: r.table, chain: r.chain, index: r.index });
      m.set(r.line, { kind: 'rule', text: ex ? `${where}: ${lang === 'zh-CN' ? ex.zh : ex.en}` : where });
    }
    for (const u of analysis.unknownLines) m.set(u.line, { kind: 'unknown', text: t('explain.unknownLine', { reason: u.reason }) });
    return m;
  }, [analysis, explanation, lang, t]);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (currentLine === null) return;
    box.current?.querySelector(`[data-line="${currentLine}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [currentLine]);
  useEffect(() => {
    if (pickedLine !== null) box.current?.querySelector(`[data-line="${pickedLine}"]`)?.scrollIntoView({ block: 'center' });
  }, [pickedLine]);
  return (
    <section className="annotated" aria-label={t('explain.annotated')}>
      <div className="panel-head">
        <h2>{t('explain.annotated')}</h2>
        <span className="muted">
          {t('explain.format', { format: analysis.format })} · {t('explain.rulesRead', { count: analysis.rules.length })}
        </span>
      </div>
      {analysis.partial && <p className="muted small pad">{t('explain.partial')}</p>}
      <div className="annotated-scroll" ref={box} tabIndex={0}>
        {lines.slice(0, MAX_LINES).map((l, i) => (
          <Row key={i} n={i + 1} text={l} note={notes.get(i + 1)} lit={litLines.has(i + 1)} current={currentLine === i + 1} picked={pickedLine === i + 1} />
        ))}
      </div>
    </section>
  );
}
