// IPVS mode's `Scheduler` control: sets the proxier's ipvsScheduler (a share-link field) and says
// what the choice means for the packet's virtual server. Under lc/wlc/sed/nq it also holds the
// connection counters those schedulers read (a share-link field too, laid over the dataplane the
// packet is traced through), the next picks under them, and the counters after.
import type { IpvsDataplane } from '../../engine/ipvs/types.ts';
import { virtualServerKey } from '../../engine/ipvs/types.ts';
import { SCHEDULERS, isScheduler } from '../../engine/ipvs/schedulers.ts';
import { useWorkspace, useWorkspaceStore } from '../StoreContext.tsx';
import { useContractLabel, useT } from '../useT.tsx';
import { explainScheduler, focusVirtualServer, SEQUENCE_LENGTH } from './schedulerModel.ts';
import { isConnScheduler } from '../../engine/ipvs/connections.ts';
import { ConnTable } from './ConnTable.tsx';

export function SchedulerPanel({ ipvs, dst }: { ipvs: IpvsDataplane; dst: string }) {
  const t = useT();
  const label = useContractLabel();
  const store = useWorkspaceStore();
  const chosen = useWorkspace((s) => s.ipvsScheduler);
  const conns = useWorkspace((s) => s.ipvsConns);
  const vs = focusVirtualServer(ipvs.virtualServers, dst);
  // what the proxier actually used (the scenario's own choice while the user has made none)
  const current = chosen || ipvs.virtualServers[0]?.scheduler || 'rr';
  const explained = vs && isScheduler(vs.scheduler) ? explainScheduler(vs.scheduler, vs, SEQUENCE_LENGTH, conns) : null;

  return (
    <div className="ipvs-scheduler">
      <label>
        {label.node('sched.label')}{' '}
        <select aria-label={label.text('sched.label')} value={current} onChange={(e) => store.setState({ ipvsScheduler: isScheduler(e.target.value) ? e.target.value : '', cursor: 0 })}>
          {SCHEDULERS.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
        </select>
      </label>
      <p className="small muted">{t('sched.note')}</p>
      {vs && explained?.kind === 'sequence' && (
        <>
          <p className="small" id="sched-seq-label">{t('sched.sequence', { n: SEQUENCE_LENGTH, scheduler: vs.scheduler, vs: virtualServerKey(vs) })}</p>
          <ol className="sched-sequence" aria-labelledby="sched-seq-label">
            {explained.picks.map((p, i) => (
              <li key={i}>{p ?? '—'}</li>
            ))}
          </ol>
          <p className="small muted">{t('schedConn.kernelOrder')}</p>
        </>
      )}
      {vs && explained?.kind === 'connections' && isConnScheduler(vs.scheduler) && <p className="small sched-depends">{t(`sched.${vs.scheduler}`)}</p>}
      {vs && explained?.kind === 'connections' && <ConnTable vs={vs} explained={explained} conns={conns} />}
      {explained?.kind === 'depends' && <p className="small sched-depends">{t(explained.key)}</p>}
    </div>
  );
}
