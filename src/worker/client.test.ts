import { describe, expect, it } from 'vitest';
import { EngineClient, type WorkerLike } from './client.ts';
import type { EngineRequest, EngineResponse } from './protocol.ts';
import type { PipelineInput } from '../engine/pipeline.ts';

class FakeWorker implements WorkerLike {
  onmessage: ((e: MessageEvent<EngineResponse>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  received: EngineRequest[] = [];
  terminated = false;
  postMessage(m: EngineRequest) {
    this.received.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  answer(req: EngineRequest, result: unknown = { nodes: [req.id] }) {
    this.onmessage?.({ data: { channel: req.channel, id: req.id, kind: 'result', result, ms: 3 } } as MessageEvent<EngineResponse>);
  }
}

const input = (yaml: string): PipelineInput => ({ yaml, mode: 'iptables' });

function setup(restartAfterMs = 2000) {
  const workers: FakeWorker[] = [];
  let t = 0;
  const client = new EngineClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  }, { restartAfterMs, now: () => t });
  return { client, workers, advance: (ms: number) => (t += ms) };
}

describe('EngineClient', () => {
  it('resolves a request with its own answer', async () => {
    const { client, workers } = setup();
    const p = client.runPipeline(input('a'));
    const req = workers[0]!.received[0]!;
    expect(req).toMatchObject({ channel: 'pipeline', input: { yaml: 'a' } });
    workers[0]!.answer(req);
    await expect(p).resolves.toEqual({ kind: 'result', result: { nodes: [req.id] }, ms: 3 });
  });

  it('latest wins: an older request resolves stale and its late answer is ignored', async () => {
    const { client, workers } = setup();
    const p1 = client.runPipeline(input('old'));
    const p2 = client.runPipeline(input('new'));
    const [r1, r2] = workers[0]!.received;
    await expect(p1).resolves.toEqual({ kind: 'stale' });
    workers[0]!.answer(r1!, 'OLD'); // arrives late: must not resolve p2
    workers[0]!.answer(r2!, 'NEW');
    await expect(p2).resolves.toMatchObject({ kind: 'result', result: 'NEW' });
  });

  it('channels are independent', async () => {
    const { client, workers } = setup();
    const a = client.runPipeline(input('y'));
    const b = client.explain({ text: '*nat\nCOMMIT\n' });
    const [ra, rb] = workers[0]!.received;
    workers[0]!.answer(rb!, 'X');
    workers[0]!.answer(ra!, 'P');
    await expect(a).resolves.toMatchObject({ result: 'P' });
    await expect(b).resolves.toMatchObject({ result: 'X' });
  });

  it('restarts a worker stuck on a stale request and re-sends the other channel', async () => {
    const { client, workers, advance } = setup(1000);
    client.runPipeline(input('huge'));
    const ex = client.explain({ text: 'dump' });
    advance(1500);
    const p = client.runPipeline(input('small'));
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(client.restarts).toBe(1);
    const sent = workers[1]!.received.map((r) => r.channel).sort();
    expect(sent).toEqual(['explain', 'pipeline']);
    for (const r of workers[1]!.received) workers[1]!.answer(r, r.channel);
    await expect(p).resolves.toMatchObject({ result: 'pipeline' });
    await expect(ex).resolves.toMatchObject({ result: 'explain' });
  });

  it('does not restart for a quick replacement', () => {
    const { client, workers, advance } = setup(1000);
    client.runPipeline(input('a'));
    advance(100);
    client.runPipeline(input('b'));
    expect(workers).toHaveLength(1);
  });

  it('passes notReady and error answers through, and a crashed worker becomes an error', async () => {
    const { client, workers } = setup();
    const p = client.runPipeline(input('a'));
    const r = workers[0]!.received[0]!;
    workers[0]!.onmessage?.({ data: { channel: 'pipeline', id: r.id, kind: 'notReady', reason: 'later' } } as MessageEvent<EngineResponse>);
    await expect(p).resolves.toEqual({ kind: 'notReady', reason: 'later' });
    const q = client.runPipeline(input('b'));
    workers[0]!.onerror?.({ message: 'boom' } as ErrorEvent);
    await expect(q).resolves.toEqual({ kind: 'error', message: 'boom' });
    client.runPipeline(input('c'));
    expect(workers).toHaveLength(2);
  });
});
