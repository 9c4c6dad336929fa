// `Explain a dump` (issue 3): paste a node's rules, read them annotated, send a packet and step
// through what the kernel-faithful evaluator did. All parsing and evaluation run in the worker.
import { useMemo, useState } from 'react';
import { useWorkspace } from '../StoreContext.tsx';
import { useContractLabel, useT } from '../useT.tsx';
import { PacketFields } from '../ScenarioCard.tsx';
import { SEED_DUMP } from '../../engine/scenario/dumps.ts';
import { AnnotatedDump } from './AnnotatedDump.tsx';
import { ServiceCards } from './ServiceCards.tsx';
import { ChainGraph } from './ChainGraph.tsx';
import { TracePanel, litLinesOf } from '../trace/TracePanel.tsx';
import { useBurst } from '../trace/useBurst.ts';
import { useTraceRun } from '../trace/useTraceRun.ts';
import { SendButtons } from '../trace/SendButtons.tsx';
import { DiagnosticsList } from '../DiagnosticsList.tsx';
import { readExplanation, shareReasons } from './explanation.ts';

export default function ExplainScreen() {
  const t = useT();
  const label = useContractLabel();
  const dump = useWorkspace((s) => s.dump);
  const setDump = useWorkspace((s) => s.setDump);
  const src = useWorkspace((s) => s.src);
  const dst = useWorkspace((s) => s.dst);
  const proto = useWorkspace((s) => s.proto);
  const setPacket = useWorkspace((s) => s.setPacket);
  const cursor = useWorkspace((s) => s.cursor);
  const setCursor = useWorkspace((s) => s.setCursor);
  const packet = useMemo(() => ({ src, dst, proto }), [src, dst, proto]);
  // a link opened mid-trace (cursor > 0) sends its packet again so the same step shows
  const { analysis, problem, sendPacket, clear } = useTraceRun({ text: dump, graph: true }, packet, cursor > 0, false);
  const run = analysis?.run ?? null;
  const shown = useBurst(run?.samples?.order);
  const { lit, current } = useMemo(() => litLinesOf(run, cursor), [run, cursor]);
  const explanation = useMemo(() => readExplanation(analysis?.explanation), [analysis]);
  // a chain picked in the graph: its first rule is shown (and marked) in the dump
  const [picked, setPicked] = useState<number | null>(null);
  const findings = useMemo(() => [...(analysis?.diagnostics ?? []), ...(explanation?.diagnostics ?? [])].sort((a, b) => a.line - b.line), [analysis, explanation]);

  return (
    <main className="explain">
      <div className="columns">
        <section className="editor-pane">
          <div className="panel-head">
            <label htmlFor="dump-input">
              <h2>{label.node('explain.input')}</h2>
            </label>
            <button type="button" onClick={() => { setDump(SEED_DUMP.text); setPacket(SEED_DUMP.packet); clear(); }}>
              {t('explain.loadSeed')}
            </button>
          </div>
          <textarea
            id="dump-input"
            className="plain-editor dump-input"
            aria-label={label.text('explain.input')}
            placeholder={t('explain.placeholder')}
            spellCheck={false}
            value={dump}
            onChange={(e) => { setDump(e.target.value); clear(); }}
          />
          {analysis && <AnnotatedDump text={dump} analysis={analysis} explanation={explanation} litLines={lit} currentLine={run ? current : null} pickedLine={picked} />}
          {analysis && <DiagnosticsList diagnostics={findings} />}
        </section>
        <div className="right-pane">
          <section className="packet" aria-label={t('packet.heading')}>
            <PacketFields />
            <SendButtons onSend={(n) => { setCursor(0); sendPacket(n); }} />
          </section>
          {problem && <p className="error">{problem.kind === 'error' ? t('status.engineFailed', { message: problem.message }) : t('explain.notReady')}</p>}
          {analysis?.packetError && <p className="error" role="alert">{t('explain.packetError', { message: analysis.packetError })}</p>}
          {analysis && <ServiceCards explanation={analysis.explanation} />}
          {analysis?.graph && <ChainGraph graph={analysis.graph} run={run} cursor={cursor} litLines={lit} onPick={setPicked} />}
          {run ? <TracePanel run={run} cursor={cursor} setCursor={setCursor} reasons={shareReasons(explanation)} shown={shown} /> : <p className="muted pad">{t('explain.sendFirst')}</p>}
        </div>
      </div>
    </main>
  );
}
