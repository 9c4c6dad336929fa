import { describe, expect, it } from 'vitest';
import type { VirtualServer } from '../../engine/ipvs/types.ts';
import { DEFAULT_SHARE_STATE, decodeShare, encodeShare, migrateAndValidate } from '../../engine/scenario/codec.ts';
import { initialFields, pickFields, pipelineInput } from '../../store/workspace.ts';
import { shareStateOf } from '../../store/persistence.ts';
import { ipvsPath } from '../../engine/ipvs/path.ts';
import { withConnCounts } from '../../engine/ipvs/conn-counts.ts';
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
  it('rr cycles through the real servers with weight > 0, from the head of the kernel list (the newest added)', () => {
    const e = explainScheduler('rr', vs('10.96.0.10', [1, 0, 1]), 6);
    expect(e).toEqual({ kind: 'sequence', picks: ['10.244.0.3:80', '10.244.0.1:80', '10.244.0.3:80', '10.244.0.1:80', '10.244.0.3:80', '10.244.0.1:80'] });
  });
  it('rr shows the order the packet path follows: successive single packets take the same turns', () => {
    const v = vs('10.96.0.10', [1, 1, 1]);
    const e = explainScheduler('rr', v, 3);
    const hook = ipvsPath({ virtualServers: [v] }, { src: '10.0.0.1', sport: 1, dst: '10.96.0.10', dport: 80, proto: 'tcp' });
    expect(e.kind === 'sequence' && e.picks[0]).toBe(`${hook.choice!.address}:80`);
  });
  it('wrr gives each real server picks in proportion to its weight', () => {
    const e = explainScheduler('wrr', vs('10.96.0.10', [3, 1]), 12);
    if (e.kind !== 'sequence') throw new Error('expected a sequence');
    expect(e.picks.filter((p) => p === '10.244.0.1:80')).toHaveLength(9);
    expect(e.picks.filter((p) => p === '10.244.0.2:80')).toHaveLength(3);
  });
  it('names what the hash schedulers depend on', () => {
    for (const s of ['sh', 'dh', 'mh'] as const) expect(explainScheduler(s, vs('10.96.0.10', [1]))).toEqual({ kind: 'depends', key: `sched.${s}` });
  });
});

describe('explainScheduler under lc/wlc/sed/nq: the counters, the next picks, the counters after', () => {
  const v = { ...vs('10.96.0.10', [1, 1, 1]), scheduler: 'lc' };
  const key = (o: number) => `TCP 10.96.0.10:80 -> 10.244.0.${o}:80`;

  it('rows in kernel list order with the counters set, picks under the kernel rule, and the counters after', () => {
    const e = explainScheduler('lc', v, 12, { [key(3)]: [4, 0], [key(1)]: [0, 600] });
    if (e.kind !== 'connections') throw new Error('expected the connection table');
    expect(e.rows.map((r) => [r.name, r.active, r.inactive])).toEqual([['10.244.0.3:80', 4, 0], ['10.244.0.2:80', 0, 0], ['10.244.0.1:80', 0, 600]]);
    // overheads 1024 / 0 / 600: .2 fills up to 600 (3 picks), then .1 and .2 alternate below .3's 1024
    expect(e.picks.slice(0, 4)).toEqual(['10.244.0.2:80', '10.244.0.2:80', '10.244.0.2:80', '10.244.0.1:80']);
    expect(e.rows.reduce((n, r) => n + r.picks, 0)).toBe(12);
    expect(e.rows.map((r) => r.activeAfter - r.active)).toEqual(e.rows.map((r) => r.picks));
    expect(e.picks.filter((p) => p === '10.244.0.3:80').length).toBe(e.rows[0]!.picks);
  });

  it('counters change the picks at once; no counters means all 0, where ties go to the newest', () => {
    const idle = explainScheduler('nq', v, 3);
    if (idle.kind !== 'connections') throw new Error('expected the connection table');
    expect(idle.picks).toEqual(['10.244.0.3:80', '10.244.0.2:80', '10.244.0.1:80']);
    const busy = explainScheduler('nq', v, 3, { [key(3)]: [1, 0] });
    expect(busy.kind === 'connections' && busy.picks[0]).toBe('10.244.0.2:80');
  });

  it('a real server with weight 0 gets no pick however idle, and is marked', () => {
    const drained = { ...v, realServers: v.realServers.map((r, i) => (i === 2 ? { ...r, weight: 0 } : r)) };
    const e = explainScheduler('wlc', drained, 12, { [key(1)]: [5, 5], [key(2)]: [5, 5] });
    if (e.kind !== 'connections') throw new Error('expected the connection table');
    const dead = e.rows.find((r) => r.name === '10.244.0.3:80')!;
    expect(dead).toMatchObject({ quiesced: true, picks: 0, activeAfter: 0 });
  });

  it('the first pick is what the packet path does with the same counters', () => {
    const conns = { [key(2)]: [2, 0] as [number, number], [key(3)]: [1, 9] as [number, number] };
    for (const s of ['lc', 'wlc', 'sed', 'nq'] as const) {
      const e = explainScheduler(s, { ...v, scheduler: s }, 1, conns);
      const p = ipvsPath(withConnCounts({ virtualServers: [{ ...v, scheduler: s }] }, conns), { src: '10.0.0.1', sport: 1, dst: '10.96.0.10', dport: 80, proto: 'tcp' });
      expect(e.kind === 'connections' && e.picks[0]).toBe(`${p.choice!.address}:80`);
    }
  });
});

describe('the ipvsConns field in the workspace', () => {
  it('is picked into the link and the autosave, and restored from them', () => {
    const conns = { 'TCP 10.102.249.128:80 -> 10.244.154.195:80': [12, 3] as [number, number] };
    const fields = { ...initialFields(), mode: 'ipvs' as const, ipvsScheduler: 'lc' as const, ipvsConns: conns };
    const state = shareStateOf(pickFields(fields));
    expect(state.ipvsConns).toEqual(conns);
    const back = decodeShare(encodeShare(state));
    expect(back.ok && back.state.ipvsConns).toEqual(conns);
    expect(initialFields().ipvsConns).toEqual({});
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
