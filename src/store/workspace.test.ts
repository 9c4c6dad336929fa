import { describe, expect, it, vi } from 'vitest';
import { connectEngine, createWorkspaceStore, pipelineInput } from './workspace.ts';
import { findScenario } from '../engine/scenario/scenarios.ts';
import type { EngineClient } from '../worker/client.ts';
import type { PipelineInput } from '../engine/pipeline.ts';
import type { PipelineOutcome } from '../worker/protocol.ts';

function fakeClient(answer: (i: PipelineInput) => PipelineOutcome) {
  const calls: PipelineInput[] = [];
  const client = { runPipeline: async (i: PipelineInput) => (calls.push(i), answer(i)) } as unknown as EngineClient;
  return { client, calls };
}

describe('workspace store', () => {
  it('loads a scenario with its node, packet and settings', () => {
    const store = createWorkspaceStore();
    store.getState().loadScenario('topology-zone-any');
    const s = store.getState();
    expect(s).toMatchObject({ scenario: 'topology-zone-any', node: 'k8s-node-02', src: '192.168.56.12', yamlRevision: 1 });
    expect(pipelineInput(s).cluster?.kubernetesVersion).toBe('1.20');
    expect(pipelineInput(s).yaml).toBe(findScenario('topology-zone-any')!.yaml);
    store.getState().loadScenario('no-such');
    expect(store.getState().scenario).toBe('topology-zone-any');
  });

  it('runs the engine at once for controls, after a pause for typing, and keeps only the latest', async () => {
    vi.useFakeTimers();
    try {
      const store = createWorkspaceStore();
      const { client, calls } = fakeClient((i) => ({ kind: 'result', result: { diagnostics: [], nodes: ['a'], dataplane: null, yaml: i.yaml } as never, ms: 1 }));
      connectEngine(store, client, 100);
      await vi.advanceTimersByTimeAsync(0);
      expect(calls).toHaveLength(1);
      store.getState().setYaml('a');
      store.getState().setYaml('ab');
      await vi.advanceTimersByTimeAsync(50);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(60);
      expect(calls.map((c) => c.yaml)).toEqual([findScenario('nginx-clusterip')!.yaml, 'ab']);
      store.getState().setMode('ipvs');
      await vi.advanceTimersByTimeAsync(0);
      expect(calls.at(-1)).toMatchObject({ mode: 'ipvs' });
      expect(store.getState()).toMatchObject({ engine: 'ready', pending: false });
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows not-ready and failure states without faking a result', async () => {
    vi.useFakeTimers();
    try {
      const store = createWorkspaceStore();
      connectEngine(store, fakeClient(() => ({ kind: 'notReady', reason: 'no runPipeline' })).client);
      await vi.advanceTimersByTimeAsync(0);
      expect(store.getState()).toMatchObject({ engine: 'notReady', result: null, engineMessage: 'no runPipeline' });
      const s2 = createWorkspaceStore();
      connectEngine(s2, fakeClient(() => ({ kind: 'error', message: 'boom' })).client);
      await vi.advanceTimersByTimeAsync(0);
      expect(s2.getState()).toMatchObject({ engine: 'failed', engineMessage: 'boom' });
    } finally {
      vi.useRealTimers();
    }
  });
});
