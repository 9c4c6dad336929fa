import { lazy, Suspense, useMemo } from 'react';
import type { ProxierConfig } from '../engine/proxy/config.ts';
import { resolveDestination, type Resolution } from '../engine/scenario/resolve.ts';
import { EditorPanel } from './editor/EditorPanel.tsx';
import { ClusterMap } from './map/ClusterMap.tsx';
import { RulesPanel, rulesText } from './rules/RulesPanel.tsx';
import { Controls } from './Controls.tsx';
import { PacketFields, ScenarioCard } from './ScenarioCard.tsx';
import { useWorkspace } from './StoreContext.tsx';
import { useT } from './useT.tsx';
import { SendButtons } from './trace/SendButtons.tsx';
import { TracePanel, clampCursor, litLinesOf } from './trace/TracePanel.tsx';
import { HookDiagram } from './trace/HookDiagram.tsx';
import { useTraceRun } from './trace/useTraceRun.ts';
import { readExplanation, shareReasons } from './explain/explanation.ts';
import { EligibilityPanel } from './trace/EligibilityPanel.tsx';
import { reportForPacket } from './trace/eligibilityModel.ts';
import { useBurst } from './trace/useBurst.ts';

// IPVS mode's extra panels (scheduler, Maglev, compare) load when IPVS is chosen, not on first load
const IpvsPanels = lazy(() => import('./ipvs/IpvsPanels.tsx').then((m) => ({ default: m.IpvsPanels })));

/** What the node itself owns, as the proxier was told (nodeIP and interface addresses). */
export function localAddresses(config: ProxierConfig): string[] {
  const out = new Set<string>();
  if (config.nodeIP) out.add(config.nodeIP);
  for (const i of config.nodeInterfaces ?? []) for (const a of i.addresses) out.add(a.split('/')[0]!);
  return [...out];
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function resolutionText(r: Resolution, dst: string, t: ReturnType<typeof useT>): string {
  const name = dst.replace(/:\d+$/, '');
  if (r.ok) return r.via ? t('resolve.resolved', { name, address: r.address }) : '';
  if (r.code === 'noPort') return t('resolve.noPort');
  if (r.code === 'external') return t('resolve.external', { name, target: r.target ?? '' });
  return t('resolve.notFound', { name });
}

export function GenerateScreen() {
  const t = useT();
  const dp = useWorkspace((s) => s.result?.dataplane ?? null);
  const output = useWorkspace((s) => s.output);
  const config = useWorkspace((s) => s.result?.config ?? null);
  const src = useWorkspace((s) => s.src);
  const dst = useWorkspace((s) => s.dst);
  const proto = useWorkspace((s) => s.proto);
  const cursor = useWorkspace((s) => s.cursor);
  const dns = useWorkspace((s) => s.dns);
  const map = useWorkspace((s) => s.map);
  const mode = useWorkspace((s) => s.mode);
  const setCursor = useWorkspace((s) => s.setCursor);
  const eligibility = useWorkspace((s) => s.eligibility);

  // The packet walks the very text `Node rules` shows, so trace lines are its lines. In IPVS mode
  // that is the node's iptables-save (kube-proxy's restore alone lacks the built-in chains' jumps),
  // with kube-ipvs0, the ipsets and the virtual servers handed to the same evaluator.
  const ipvs = mode === 'ipvs' && dp?.mode === 'ipvs' ? dp.ipvs : null;
  // the connection counts set under `Scheduler` (lc/wlc/sed/nq)
  const ipvsConns = useWorkspace((s) => s.ipvsConns);
  const traceable = !!dp?.iptables && (mode === 'iptables' || !!ipvs);
  const text = traceable ? (ipvs ? dp!.iptables!.save : rulesText({ ...dp!, mode: 'iptables' }, output)) : '';
  const linesMatch = !ipvs || output === 'save';
  const resolution = useMemo(() => resolveDestination(dst, dns), [dst, dns]);
  const packet = useMemo(
    () => ({ src, dst: resolution.ok ? joinHostPort(resolution.address, resolution.port) : dst, proto }),
    [src, dst, proto, resolution],
  );
  // the simulated connection counts are laid over the IPVS state in the worker
  const source = useMemo(
    () => ({ text, localIPs: config ? localAddresses(config) : [], ...(ipvs ? { ipvs, ...(ipvsConns && Object.keys(ipvsConns).length ? { ipvsConns } : {}) } : {}) }),
    [text, config, ipvs, ipvsConns],
  );
  const { analysis, problem, sendPacket } = useTraceRun(source, packet, cursor > 0, true, `${src}|${dst}|${proto}`, !resolution.ok);
  const run = traceable ? (analysis?.run ?? null) : null;
  const { lit, current } = useMemo(() => litLinesOf(run, cursor), [run, cursor]);
  const shown = useBurst(run?.samples?.order);
  const report = useMemo(() => (resolution.ok ? reportForPacket(eligibility, packet.dst, proto) : null), [eligibility, resolution.ok, packet.dst, proto]);
  const ipvsFocus = useMemo(() => {
    const e = run ? run.events[Math.min(cursor, run.events.length - 1)] : undefined;
    if (!ipvs || !run || e?.kind !== 'ipvs') return null;
    return { proto: run.packet.proto, vip: run.packet.dst, target: typeof e.params.target === 'string' ? e.params.target : null };
  }, [ipvs, run, cursor]);

  const eligible = report && dp ? <EligibilityPanel report={report} node={dp.node} events={run?.events ?? null} cursor={cursor} /> : null;

  return (
    <main className="generate">
      <Controls />
      <div className="columns">
        <div className={run ? 'left-pane tracing' : 'left-pane'}>
          <EditorPanel />
          {run && <HookDiagram events={run.events} cursor={clampCursor(cursor, run)} ipvs={run.events.some((e) => e.kind === 'ipvs')} />}
          <ClusterMap map={map} run={run} cursor={cursor} node={dp?.node ?? null} shown={shown} service={report?.service ?? null} />
        </div>
        <div className={run ? 'right-pane tracing' : 'right-pane'}>
          <ScenarioCard />
          <section className="packet" aria-label={t('packet.heading')}>
            <PacketFields />
            <SendButtons onSend={(n) => { setCursor(0); sendPacket(n); }} disabled={!traceable || !resolution.ok} />
            <p className="packet-note small muted" aria-live="polite">
              {!traceable && dp ? t('trace.notTraceable') : resolutionText(resolution, dst, t)}
            </p>
          </section>
          {problem && <p className="error">{t('status.engineFailed', { message: problem.message })}</p>}
          {analysis?.packetError && <p className="error" role="alert">{t('explain.packetError', { message: analysis.packetError })}</p>}
          <div className={run ? 'rules-and-trace' : 'rules-only'}>
            <RulesPanel {...(linesMatch ? { lit } : {})} current={run && linesMatch ? current : null} ipvsFocus={ipvsFocus} />
            {run && (
              <TracePanel run={run} cursor={cursor} setCursor={setCursor} reasons={shareReasons(readExplanation(analysis?.explanation))} shown={shown} hooks={false}>
                {eligible}
              </TracePanel>
            )}
          </div>
          {ipvs && (
            <Suspense fallback={null}>
              <IpvsPanels ipvs={ipvs} dst={packet.dst} tracing={!!run} />
            </Suspense>
          )}
        </div>
      </div>
    </main>
  );
}
