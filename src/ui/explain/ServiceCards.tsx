// A card per Service the explainer found (CONTRACTS.md `explain --format json` shape), with a bar
// per endpoint showing its effective share of new connections.
import { useT } from '../useT.tsx';

interface ServiceView {
  /** null for IPVS state: virtual servers carry no Service name */
  name: string | null;
  protocol?: string | null;
  clusterIP?: string | null;
  port?: number | null;
  nodePorts?: number[];
  endpoints?: { address: string; probability: number | null; weight?: number }[];
  noEndpoints?: boolean;
  ipvs?: { virtualServers?: string[]; scheduler?: string | null; persistent?: unknown } | null;
}

/** a Service's card title: its name, else (IPVS) its virtual servers */
function titleOf(s: ServiceView): string {
  return s.name ?? s.ipvs?.virtualServers?.join(', ') ?? '?';
}

function servicesOf(explanation: unknown): ServiceView[] | null {
  if (!explanation || typeof explanation !== 'object') return null;
  const s = (explanation as { services?: unknown }).services;
  if (!Array.isArray(s)) return null;
  return s.filter((x): x is ServiceView => {
    if (!x || typeof x !== 'object') return false;
    const v = x as ServiceView;
    return typeof v.name === 'string' || (v.name === null && Array.isArray(v.ipvs?.virtualServers));
  });
}

export function ServiceCards({ explanation }: { explanation: unknown }) {
  const t = useT();
  const services = servicesOf(explanation);
  if (services === null) return null;
  return (
    <section className="services" aria-label={t('explain.services')}>
      <h3>{t('explain.services')}</h3>
      {services.length === 0 && <p className="muted">{t('explain.noServices')}</p>}
      {services.map((s, i) => (
        <article key={`${i} ${titleOf(s)}`} className="service-card" aria-label={titleOf(s)}>
          <h4 className="mono">{titleOf(s)}</h4>
          <p className="mono small">
            {s.ipvs && s.name === null ? t('explain.ipvsService', { scheduler: s.ipvs.scheduler ?? '?' }) : `${s.clusterIP ?? '?'}:${s.port ?? '?'}/${s.protocol ?? '?'}`}
            {s.nodePorts && s.nodePorts.length > 0 && ` · NodePort ${s.nodePorts.join(', ')}`}
          </p>
          {s.noEndpoints ? (
            <p className="error small">{t('explain.noEndpoints')}</p>
          ) : (
            <ul>
              {(s.endpoints ?? []).map((e) => (
                <li key={e.address}>
                  <span className="mono">
                    {e.address}
                    {typeof e.weight === 'number' && <span className="muted"> {t('explain.weight', { weight: e.weight })}</span>}
                  </span>
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
