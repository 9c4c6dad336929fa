// The `Compare modes` worker: simulating the cluster and generating both modes is engine work,
// kept off the page's main thread and apart from the main engine worker's queue.
import type { PipelineInput } from '../../engine/pipeline.ts';
import type { PacketSpec } from '../../engine/netfilter/trace-types.ts';
import { compareScenario } from './compareModel.ts';

export interface CompareRequest {
  id: number;
  input: PipelineInput;
  packet: PacketSpec;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<CompareRequest>) => void) | null; postMessage: (m: unknown) => void };

scope.onmessage = (e) => {
  const { id, input, packet } = e.data;
  try {
    scope.postMessage({ id, answer: compareScenario(input, packet) });
  } catch (err) {
    scope.postMessage({ id, answer: { error: err instanceof Error ? err.message : String(err) } });
  }
};
