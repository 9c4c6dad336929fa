import { useEffect, useRef } from 'react';
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';
import { useContractLabel, useLang, useT } from '../useT.tsx';
import { eventText } from './eventText.ts';

export function useEventText() {
  const lang = useLang();
  return (e: TraceEvent) => eventText(lang, e);
}

export function TraceTable({ events, cursor, onPick }: { events: readonly TraceEvent[]; cursor: number; onPick(i: number): void }) {
  const t = useT();
  const label = useContractLabel();
  const text = useEventText();
  const current = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    current.current?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);
  return (
    <div className="trace-scroll" tabIndex={0}>
      <table className="trace" aria-label={label.text('explain.trace')}>
        <colgroup>
          <col className="c-step" />
          <col className="c-where" />
          <col className="c-chain" />
          <col className="c-line" />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t('trace.colStep')}</th>
            <th scope="col">{t('trace.colHook')} · {t('trace.colTable')}</th>
            <th scope="col">{t('trace.colChain')}</th>
            <th scope="col">{t('trace.colLine')}</th>
            <th scope="col">{t('trace.colResult')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e, i) => (
            <tr
              key={e.seq}
              ref={i === cursor ? current : undefined}
              aria-current={i === cursor ? 'step' : undefined}
              className={`ev ev-${e.kind}${e.matched ? ' ev-matched' : ''}${e.leg === 'reply' ? ' ev-reply' : ''}${i === cursor ? ' current' : ''}`}
              onClick={() => onPick(i)}
            >
              <td>{i + 1}</td>
              <td className="where">
                {/* IPVS sits at LOCAL_IN (the INPUT hook) outside any iptables table */}
                {e.hook ?? (e.kind === 'ipvs' ? 'INPUT' : '')}
                {e.table ? ` · ${e.table}` : e.kind === 'ipvs' ? ' · IPVS' : ''}
              </td>
              <td className="mono chain-cell">
                {e.chain ?? ''}
                {e.rule !== null && <span className="muted"> #{e.rule}</span>}
              </td>
              <td className="line">{e.line ?? ''}</td>
              <td>
                <span className="reason">{text(e)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
