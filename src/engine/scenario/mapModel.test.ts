import { describe, expect, it } from 'vitest';
import { MAP_MAX_PODS, mapModel, nextReadiness } from './mapModel.ts';
import type { ClusterState } from '../cluster/types.ts';

const pod = (name: string, extra: Record<string, unknown> = {}, ready = 'True') => ({
  metadata: { name, namespace: 'default', ...extra },
  spec: { nodeName: 'n1', containers: [] },
  status: { podIP: '10.244.0.9', conditions: [{ type: 'Ready', status: ready }] },
});

describe('mapModel', () => {
  it('keeps what the map draws, with each pod’s readiness', () => {
    const c = {
      nodes: [{ name: 'n1', labels: {}, zone: 'a', region: 'r', internalIP: '192.168.0.2', podCIDR: '10.244.0.0/24', pasted: true, ready: true }],
      pods: [pod('ok'), pod('slow', {}, 'False'), pod('bye', { deletionTimestamp: '2022-08-07T13:53:40Z' })],
      services: [{ metadata: { name: 's', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.9' } }],
    } as unknown as ClusterState;
    const m = mapModel(c);
    expect(m.nodes).toEqual([{ name: 'n1', zone: 'a', region: 'r', ip: '192.168.0.2' }]);
    expect(m.pods.map((p) => [p.key, p.readiness])).toEqual([['default/ok', 'ready'], ['default/slow', 'notReady'], ['default/bye', 'terminating']]);
    expect(m.services).toEqual([{ key: 'default/s', type: 'ClusterIP', clusterIP: '10.96.0.9' }]);
    expect(m.truncated).toBe(false);
  });
  it('stops drawing past the pod cap and says so', () => {
    const c = { nodes: [], pods: Array.from({ length: MAP_MAX_PODS + 1 }, (_, i) => pod(`p${i}`)), services: [] } as unknown as ClusterState;
    const m = mapModel(c);
    expect(m.pods).toHaveLength(MAP_MAX_PODS);
    expect(m.truncated).toBe(true);
  });
  it('cycles ready → not ready → terminating → ready', () => {
    expect([nextReadiness('ready'), nextReadiness('notReady'), nextReadiness('terminating')]).toEqual(['notReady', 'terminating', 'ready']);
  });
});
