// The player, the live region, the `Packet trace` table and the shares, for one packet run.
import type { ReactNode } from 'react';
import type { PacketRun } from '../../worker/dump.ts';
import { useContractLabel, useT } from '../useT.tsx';
import { Player } from './Player.tsx';
import { Cascade } from './Cascade.tsx';
import { Distribution, FateBars } from './Shares.tsx';
import { TraceTable, useEventText } from './TraceTable.tsx';
import { HookDiagram } from './HookDiagram.tsx';
import { PacketHeaders } from './PacketHeaders.tsx';
import { SecondConnection } from './SecondConnection.tsx';
import type { MessageKey } from '../../i18n/index.ts';

// the seed's paragraph on IPVS, shown at the IPVS step (keys mirror IPVS_NOTES in src/engine/ipvs/path.ts)
const IPVS_NOTE_KEYS: MessageKey[] = ['ipvs.note.local-in', 'ipvs.note.kube-ipvs0', 'ipvs.note.ping', 'ipvs.note.masquerade', 'ipvs.note.ipset'];

function IpvsNotes() {
  const t = useT();
  return (
    <aside className="ipvs-notes" aria-label={t('ipvs.notesLabel')}>
      <h3>{t('ipvs.notesLabel')}</h3>
      {IPVS_NOTE_KEYS.map((k) => (
        <p key={k} className="small">
          {t(k)}
        </p>
      ))}
    </aside>
  );
}

export function clampCursor(cursor: number, run: PacketRun | null): number {
  return run ? Math.min(cursor, Math.max(0, run.events.length - 1)) : 0;
}

/** `shown`: connections of the burst landed so far (useBurst); all of them when not given */
/** `children`: panels tied to the current step (e.g. eligible endpoints), shown beside the table */
/** `hooks={false}`: the hooks-and-tables diagram is drawn elsewhere (beside the map) */
export function TracePanel({ run, cursor, setCursor, reasons = [], shown, children, hooks = true }: { run: PacketRun; cursor: number; setCursor(c: number): void; reasons?: string[]; shown?: number; children?: ReactNode; hooks?: boolean }) {
  const t = useT();
  const label = useContractLabel();
  const eventText = useEventText();
  const events = run.events;
  const at = clampCursor(cursor, run);
  const current = events[at];
  return (
    <section className="trace-pane" aria-label={label.text('explain.trace')}>
      <div className="trace-head">
        <Player total={events.length} cursor={at} setCursor={setCursor} />
        <strong className="outcome">
          {run.outcome.dnat ? t('explain.outcomeDnat', { verdict: run.outcome.verdict, dnat: run.outcome.dnat }) : t('explain.outcome', { verdict: run.outcome.verdict })}
        </strong>
      </div>
      <p className="live" aria-live="polite">
        {current ? t('trace.step', { step: at + 1, total: events.length, text: eventText(current) }) : ''}
      </p>
      {hooks && <HookDiagram events={events} cursor={at} ipvs={events.some((e) => e.kind === 'ipvs')} />}
      <div className="trace-body">
        <TraceTable events={events} cursor={at} onPick={setCursor} />
        <div className="shares" tabIndex={0}>
          {current?.kind === 'ipvs' && <IpvsNotes />}
          {current && <PacketHeaders event={current} />}
          {children}
          <SecondConnection run={run} />
          <FateBars fates={run.fates} />
          <Cascade fates={run.fates} events={events} cursor={at} />
          {reasons.map((r, i) => (
            <p key={i} className="why small">
              {r}
            </p>
          ))}
          <Distribution run={run} {...(shown !== undefined ? { shown } : {})} />
        </div>
      </div>
    </section>
  );
}

/** Source lines the packet has matched up to the cursor, and the line of the current step. */
export function litLinesOf(run: PacketRun | null, cursor: number): { lit: Set<number>; current: number | null } {
  const lit = new Set<number>();
  if (!run) return { lit, current: null };
  const at = clampCursor(cursor, run);
  for (let i = 0; i <= at; i++) {
    const e = run.events[i]!;
    if (e.matched && e.line) lit.add(e.line);
  }
  return { lit, current: run.events[at]?.line ?? null };
}
