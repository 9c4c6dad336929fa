// ClientIP session affinity made visible: the next connection from the same client, traced with
// the `recent` list the first one left, lands on the same endpoint.
import type { PacketRun } from '../../worker/dump.ts';
import { useT } from '../useT.tsx';

export function SecondConnection({ run }: { run: PacketRun }) {
  const t = useT();
  const a = run.again;
  if (!a) return null;
  const src = run.packet.src.replace(/:\d+$/, '');
  const dnat = a.dnat ?? a.verdict;
  return (
    <section className="again" aria-label={t('again.heading')}>
      <h3>{t('again.heading')}</h3>
      <p className="small">
        {a.sticks && a.line !== null ? t('again.sticks', { src, sport: a.sport, dnat, line: a.line, chain: a.chain ?? '' }) : t('again.differs', { src, sport: a.sport, dnat })}
      </p>
    </section>
  );
}
