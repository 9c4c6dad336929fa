// The region `Compare modes`: the same scenario in iptables and IPVS mode, side by side.
import { useEffect, useRef, useState } from 'react';
import { pipelineInput } from '../../store/workspace.ts';
import { useWorkspace, useWorkspaceStore } from '../StoreContext.tsx';
import { useT } from '../useT.tsx';
import type { CompareAnswer } from './compareModel.ts';
import type { CompareRequest } from './compare.worker.ts';

function splitHostPort(dst: string): { host: string; port: number | null } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(dst) ?? /^([^:]+):(\d+)$/.exec(dst);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: dst.replace(/^\[|\]$/g, ''), port: null };
}

export function ComparePanel({ dst }: { dst: string }) {
  const t = useT();
  const store = useWorkspaceStore();
  const result = useWorkspace((s) => s.result);
  const src = useWorkspace((s) => s.src);
  const proto = useWorkspace((s) => s.proto);
  const [answer, setAnswer] = useState<CompareAnswer | { error: string } | null>(null);
  const worker = useRef<Worker | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const w = new Worker(new URL('./compare.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (e: MessageEvent<{ id: number; answer: CompareAnswer | { error: string } }>) => {
      if (e.data.id === seq.current) setAnswer(e.data.answer);
    };
    return () => w.terminate();
  }, []);

  // recompute when the engine has answered for a new input (same inputs the pipeline used)
  useEffect(() => {
    if (!worker.current || !result) return;
    const { host, port } = splitHostPort(dst);
    const req: CompareRequest = { id: ++seq.current, input: pipelineInput(store.getState()), packet: { src, dst: host, dport: port, sport: 40000, proto } };
    worker.current.postMessage(req);
  }, [result, dst, src, proto, store]);

  const ok = answer && !('error' in answer) ? answer : null;
  return (
    <section className="compare" role="region" aria-label={t('compare.region')}>
      <div className="panel-head"><h2>{t('compare.region')}</h2></div>
      <div className="compare-body">
        {!answer && <p className="small muted">{t('compare.computing')}</p>}
        {answer && 'error' in answer && <p className="error">{t('compare.failed', { message: answer.error })}</p>}
        {ok && (
          <>
            <table className="compare-table" aria-label={t('compare.table')}>
              <thead>
                <tr>
                  <td />
                  <th scope="col">iptables</th>
                  <th scope="col">IPVS</th>
                </tr>
              </thead>
              <tbody>
                <tr data-row="rulesOnNode">
                  <th scope="row">{t('compare.rulesOnNode')}</th>
                  <td>{ok.iptables.rulesOnNode}</td>
                  <td>{ok.ipvs.rulesOnNode}</td>
                </tr>
                <tr data-row="ipvsObjects">
                  <th scope="row">{t('compare.ipvsObjects')}</th>
                  <td>{ok.iptables.ipvsObjects}</td>
                  <td>{ok.ipvs.ipvsObjects}</td>
                </tr>
                <tr data-row="rulesEvaluated">
                  <th scope="row">{t('compare.rulesEvaluated')}</th>
                  <td>{ok.iptables.rulesEvaluated}</td>
                  <td>{ok.ipvs.rulesEvaluated}</td>
                </tr>
              </tbody>
            </table>
            {ok.restart ? (
              <div className="compare-restart">
                <h3>{t('compare.restart', { pod: ok.restart.pod, from: ok.restart.from, to: ok.restart.to })}</h3>
                <p data-mode="iptables">{t('compare.restartIptables', { added: ok.restart.iptablesAdded, removed: ok.restart.iptablesRemoved })}</p>
                <p data-mode="ipvs">{t('compare.restartIpvs', { rs: ok.restart.realServersChanged, sets: ok.restart.ipsetEntriesChanged, lines: ok.restart.ipvsIptablesLinesChanged })}</p>
              </div>
            ) : (
              <p className="small muted">{t('compare.noRestart')}</p>
            )}
          </>
        )}
      </div>
    </section>
  );
}
