// Where new connections go: exact shares from the cascade, next to a seeded sample.
import { memo } from 'react';
import type { FateView, PacketRun } from '../../worker/dump.ts';
import { useContractLabel, useT } from '../useT.tsx';
import { burstCounts } from './burst.ts';

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
const fateName = (f: { verdict: string; dnat: string | null }) => f.dnat ?? f.verdict;

export const FateBars = memo(function FateBars({ fates }: { fates: FateView[] }) {
  const t = useT();
  return (
    <section className="fates" aria-label={t('explain.fates')}>
      <h3>{t('explain.fates')}</h3>
      <p className="muted small">{t('explain.fatesNote')}</p>
      <ul>
        {fates.map((f) => (
          <li key={`${f.verdict}|${f.dnat}|${f.masquerade}`}>
            <span className="fate-name mono">
              {fateName(f)}
              {f.masquerade && <span className="badge">{t('explain.masq')}</span>}
            </span>
            <span className="bar" aria-hidden="true">
              <span style={{ width: pct(f.probability) }} />
            </span>
            <span className="fate-p">{pct(f.probability)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
});

/** `shown`: how many of the sampled connections have landed so far (the burst's animation) */
export const Distribution = memo(function Distribution({ run, shown }: { run: PacketRun; shown?: number }) {
  const t = useT();
  const label = useContractLabel();
  if (!run.samples) return null;
  const total = run.samples.n;
  const order = run.samples.order;
  const landed = order && shown !== undefined ? Math.min(shown, total) : total;
  const partial = landed < total ? burstCounts(order, run.samples.counts.length, landed) : null;
  const observed = new Map(run.samples.counts.map((c, i) => [`${c.verdict}|${c.dnat}|${c.masquerade}`, partial ? partial[i]! : c.count]));
  const n = Math.max(1, landed);
  return (
    <table className="distribution" aria-label={label.text('explain.distribution')} aria-busy={landed < total}>
      <caption className="small muted">{t('burst.sent', { shown: landed, n: total })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('explain.colEndpoint')}</th>
          <th scope="col">{t('explain.colExpected')}</th>
          <th scope="col">{t('explain.colObserved')}</th>
          <th scope="col">{t('explain.colCount')}</th>
        </tr>
      </thead>
      <tbody>
        {run.fates.map((f) => {
          const c = observed.get(`${f.verdict}|${f.dnat}|${f.masquerade}`) ?? 0;
          return (
            <tr key={`${f.verdict}|${f.dnat}|${f.masquerade}`}>
              <td className="mono">{fateName(f)}</td>
              <td>{pct(f.probability)}</td>
              <td>{pct(c / n)}</td>
              <td>{c}</td>
            </tr>
          );
        })}
        {/* fates only the burst reached: IPVS lc/wlc/sed/nq have one exact fate (the next pick) but a burst's counts grow */}
        {run.samples.counts.filter((c) => !run.fates.some((f) => f.verdict === c.verdict && f.dnat === c.dnat && f.masquerade === c.masquerade)).map((f) => {
          const c = observed.get(`${f.verdict}|${f.dnat}|${f.masquerade}`) ?? 0;
          return (
            <tr key={`${f.verdict}|${f.dnat}|${f.masquerade}`}>
              <td className="mono">{fateName(f)}</td>
              <td>—</td>
              <td>{pct(c / n)}</td>
              <td>{c}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
});
