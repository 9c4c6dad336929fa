// IPVS mode's extra panels under `Node rules`, in one scrolling strip. While a packet is traced the
// strip folds to one line so the rules and the trace keep their height; it opens on demand.
import type { IpvsDataplane } from '../../engine/ipvs/types.ts';
import { useT } from '../useT.tsx';
import { MaglevPanel } from './MaglevPanel.tsx';
import { SchedulerPanel } from './SchedulerPanel.tsx';
import { ComparePanel } from '../compare/ComparePanel.tsx';

export function IpvsPanels({ ipvs, dst, tracing }: { ipvs: IpvsDataplane; dst: string; tracing: boolean }) {
  const t = useT();
  return (
    <details key={tracing ? 'tracing' : 'idle'} className="ipvs-extras" open={!tracing}>
      <summary>{`${t('sched.label')} · ${t('maglev.region')} · ${t('compare.region')}`}</summary>
      <div className="ipvs-extras-body">
        <SchedulerPanel ipvs={ipvs} dst={dst} />
        <MaglevPanel ipvs={ipvs} dst={dst} />
        <ComparePanel dst={dst} />
      </div>
    </details>
  );
}
