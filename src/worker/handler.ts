// What the worker does with one request. The engine modules are found with import.meta.glob so
// a stage that has not landed yet gives a clear "not ready" answer instead of a failed build.
// Runs in the worker (and in Vitest); never on the page's main thread.

import type { PipelineInput, PipelineResult } from '../engine/pipeline.ts';
import type { EngineRequest, EngineResponse, PipelineAnswer } from './protocol.ts';
import { analyzeDump } from './dump.ts';
import { encodeShare } from '../engine/scenario/codec.ts';
import { mapModel } from '../engine/scenario/mapModel.ts';
import { eligibilityForNode } from '../engine/proxy/eligibility.ts';
import { withConnCounts } from '../engine/ipvs/conn-counts.ts';
import { renderIpAddrKubeIpvs0, renderIpsetList, renderIpvsadm } from '../engine/proxy/ipvs/render.ts';

/** Service ports whose eligible endpoints travel to the page */
const ELIGIBILITY_LIMIT = 200;

type Loader = () => Promise<Record<string, unknown>>;

const pipelineModules = import.meta.glob('../engine/pipeline.ts') as Record<string, Loader>;
const explainModules = import.meta.glob('../engine/explain/index.ts') as Record<string, Loader>;

type RunPipeline = (input: PipelineInput) => PipelineResult;
/** the explainer's report on a dump (src/engine/explain), passed through as it is */
type ExplainFn = (text: string) => unknown;

export interface EngineFns {
  runPipeline?: RunPipeline;
  explain?: ExplainFn;
}

async function loadFirst(mods: Record<string, Loader>): Promise<Record<string, unknown> | null> {
  const load = Object.values(mods)[0];
  return load ? load() : null;
}

export async function loadEngine(): Promise<EngineFns> {
  const [p, x] = await Promise.all([loadFirst(pipelineModules), loadFirst(explainModules)]);
  const fns: EngineFns = {};
  if (p && typeof p.runPipeline === 'function') fns.runPipeline = p.runPipeline as RunPipeline;
  // explain(text) builds the report; explainJson makes it the plain JSON of CONTRACTS.md
  if (x && typeof x.explain === 'function' && typeof x.explainJson === 'function') {
    const explain = x.explain as (t: string) => unknown;
    const toJson = x.explainJson as (e: unknown) => unknown;
    fns.explain = (text) => toJson(explain(text));
  }
  return fns;
}

/** `now` is injected: the clock belongs to the shell, not the engine. */
export function handle(req: EngineRequest, fns: EngineFns, now: () => number): EngineResponse {
  const base = { channel: req.channel, id: req.id };
  try {
    if (req.channel === 'pipeline') {
      if (!fns.runPipeline) return { ...base, kind: 'notReady', reason: 'runPipeline is not exported by src/engine/pipeline.ts yet' };
      const t0 = now();
      const full = fns.runPipeline(req.input);
      // The simulated cluster is large (every object of every Service) and the page does not draw
      // it yet; copying it across postMessage would cost the main thread a long task per edit.
      // Only its name records travel, so `Packet destination` can take a name.
      const dns = (full.cluster?.dns ?? []).filter((r) => r.type === 'A' || r.type === 'AAAA' || r.type === 'CNAME');
      // ipvsadm -Ln shows ActiveConn / InActConn: the counts the page simulates for lc and friends
      const ipvs = full.dataplane?.ipvs && req.input.ipvsConns ? withConnCounts(full.dataplane.ipvs, req.input.ipvsConns) : full.dataplane?.ipvs;
      // rendered here so the page bundle carries no IPVS renderers
      const ipvsViews = ipvs ? { ipvsadm: renderIpvsadm(ipvs), ipset: renderIpsetList(ipvs), ipaddr: renderIpAddrKubeIpvs0(ipvs) } : null;
      // who may receive a packet on this node and why (capped: a page of 10,000 Services shows one at a time)
      const eligibility = full.cluster && full.config ? eligibilityForNode(full.cluster.services, full.cluster.endpointSlices, full.config, ELIGIBILITY_LIMIT) : [];
      const result: PipelineAnswer = { ...full, cluster: null, dns, map: full.cluster ? mapModel(full.cluster) : null, ipvsViews, eligibility };
      return { ...base, kind: 'result', result, ms: Math.round(now() - t0) };
    }
    if (req.channel === 'share') {
      const t0 = now();
      return { ...base, kind: 'result', result: encodeShare(req.input), ms: Math.round(now() - t0) };
    }
    const t0 = now();
    const analysis = analyzeDump(req.input);
    // Services come from the explainer once it lands; the parse and the trace work without it.
    const explanation = fns.explain ? fns.explain(req.input.text) : null;
    return { ...base, kind: 'result', result: { ...analysis, explanation }, ms: Math.round(now() - t0) };
  } catch (e) {
    const err = e as Error;
    return { ...base, kind: 'error', message: err && err.message ? err.message : String(e) };
  }
}
