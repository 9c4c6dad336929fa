// The hooks-and-tables diagram (issue 4, after the seed's netfilter figure): PREROUTING, the
// routing decision, INPUT or FORWARD, OUTPUT, POSTROUTING, each with its tables in the kernel's
// order; where the packet has been is lit, where it is now is marked.
import { Fragment } from 'react';
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';
import { useT } from '../useT.tsx';
import { HOOK_TABLES, hookState, type HookName } from './hooks.ts';

const ROW: (HookName | 'routing')[] = ['PREROUTING', 'routing', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

export function HookDiagram({ events, cursor, ipvs }: { events: readonly TraceEvent[]; cursor: number; ipvs: boolean }) {
  const t = useT();
  const { visited, current } = hookState(events, cursor);
  const cls = (id: string, base: string) => `${base}${visited.has(id) ? ' lit' : ''}${current === id ? ' current' : ''}`;
  return (
    <figure className="hooks" aria-label={t('hooks.label')}>
      <ol>
        {ROW.map((h, i) => (
          <Fragment key={h}>
            {i > 0 && (
              <li className="hook-arrow" aria-hidden="true">
                →
              </li>
            )}
            {h === 'routing' ? (
              <li className={cls('routing', 'hook routing hook-routing')} aria-current={current === 'routing' ? 'step' : undefined}>
                {t('hooks.routing')}
              </li>
            ) : (
              <li className={cls(h, `hook hook-${h}`)} aria-current={current?.startsWith(h) ? 'step' : undefined}>
                <span className="hook-name">{h}</span>
                <span className="hook-tables">
                  {HOOK_TABLES[h]
                    .filter((tb) => tb !== 'ipvs' || ipvs)
                    .map((tb) => (
                      <span key={tb} className={cls(`${h}/${tb}`, `tb tb-${tb}`)}>
                        {tb === 'ipvs' ? 'IPVS' : tb}
                      </span>
                    ))}
                </span>
              </li>
            )}
          </Fragment>
        ))}
      </ol>
    </figure>
  );
}
