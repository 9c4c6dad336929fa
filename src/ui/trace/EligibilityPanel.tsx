// `Eligible endpoints`: for the Service the packet dialled, every endpoint with its state and
// whether this node's kube-proxy may send the packet there, and the categorizer's steps in
// order (topologyKeys walked key by key, hints, fallbacks, Local policies). The column the packet
// is choosing from lights up while the cursor is in the matching chain.
import { memo } from 'react';
import type { EligibilityReport, EndpointEligibility, Reason } from '../../engine/proxy/eligibility-report.ts';
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';
import { isMessageKey } from '../../i18n/index.ts';
import { useT } from '../useT.tsx';
import { activeColumn } from './eligibilityModel.ts';

function useReason() {
  const t = useT();
  return (r: Reason) => (isMessageKey(r.key) ? t(r.key, r.params) : r.key);
}

function stateKey(e: EndpointEligibility) {
  if (e.ready) return 'elig.state.ready' as const;
  if (e.terminating) return e.serving ? ('elig.state.terminating' as const) : ('elig.state.terminatingNotServing' as const);
  return 'elig.state.notReady' as const;
}

/** one endpoint's row; memoised so stepping through a trace re-renders only rows whose marking changes */
const EndpointRow = memo(function EndpointRow({ e, showCluster, showLocal, active }: { e: EndpointEligibility; showCluster: boolean; showLocal: boolean; active: 'cluster' | 'local' | null }) {
  const t = useT();
  const reason = useReason();
  const yes = (v: boolean) => (v ? t('elig.yes') : t('elig.no'));
  return (
    <tr className={(active === 'cluster' ? e.cluster : active === 'local' ? e.localPolicy : false) ? 'eligible' : undefined}>
      <td className="mono">{e.address}</td>
      <td>
        {e.node ?? t('elig.na')}
        {e.zone ? ` · ${e.zone}` : ''}
      </td>
      <td>{t(stateKey(e))}</td>
      {showCluster && <td className={`yn ${e.cluster ? 'y' : 'n'}${active === 'cluster' ? ' active' : ''}`}>{yes(e.cluster)}</td>}
      {showLocal && <td className={`yn ${e.localPolicy ? 'y' : 'n'}${active === 'local' ? ' active' : ''}`}>{yes(e.localPolicy)}</td>}
      <td className="small">{e.reasons.map(reason).join('; ')}</td>
    </tr>
  );
});

export function EligibilityPanel({ report, node, events, cursor }: { report: EligibilityReport; node: string; events: readonly TraceEvent[] | null; cursor: number }) {
  const t = useT();
  const reason = useReason();
  const active = events ? activeColumn(events, cursor, report) : null;
  const showLocal = report.internalPolicy === 'Local' || report.externalPolicy === 'Local';
  const showCluster = report.internalPolicy === 'Cluster' || report.externalPolicy !== null;
  return (
    <section className="eligibility" aria-label={t('elig.heading')}>
      <h3>
        {t('elig.heading')} <span className="muted small mono">{t('elig.for', { service: report.service, node })}</span>
      </h3>
      <p className="small muted">{t('elig.policies', { internal: report.internalPolicy, external: report.externalPolicy ?? t('elig.na') })}</p>
      <ol className="elig-steps small">
        {report.steps.map((s, i) => (
          <li key={i}>{reason(s)}</li>
        ))}
      </ol>
      {active && (
        <p className="why small" aria-live="polite">
          {t('elig.atStep', { chain: active.chain, column: t(active.column === 'cluster' ? 'elig.col.cluster' : 'elig.col.local') })}
        </p>
      )}
      {report.endpoints.length > 0 && (
        <div className="elig-scroll" tabIndex={0}>
          <table className="elig-table" aria-label={t('elig.heading')}>
            <thead>
              <tr>
                <th scope="col">{t('elig.col.endpoint')}</th>
                <th scope="col">{t('elig.col.where')}</th>
                <th scope="col">{t('elig.col.state')}</th>
                {showCluster && (
                  <th scope="col" className={active?.column === 'cluster' ? 'active' : undefined}>
                    {t('elig.col.cluster')}
                  </th>
                )}
                {showLocal && (
                  <th scope="col" className={active?.column === 'local' ? 'active' : undefined}>
                    {t('elig.col.local')}
                  </th>
                )}
                <th scope="col">{t('elig.col.why')}</th>
              </tr>
            </thead>
            <tbody>
              {report.endpoints.map((e) => (
                <EndpointRow key={e.address} e={e} showCluster={showCluster} showLocal={showLocal} active={active?.column ?? null} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
