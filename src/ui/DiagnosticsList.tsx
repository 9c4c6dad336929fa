// Findings under the editor as text (line:col severity code message), so screen readers and
// tests read what the editor's gutter shows.
import type { Diagnostic } from '../engine/diagnostics.ts';
import { isMessageKey } from '../i18n/index.ts';
import { useT } from './useT.tsx';

export function DiagnosticsList({ diagnostics }: { diagnostics: Diagnostic[] }) {
  const t = useT();
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return (
    <section className={diagnostics.length === 0 ? 'diagnostics none' : 'diagnostics'} aria-label={t('diagnostics.heading')} tabIndex={diagnostics.length === 0 ? undefined : 0}>
      <h2>
        {t('diagnostics.heading')}{' '}
        {diagnostics.length > 0 && <span className="muted">{t('diagnostics.count', { errors, warnings })}</span>}
      </h2>
      {diagnostics.length === 0 ? (
        <p className="muted inline-none">{t('diagnostics.none')}</p>
      ) : (
        <ul>
          {diagnostics.slice(0, 200).map((d, i) => {
            // the engine may offer a translation key; the kubectl-worded message is the fallback
            const msg = d.key && isMessageKey(d.key) ? t(d.key, d.params) : d.message;
            return (
              <li key={i} className={`diag diag-${d.severity}`}>
                <span className="pos">
                  {d.line}:{d.col}
                </span>{' '}
                <span className="sev">{t(`severity.${d.severity}`)}</span> <code>{d.code}</code> {msg}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
