// The connection counters of one virtual server's real servers under lc/wlc/sed/nq: a number
// input per counter (a share-link field; the packet is traced with them), the next picks those
// counters give, and the counters after them. A count being typed stays in the input until it
// is a whole number in range; only then does it reach the store.
import { useEffect, useState } from 'react';
import type { VirtualServer } from '../../engine/ipvs/types.ts';
import { virtualServerKey } from '../../engine/ipvs/types.ts';
import { MAX_CONNS, readCount } from '../../engine/ipvs/connections.ts';
import { setConnCount, type IpvsConns } from '../../engine/ipvs/conn-counts.ts';
import { useWorkspaceStore } from '../StoreContext.tsx';
import { useT } from '../useT.tsx';
import { SEQUENCE_LENGTH, type ConnRow, type SchedulerExplanation } from './schedulerModel.ts';

type Explained = Extract<SchedulerExplanation, { kind: 'connections' }>;

function CountInput({ row, which, label, onCommit }: { row: ConnRow; which: 'active' | 'inactive'; label: string; onCommit: (v: number) => void }) {
  const t = useT();
  const value = which === 'active' ? row.active : row.inactive;
  const [draft, setDraft] = useState(String(value));
  useEffect(() => {
    setDraft((d) => {
      const r = readCount(d);
      return r.ok && r.value === value ? d : String(value);
    });
  }, [value]);
  const r = readCount(draft);
  const id = `conn-${which}-${row.key.replace(/[^A-Za-z0-9]/g, '_')}`;
  return (
    <>
      <input
        type="number"
        min={0}
        max={MAX_CONNS}
        step={1}
        inputMode="numeric"
        value={draft}
        aria-label={label}
        aria-invalid={r.ok ? undefined : true}
        aria-describedby={r.ok ? undefined : `${id}-problem`}
        onChange={(e) => {
          setDraft(e.target.value);
          const c = readCount(e.target.value);
          if (c.ok && c.value !== value) onCommit(c.value);
        }}
      />
      {!r.ok && (
        <span id={`${id}-problem`} className="error small" role="alert">
          {t(`schedConn.bad.${r.reason}`, { max: MAX_CONNS })}
        </span>
      )}
    </>
  );
}

export function ConnTable({ vs, explained, conns }: { vs: VirtualServer; explained: Explained; conns: IpvsConns | undefined }) {
  const t = useT();
  const store = useWorkspaceStore();
  const vsName = virtualServerKey(vs);
  const set = (row: ConnRow, which: 'active' | 'inactive', v: number) =>
    store.setState({ ipvsConns: setConnCount(store.getState().ipvsConns, row.key, which, v, [row.active, row.inactive]) });
  const own = Object.keys(conns ?? {}).some((k) => explained.rows.some((r) => r.key === k));
  const next = explained.picks[0] ?? null;

  return (
    <>
      <p className="small">{t(`schedConn.rule.${explained.scheduler}`)}</p>
      <table className="maglev-backends conn-table" aria-label={t('schedConn.table', { vs: vsName })}>
        <thead>
          <tr>
            <th scope="col">{t('schedConn.col.rs')}</th>
            <th scope="col">{t('schedConn.col.weight')}</th>
            <th scope="col">{t('schedConn.col.active')}</th>
            <th scope="col">{t('schedConn.col.inactive')}</th>
            <th scope="col">{t('schedConn.col.picks', { n: SEQUENCE_LENGTH })}</th>
            <th scope="col">{t('schedConn.col.after', { n: SEQUENCE_LENGTH })}</th>
          </tr>
        </thead>
        <tbody>
          {explained.rows.map((row) => (
            <tr key={row.key} data-rs={row.name} className={row.quiesced ? 'quiesced' : undefined}>
              <th scope="row">{row.name}</th>
              <td>{row.weight}</td>
              <td>
                <CountInput row={row} which="active" label={t('schedConn.activeInput', { rs: row.name })} onCommit={(v) => set(row, 'active', v)} />
              </td>
              <td>
                <CountInput row={row} which="inactive" label={t('schedConn.inactiveInput', { rs: row.name })} onCommit={(v) => set(row, 'inactive', v)} />
              </td>
              <td data-picks={row.picks}>{row.quiesced ? t('schedConn.quiesced') : row.picks}</td>
              <td data-after={row.activeAfter}>{t('schedConn.afterCell', { active: row.activeAfter, inactive: row.inactive })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted">{t('schedConn.kernelOrder')}</p>
      <p className="small" id="sched-seq-label">{t('sched.sequence', { n: SEQUENCE_LENGTH, scheduler: explained.scheduler, vs: vsName })}</p>
      <ol className="sched-sequence" aria-labelledby="sched-seq-label">
        {explained.picks.map((p, i) => (
          <li key={i}>{p ?? '—'}</li>
        ))}
      </ol>
      <p className="small sched-next" aria-live="polite">
        {next ? t('schedConn.next', { rs: next, scheduler: explained.scheduler }) : t('schedConn.none')}
      </p>
      {own && (
        <button
          type="button"
          className="seg conn-reset"
          onClick={() => {
            const keep: IpvsConns = { ...(store.getState().ipvsConns ?? {}) };
            for (const r of explained.rows) delete keep[r.key];
            store.setState({ ipvsConns: keep });
          }}
        >
          {t('schedConn.reset')}
        </button>
      )}
    </>
  );
}
