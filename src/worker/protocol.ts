// Messages between the page and the engine worker. Every request carries an id; the page keeps
// only the answer to its latest request per channel (latest wins), so a slow answer to old text
// can never overwrite the answer to new text.

import type { PipelineInput, PipelineResult } from '../engine/pipeline.ts';
import type { ShareState } from '../engine/scenario/codec.ts';
import type { DnsAnswer } from '../engine/scenario/resolve.ts';
import type { MapModel } from '../engine/scenario/mapModel.ts';
import type { DumpRequest } from './dump.ts';
import type { EligibilityReport } from '../engine/proxy/eligibility-report.ts';
import type { IpvsConns } from '../engine/ipvs/conn-counts.ts';

/** IPVS mode's other views of the node, as its own tools print them */
export interface IpvsViews {
  ipvsadm: string;
  ipset: string;
  ipaddr: string;
}

/** what the worker answers for the pipeline: the result, its cluster reduced to name records */
export type PipelineAnswer = PipelineResult & { dns?: DnsAnswer[]; map?: MapModel | null; ipvsViews?: IpvsViews | null; eligibility?: EligibilityReport[] };

/** `share`: deflating a large workspace for the link is real work, so it runs here too */
export type Channel = 'pipeline' | 'explain' | 'share';

/** what the Explain screen (and the trace of generated rules) asks the worker for */
export type ExplainInput = DumpRequest;

/** the pipeline's input, plus what only the page's views need: simulated IPVS connection counts */
export type PipelineRequest = PipelineInput & { ipvsConns?: IpvsConns };

export type EngineRequest =
  | { channel: 'pipeline'; id: number; input: PipelineRequest }
  | { channel: 'explain'; id: number; input: ExplainInput }
  | { channel: 'share'; id: number; input: ShareState };

export type EngineResponse =
  | { channel: Channel; id: number; kind: 'result'; result: unknown; ms: number }
  | { channel: Channel; id: number; kind: 'notReady'; reason: string }
  | { channel: Channel; id: number; kind: 'error'; message: string };

export type PipelineOutcome =
  | { kind: 'result'; result: PipelineAnswer; ms: number }
  | { kind: 'notReady'; reason: string }
  | { kind: 'error'; message: string }
  /** a newer request replaced this one before it was answered */
  | { kind: 'stale' };

export type ShareOutcome = { kind: 'result'; result: string; ms: number } | { kind: 'error'; message: string } | { kind: 'stale' } | { kind: 'notReady'; reason: string };

export type ExplainOutcome =
  | { kind: 'result'; result: unknown; ms: number }
  | { kind: 'notReady'; reason: string }
  | { kind: 'error'; message: string }
  | { kind: 'stale' };
