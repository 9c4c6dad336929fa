// The region `Maglev lookup table`: the kernel's mh table for one virtual server of the node,
// its fill turn by turn, each backend's share, and what editing the backend list moves.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { IpvsDataplane } from '../../engine/ipvs/types.ts';
import { virtualServerKey } from '../../engine/ipvs/types.ts';
import { useT, useLang } from '../useT.tsx';
import { backendName, backendsOf, maglevChange, maglevView, ownersAtStep, parseBackend, type Backend } from './maglevModel.ts';
import { focusVirtualServer } from './schedulerModel.ts';
import './maglev.css';

/** Backend colours: distinct in hue and lightness so neighbouring cells stay apart. */
export const MAGLEV_COLOURS = ['#326ce5', '#e8710a', '#188038', '#c5221f', '#9334e6', '#12b5cb', '#b06000', '#5f6368'];
const EMPTY = '#d3d9e3';
const COLS = 64;
const CELL = 4;

function pct(n: number, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(n);
}

function TableCanvas({ owners, label }: { owners: Int32Array; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const rows = Math.ceil(owners.length / COLS);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    for (let i = 0; i < owners.length; i++) {
      const o = owners[i]!;
      ctx.fillStyle = o < 0 ? EMPTY : MAGLEV_COLOURS[o % MAGLEV_COLOURS.length]!;
      ctx.fillRect((i % COLS) * CELL, Math.floor(i / COLS) * CELL, CELL, CELL);
    }
  }, [owners]);
  return <canvas ref={ref} className="maglev-canvas" width={COLS * CELL} height={rows * CELL} role="img" aria-label={label} />;
}

/** A select of 10,000 Services would cost the page a long task per result: the chosen one plus the first few hundred. */
const MAX_OPTIONS = 300;
function optionsFor<T>(all: readonly T[], chosen: T): T[] {
  const head = all.slice(0, MAX_OPTIONS);
  return head.includes(chosen) ? head : [chosen, ...head];
}

export function MaglevPanel({ ipvs, dst }: { ipvs: IpvsDataplane; dst: string }) {
  const t = useT();
  const lang = useLang();
  const candidates = useMemo(() => ipvs.virtualServers.filter((v) => v.realServers.length > 0), [ipvs]);
  const [vsKey, setVsKey] = useState('');
  const vs = candidates.find((v) => virtualServerKey(v) === vsKey) ?? focusVirtualServer(candidates, dst);
  const original = useMemo(() => (vs ? backendsOf(vs) : []), [vs]);
  const [edited, setEdited] = useState<Backend[] | null>(null);
  const backends = edited ?? original;
  // a new virtual server (or a new dataplane) starts from its own real servers
  useEffect(() => setEdited(null), [original]);

  const view = useMemo(() => maglevView(backends), [backends]);
  const change = useMemo(() => (edited ? maglevChange(original, edited) : null), [original, edited]);
  const total = view.table.steps?.length ?? 0;
  const [step, setStep] = useState<number | null>(null);
  useEffect(() => setStep(null), [view]);
  const shown = step === null ? total : Math.min(step, total);
  const owners = useMemo(() => ownersAtStep(view.table, shown), [view, shown]);

  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState('');
  const add = (e: FormEvent) => {
    e.preventDefault();
    const r = parseBackend(draft, vs?.port ?? 80, backends);
    if (!r.ok) {
      setProblem(t(`maglev.bad.${r.reason}`, { text: draft.trim() }));
      return;
    }
    setProblem('');
    setDraft('');
    setEdited([...backends, r.backend]);
  };

  if (!vs) {
    return (
      <section className="maglev" role="region" aria-label={t('maglev.region')}>
        <div className="panel-head"><h2>{t('maglev.region')}</h2></div>
        <p className="maglev-body muted">{t('maglev.noVs')}</p>
      </section>
    );
  }

  const cur = shown > 0 ? view.table.steps![shown - 1]! : null;
  const summary = view.shares.map((s) => t('maglev.shareItem', { backend: s.dest, slots: s.slots, share: pct(s.share, lang) })).join('; ');
  const filled = owners.reduce((a, o) => a + (o >= 0 ? 1 : 0), 0);

  return (
    <section className="maglev" role="region" aria-label={t('maglev.region')}>
      <div className="panel-head">
        <h2>{t('maglev.heading', { vs: virtualServerKey(vs) })}</h2>
      </div>
      <div className="maglev-body">
        <p className="small">{t('maglev.intro', { size: view.table.size })}</p>
        <label className="maglev-field">
          {t('maglev.vs')}{' '}
          <select value={virtualServerKey(vs)} onChange={(e) => setVsKey(e.target.value)}>
            {optionsFor(candidates, vs).map((v) => (
              <option key={virtualServerKey(v)} value={virtualServerKey(v)}>
                {`${virtualServerKey(v)} ${v.scheduler}`}
              </option>
            ))}
          </select>
        </label>

        <table className="maglev-backends" aria-label={t('maglev.backends')}>
          <thead>
            <tr>
              <th scope="col">{t('maglev.col.backend')}</th>
              <th scope="col">{t('maglev.col.offset')}</th>
              <th scope="col">{t('maglev.col.skip')}</th>
              <th scope="col">{t('maglev.col.turns')}</th>
              <th scope="col">{t('maglev.col.slots')}</th>
              <th scope="col">{t('maglev.col.share')}</th>
              <td />
            </tr>
          </thead>
          <tbody>
            {view.table.setups.map((s, i) => (
              <tr key={s.dest} data-backend={s.dest}>
                <th scope="row">
                  <span className="swatch" style={{ background: MAGLEV_COLOURS[i % MAGLEV_COLOURS.length] }} aria-hidden="true" />
                  {s.dest}
                </th>
                <td>{s.offset}</td>
                <td>{s.skip}</td>
                <td>{s.turns}</td>
                <td>{view.table.slotCounts[i]}</td>
                <td data-share={view.shares[i]!.share}>{pct(view.shares[i]!.share, lang)}</td>
                <td>
                  <button
                    type="button"
                    className="seg"
                    aria-label={t('maglev.remove', { backend: s.dest })}
                    title={t('maglev.remove', { backend: s.dest })}
                    onClick={() => setEdited(backends.filter((b) => backendName(b) !== s.dest))}
                  >
                    <span aria-hidden="true">✕</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {backends.length === 0 && <p className="small">{t('maglev.empty')}</p>}

        <form className="maglev-add" onSubmit={add}>
          <label>
            {t('maglev.newBackend')}{' '}
            <input type="text" value={draft} placeholder={t('maglev.newBackendHint')} onChange={(e) => setDraft(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem ? 'maglev-add-problem' : undefined} />
          </label>{' '}
          <button type="submit" className="seg">{t('maglev.add')}</button>{' '}
          {edited && (
            <button type="button" className="seg" onClick={() => setEdited(null)}>
              {t('maglev.reset')}
            </button>
          )}
          {problem && <p id="maglev-add-problem" className="error" role="alert">{problem}</p>}
        </form>

        <div className="maglev-moved" aria-live="polite">
          <h3>{t('maglev.moved')}</h3>
          {change ? (
            <>
              <p data-kind="maglev">{t('maglev.movedMaglev', { moved: change.maglev.moved, size: change.maglev.size, pct: pct(change.maglev.moved / change.maglev.size, lang), survivors: change.maglev.movedFromSurvivors })}</p>
              <p data-kind="modulo">{t('maglev.movedModulo', { moved: change.modulo.moved, size: change.modulo.size, pct: pct(change.modulo.moved / change.modulo.size, lang) })}</p>
              <p className="small muted">{t('maglev.point')}</p>
            </>
          ) : (
            <p className="small muted">{t('maglev.unchanged')}</p>
          )}
        </div>

        <div className="maglev-fill">
          <div className="maglev-stepper">
            <button type="button" className="seg" disabled={shown <= 0} onClick={() => setStep(shown - 1)}>{t('maglev.prev')}</button>
            <label>
              {t('maglev.fillStep')}{' '}
              <input type="range" min={0} max={total} value={shown} onChange={(e) => setStep(Number(e.target.value))} aria-valuetext={`${shown} / ${total}`} />
            </label>
            <button type="button" className="seg" disabled={shown >= total} onClick={() => setStep(shown + 1)}>{t('maglev.next')}</button>
          </div>
          <p className="small maglev-step" aria-live="polite">
            {cur
              ? t('maglev.stepText', { step: shown, total, round: cur.round + 1, backend: view.table.setups[cur.dest]!.dest, slot: cur.slot, skipped: cur.skipped })
              : t('maglev.stepNone', { total })}
          </p>
          <TableCanvas owners={owners} label={t('maglev.tableImg', { filled, size: view.table.size, summary })} />
        </div>
      </div>
    </section>
  );
}
