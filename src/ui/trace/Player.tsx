// Playback over an immutable list of trace events: the cursor is the only state (it is part of
// the share link); the table, the lit dump lines and the live region all read it.
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useContractLabel, useT } from '../useT.tsx';

/** one step per 600 ms at 1×: slow enough to read a row aloud */
const STEP_MS = 600;
const SPEEDS = [0.5, 1, 2, 4] as const;

export interface PlayerProps {
  total: number;
  cursor: number;
  setCursor(c: number): void;
}

export function Player({ total, cursor, setCursor }: PlayerProps) {
  const t = useT();
  const label = useContractLabel();
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const last = Math.max(0, total - 1);

  useEffect(() => {
    if (!playing) return;
    if (cursor >= last) {
      setPlaying(false);
      return;
    }
    const id = setTimeout(() => setCursor(Math.min(last, cursor + 1)), STEP_MS / speed);
    return () => clearTimeout(id);
  }, [playing, cursor, last, setCursor, speed]);

  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    if (e.key === 'ArrowRight') setCursor(Math.min(last, cursor + 1));
    else if (e.key === 'ArrowLeft') setCursor(Math.max(0, cursor - 1));
    else if (e.key === ' ' && !(e.target instanceof HTMLButtonElement)) setPlaying((p) => !p);
    else return;
    e.preventDefault();
  };

  const disabled = total === 0;
  return (
    <div className="player" role="toolbar" aria-label={t('player.label')} onKeyDown={onKey} tabIndex={-1}>
      {playing ? (
        <button type="button" aria-label={label.text('player.pause')} onClick={() => setPlaying(false)} disabled={disabled}>
          ❚❚ {label.node('player.pause')}
        </button>
      ) : (
        <button type="button" aria-label={label.text('player.play')} onClick={() => { if (cursor >= last) setCursor(0); setPlaying(true); }} disabled={disabled}>
          ▶ {label.node('player.play')}
        </button>
      )}
      <button type="button" aria-label={label.text('player.back')} onClick={() => setCursor(Math.max(0, cursor - 1))} disabled={disabled || cursor === 0}>
        ◀ {label.node('player.back')}
      </button>
      <button type="button" aria-label={label.text('player.forward')} onClick={() => setCursor(Math.min(last, cursor + 1))} disabled={disabled || cursor >= last}>
        {label.node('player.forward')} ▶
      </button>
      <button type="button" aria-label={label.text('player.reset')} onClick={() => { setPlaying(false); setCursor(0); }} disabled={disabled}>
        ↺ {label.node('player.reset')}
      </button>
      <label className="speed">
        <span className="muted small">{t('player.speed')}</span>{' '}
        <select aria-label={t('player.speed')} value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
          {SPEEDS.map((v) => (
            <option key={v} value={v}>
              {v}×
            </option>
          ))}
        </select>
      </label>
      <span className="muted">{total > 0 ? `${Math.min(cursor, last) + 1} / ${total}` : ''}</span>
    </div>
  );
}
