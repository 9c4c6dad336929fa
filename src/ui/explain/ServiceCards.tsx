// A card per Service the explainer found (CONTRACTS.md `explain --format json` shape), with a bar
// per endpoint showing its effective share of new connections.
import { useT } from '../useT.tsx';

interface ServiceView {
  name: string;
  protocol?: string | null;
  clusterIP?: string | null;
  port?: number | null;
  nodePorts?: number[];
  endpoints?: { address: string; probability: number | null }[];
  noEndpoints?: boolean;
}

function servicesOf(explanation: unknown): ServiceView[] | null {
  if (!explanation || typeof explanation !== 'object') return null;
  const s = (explanation as { services?: unknown }).services;
  if (!Array.isArray(s)) return null;
  return s.filter((x): x is ServiceView => !!x && typeof x === 'object' && typeof (x as ServiceView).name === 'string');
}

export function ServiceCards({ explanation }: { explanation: unknown }) {
  const t = useT();
  const services = servicesOf(explanation);
  if (services === null) return null;
  return (
    <section className="services" aria-label={t('explain.services')}>
      <h3>{t('explain.services')}</h3>
      {services.length === 0 && <p className="muted">{t('explain.noServices')}</p>}
      {services.map((s) => (
        <article key={s.name} className="service-card" aria-label={s.name}>
          <h4 className="mono">{s.name}</h4>
          <p className="mono small">
            {s.clusterIP ?? '?'}:{s.port ?? '?'}/{s.protocol ?? '?'}
            {s.nodePorts && s.nodePorts.length > 0 && ` · NodePort ${s.nodePorts.join(', ')}`}
          </p>
          {s.noEndpoints ? (
            <p className="error small">{t('explain.noEndpoints')}</p>
          ) : (
            <ul>
              {(s.endpoints ?? []).map((e) => (
                <li key={e.address}>
                  <span className="mono">{e.address}</span>
                  <span className="bar" aria-hidden="true">
                    <span style={{ width: `${(e.probability ?? 0) * 100}%` }} />
                  </span>
                  <span>{e.probability === null ? '?' : `${(e.probability * 100).toFixed(1)}%`}</span>
                </li>
              ))}
            </ul>
          )}
        </article>
      ))}
    </section>
  );
}
