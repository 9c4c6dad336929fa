// The engine's home in the browser. Requests that arrive while a computation runs are coalesced:
// only the newest request per channel is computed once the worker is free again.

import { handle, loadEngine, type EngineFns } from './handler.ts';
import type { Channel, EngineRequest, EngineResponse } from './protocol.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<EngineRequest>) => void) | null;
  postMessage: (m: EngineResponse) => void;
};

const latest = new Map<Channel, EngineRequest>();
let fns: EngineFns | null = null;
let draining = false;

async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    fns ??= await loadEngine();
    // yield once so messages already queued behind this task are seen before computing
    await new Promise((r) => setTimeout(r, 0));
    while (latest.size > 0) {
      const [channel, req] = latest.entries().next().value as [Channel, EngineRequest];
      latest.delete(channel);
      scope.postMessage(handle(req, fns, () => performance.now()));
      await new Promise((r) => setTimeout(r, 0));
    }
  } catch (e) {
    for (const req of latest.values()) {
      scope.postMessage({ channel: req.channel, id: req.id, kind: 'error', message: String(e) });
    }
    latest.clear();
  } finally {
    draining = false;
  }
}

scope.onmessage = (e) => {
  latest.set(e.data.channel, e.data);
  void drain();
};
