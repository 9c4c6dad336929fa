// The packet's headers at the current step, before and after it: DNAT changes the destination,
// MASQUERADE the source, conntrack's un-NAT both on the reply. A changed field is marked, so the
// moment of translation is visible without reading the rule.
import type { PacketView, TraceEvent } from '../../engine/netfilter/trace-types.ts';
import { useT } from '../useT.tsx';
import { joinHostPort } from '../../engine/util/hostport.ts';

const hp = joinHostPort;
const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

export function headerFields(p: PacketView) {
  return { src: hp(p.src, p.sport), dst: hp(p.dst, p.dport), mark: hex(p.mark) };
}

export function PacketHeaders({ event }: { event: TraceEvent }) {
  const t = useT();
  const before = headerFields(event.packetBefore);
  const after = headerFields(event.packetAfter);
  const rows: ['src' | 'dst' | 'mark', 'headers.src' | 'headers.dst' | 'headers.mark'][] = [
    ['src', 'headers.src'],
    ['dst', 'headers.dst'],
    ['mark', 'headers.mark'],
  ];
  return (
    <table className="headers small" aria-label={t('headers.label')}>
      <caption className="muted">
        {t('headers.label')} · {t(event.leg === 'reply' ? 'headers.leg.reply' : 'headers.leg.request')} · {event.packetAfter.proto}
      </caption>
      <tbody>
        {rows.map(([k, key]) => {
          const changed = before[k] !== after[k];
          return (
            <tr key={k} className={changed ? 'changed' : undefined}>
              <th scope="row">{t(key)}</th>
              <td className="mono">
                {changed ? (
                  <>
                    <del title={t('headers.before')}>{before[k]}</del>
                    <span aria-hidden="true"> → </span>
                    <ins title={t('headers.after')}>{after[k]}</ins>
                  </>
                ) : (
                  after[k]
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
