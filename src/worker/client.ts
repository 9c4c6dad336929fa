// The page's side of the engine worker: one promise per request, latest-wins per channel, and a
// restart when a stale computation has run too long (a worker cannot be interrupted otherwise).

import type { Channel, EngineRequest, EngineResponse, ExplainInput, ExplainOutcome, PipelineAnswer, PipelineOutcome, PipelineRequest, ShareOutcome } from './protocol.ts';
import type { ShareState } from '../engine/scenario/codec.ts';

export interface WorkerLike {
  postMessage(message: EngineRequest): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<EngineResponse>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

export interface ClientOptions {
  /** a request in flight longer than this is abandoned (worker restarted) when a newer one comes */
  restartAfterMs?: number;
  now?: () => number;
}

type Outcome = PipelineOutcome | ExplainOutcome | ShareOutcome;

interface Waiting {
  id: number;
  sentAt: number;
  request: EngineRequest;
  resolve: (o: Outcome) => void;
}

export class EngineClient {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private readonly waiting = new Map<Channel, Waiting>();
  private readonly restartAfterMs: number;
  private readonly now: () => number;
  restarts = 0;

  constructor(
    private readonly factory: () => WorkerLike,
    opts: ClientOptions = {},
  ) {
    this.restartAfterMs = opts.restartAfterMs ?? 2000;
    this.now = opts.now ?? (() => performance.now());
  }

  runPipeline(input: PipelineRequest): Promise<PipelineOutcome> {
    return this.send('pipeline', input) as Promise<PipelineOutcome>;
  }

  explain(input: ExplainInput): Promise<ExplainOutcome> {
    return this.send('explain', input) as Promise<ExplainOutcome>;
  }

  /** the share-link payload for a workspace, computed off the main thread */
  encodeShare(state: ShareState): Promise<ShareOutcome> {
    return this.send('share', state) as Promise<ShareOutcome>;
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const w of this.waiting.values()) w.resolve({ kind: 'stale' });
    this.waiting.clear();
  }

  private send(channel: Channel, input: PipelineRequest | ExplainInput | ShareState): Promise<Outcome> {
    const prev = this.waiting.get(channel);
    if (prev) {
      this.waiting.delete(channel);
      prev.resolve({ kind: 'stale' });
      // The worker is stuck on old text: start a fresh one rather than wait for it.
      if (this.now() - prev.sentAt > this.restartAfterMs) this.restart();
    }
    const id = this.nextId++;
    const request = { channel, id, input } as EngineRequest;
    return new Promise<Outcome>((resolve) => {
      this.waiting.set(channel, { id, sentAt: this.now(), request, resolve });
      this.ensureWorker().postMessage(request);
    });
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.factory();
    w.onmessage = (e) => this.receive(e.data);
    w.onerror = (e) => {
      const message = e.message || 'the engine worker failed to start';
      for (const [ch, wait] of this.waiting) {
        wait.resolve({ kind: 'error', message });
        this.waiting.delete(ch);
      }
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = w;
    return w;
  }

  private restart(): void {
    this.restarts++;
    this.worker?.terminate();
    this.worker = null;
    // requests still waiting on other channels were lost with the old worker: send them again
    const fresh = this.ensureWorker();
    for (const w of this.waiting.values()) {
      w.sentAt = this.now();
      fresh.postMessage(w.request);
    }
  }

  private receive(msg: EngineResponse): void {
    const wait = this.waiting.get(msg.channel);
    if (!wait || wait.id !== msg.id) return; // an answer to a request already replaced
    this.waiting.delete(msg.channel);
    if (msg.kind === 'result') wait.resolve({ kind: 'result', result: msg.result as PipelineAnswer, ms: msg.ms });
    else if (msg.kind === 'notReady') wait.resolve({ kind: 'notReady', reason: msg.reason });
    else wait.resolve({ kind: 'error', message: msg.message });
  }
}

export function createBrowserEngineClient(): EngineClient {
  return new EngineClient(
    () => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'svcpath-engine' }) as unknown as WorkerLike,
  );
}
