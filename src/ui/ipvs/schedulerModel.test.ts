import { describe, expect, it } from 'vitest';
import type { VirtualServer } from '../../engine/ipvs/types.ts';
import { DEFAULT_SHARE_STATE, migrateAndValidate } from '../../engine/scenario/codec.ts';
import { initialFields, pipelineInput } from '../../store/workspace.ts';
import { explainScheduler, focusVirtualServer } from './schedulerModel.ts';

const vs = (address: string, weights: number[]): VirtualServer => ({
  address,
  port: 80,
  protocol: 'TCP',
  scheduler: 'rr',
  flags: 0,
  timeout: 0,
  realServers: weights.map((weight, i) => ({ address: `10.244.0.${i + 1}`, port: 80, weight })),
});

describe('explainScheduler', () => {
  it('rr cycles through the real servers with weight > 0', () => {
    const e = explainScheduler('rr', vs('10.96.0.10', [1, 0, 1]), 6);
    expect(e).toEqual({ kind: 'sequence', picks: ['10.244.0.1:80', '10.244.0.3:80', '10.244.0.1:80', '10.244.0.3:80', '10.244.0.1:80', '10.244.0.3:80'] });
  });
  it('wrr gives each real server picks in proportion to its weight', () => {
    const e = explainScheduler('wrr', vs('10.96.0.10', [3, 1]), 12);
    if (e.kind !== 'sequence') throw new Error('expected a sequence');
    expect(e.picks.filter((p) => p === '10.244.0.1:80')).toHaveLength(9);
    expect(e.picks.filter((p) => p === '10.244.0.2:80')).toHaveLength(3);
  });
  it('names what the others depend on', () => {
    for (const s of ['lc', 'wlc', 'sed', 'nq', 'sh', 'dh', 'mh'] as const) expect(explainScheduler(s, vs('10.96.0.10', [1]))).toEqual({ kind: 'depends', key: `sched.${s}` });
  });
});

describe('focusVirtualServer', () => {
  it('prefers the packet destination, else the first virtual server with real servers', () => {
    const a = vs('10.96.0.1', []);
    const b = vs('10.96.0.2', [1]);
    const c = vs('10.96.0.3', [1]);
    expect(focusVirtualServer([a, b, c], '10.96.0.3:80')).toBe(c);
    expect(focusVirtualServer([a, b, c], '10.1.1.1:80')).toBe(b);
    expect(focusVirtualServer([a], '10.96.0.1:80')).toBeNull();
  });
});

describe('the ipvsScheduler share-link field', () => {
  it('is validated against the schedulers and reaches the proxier config', () => {
    const ok = migrateAndValidate({ ...DEFAULT_SHARE_STATE, ipvsScheduler: 'mh' });
    expect(ok.ok && ok.state.ipvsScheduler).toBe('mh');
    const bad = migrateAndValidate({ ...DEFAULT_SHARE_STATE, ipvsScheduler: 'fifo' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('ipvsScheduler');
    // old links without the field keep kube-proxy's default
    const { ipvsScheduler: _drop, ...old } = DEFAULT_SHARE_STATE;
    const legacy = migrateAndValidate(old);
    expect(legacy.ok && legacy.state.ipvsScheduler).toBe('');
    expect(pipelineInput({ ...initialFields(), ipvsScheduler: 'wrr' }).config?.ipvsScheduler).toBe('wrr');
    expect(pipelineInput({ ...initialFields(), ipvsScheduler: '' }).config?.ipvsScheduler).toBeUndefined();
  });
});
