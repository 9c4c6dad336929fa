// Runs rule text (pasted or generated) and, on request, a packet through the worker's evaluator.
// The answer belongs to the text and packet it was asked for: editing either drops the trace.
import { useEffect, useState } from 'react';
import { getEngineClient } from '../engineClient.ts';
import type { DumpAnalysis } from '../../worker/dump.ts';
import type { ExplainInput } from '../../worker/protocol.ts';

export type Analysis = DumpAnalysis & { explanation: unknown };
/** a send belongs to the packet fields as the user wrote them (`key`), not to their resolution */
export interface SendRequest {
  key: string;
  samples: number;
}
export type RulesSource = Pick<ExplainInput, 'text' | 'localIPs' | 'ipvs' | 'ipvsConns' | 'graph'>;

/**
 * `onlyWithPacket`: generated rules need no parse of their own until a packet is sent (the
 * rules panel already shows them); a pasted dump is parsed at once to annotate it.
 * `fieldsKey` names the packet as the user wrote it: editing the fields drops the trace, while
 * the name in them resolving (the cluster's DNS arriving after a link is opened) does not.
 * `hold`: the packet cannot be sent yet (its name is not resolved); the send waits for it.
 */
export function useTraceRun(
  source: RulesSource,
  packet: { src: string; dst: string; proto: string },
  autoSend: boolean,
  onlyWithPacket: boolean,
  fieldsKey = `${packet.src}|${packet.dst}|${packet.proto}`,
  hold = false,
) {
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [problem, setProblem] = useState<{ kind: 'notReady' | 'error'; message: string } | null>(null);
  const [send, setSend] = useState<SendRequest | null>(() => (autoSend ? { key: fieldsKey, samples: 0 } : null));

  useEffect(() => {
    setSend((s) => (s && s.key !== fieldsKey ? null : s));
  }, [fieldsKey]);

  const { text, localIPs, ipvs, ipvsConns, graph } = source;
  // the packet matters only once sent: typing in its fields re-parses nothing
  const sentSrc = send ? packet.src : '';
  const sentDst = send ? packet.dst : '';
  const sentProto = send ? packet.proto : '';
  useEffect(() => {
    const client = getEngineClient();
    if (!client) return;
    if (onlyWithPacket && !send) {
      setAnalysis(null);
      setProblem(null);
      return;
    }
    if (send && hold) return;
    let live = true;
    const timer = setTimeout(() => {
      const p = send ? { src: sentSrc, dst: sentDst, proto: sentProto } : undefined;
      const input: ExplainInput = { text, packet: p };
      if (send?.samples) input.samples = send.samples;
      if (localIPs) input.localIPs = localIPs;
      if (ipvs) input.ipvs = ipvs;
      if (ipvsConns) input.ipvsConns = ipvsConns;
      if (graph) input.graph = true;
      void client.explain(input).then((o) => {
        if (!live || o.kind === 'stale') return;
        if (o.kind === 'result') {
          setAnalysis(o.result as Analysis);
          setProblem(null);
        } else setProblem({ kind: o.kind, message: o.kind === 'error' ? o.message : o.reason });
      });
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, localIPs, ipvs, ipvsConns, graph, send, onlyWithPacket, hold, sentSrc, sentDst, sentProto]);

  return {
    analysis,
    problem,
    sendPacket: (samples = 0) => setSend({ key: fieldsKey, samples }),
    clear: () => setSend(null),
  };
}
