import { describe, expect, it } from 'vitest';
import { cascadeModel } from './cascadeModel.ts';
import type { FateView } from '../../worker/dump.ts';
import { analyzeDump } from '../../worker/dump.ts';
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';
import { SEED_DUMP } from '../../engine/scenario/dumps.ts';

const SVC = 'KUBE-SVC-TEST';
const d = (rule: number, probability: number, taken: boolean) => ({ label: `nat ${SVC} rule ${rule}`, probability, taken });
const fate = (dnat: string, probability: number, path: FateView['path']): FateView => ({ verdict: 'ACCEPT', dnat, masquerade: false, probability, path });

// kube-proxy's cascade for three endpoints: 1/3, then 1/2 of the rest, then the rest
const p1 = 0.33333333349;
const p2 = 0.5;
const THREE: FateView[] = [
  fate('10.0.0.1:80', p1, [d(1, p1, true)]),
  fate('10.0.0.2:80', (1 - p1) * p2, [d(1, p1, false), d(2, p2, true)]),
  fate('10.0.0.3:80', (1 - p1) * (1 - p2), [d(1, p1, false), d(2, p2, false)]),
];

function ev(seq: number, over: Partial<TraceEvent>): TraceEvent {
  const view = { src: '10.1.0.1', dst: '10.96.0.1', sport: 40000, dport: 80, proto: 'tcp', inIface: null, outIface: null, mark: 0 };
  return {
    seq, kind: 'rule', hook: 'PREROUTING', table: 'nat', chain: SVC, rule: null, line: null, matched: null, reason: '', reasonKey: '', params: {},
    action: null, unknown: [], packetBefore: view, packetAfter: view, conntrack: null, mark: 0, rulesEvaluated: seq, ...over,
  };
}

// the packet passes rule 1 (its draw did not match) and matches rule 2
const SECOND: TraceEvent[] = [
  ev(0, { kind: 'hook', table: null, chain: null }),
  ev(1, { rule: 1, line: 10, matched: false }),
  ev(2, { rule: 2, line: 11, matched: true, probability: p2, action: 'jump KUBE-SEP-B' }),
  ev(3, { chain: 'KUBE-SEP-B', rule: 1, line: 14, matched: true, action: 'DNAT 10.0.0.2:80', params: { target: '10.0.0.2:80' } }),
];

describe('cascadeModel: kube-proxy’s statistic cascade', () => {
  it('lays the rules out in order, with their written probabilities and each endpoint’s overall share', () => {
    const m = cascadeModel(THREE, [], 0);
    expect(m?.kind).toBe('rules');
    if (m?.kind !== 'rules') return;
    expect(m.steps.map((s) => [s.chain, s.rule, s.probability, s.endpoint.name])).toEqual([
      [SVC, 1, p1, '10.0.0.1:80'],
      [SVC, 2, p2, '10.0.0.2:80'],
    ]);
    expect(m.steps.map((s) => s.endpoint.share)).toEqual([THREE[0]!.probability, THREE[1]!.probability]);
    expect(m.fallThrough).toMatchObject({ name: '10.0.0.3:80', share: THREE[2]!.probability, state: 'pending' });
    expect(m.steps.every((s) => s.state === 'pending')).toBe(true);
  });

  it('marks nothing before the packet reaches the cascade', () => {
    const m = cascadeModel(THREE, SECOND, 0);
    expect(m?.kind === 'rules' && m.steps.map((s) => s.state)).toEqual(['pending', 'pending']);
  });

  it('marks a rule passed once the packet’s draw did not match it, and the branch taken once one did', () => {
    const at1 = cascadeModel(THREE, SECOND, 1);
    expect(at1?.kind === 'rules' && at1.steps.map((s) => s.state)).toEqual(['passed', 'pending']);
    const at2 = cascadeModel(THREE, SECOND, 2);
    expect(at2?.kind === 'rules' && at2.steps.map((s) => s.state)).toEqual(['passed', 'taken']);
    expect(at2?.kind === 'rules' && at2.fallThrough?.state).toBe('pending');
    // a cursor past the end reads as the end
    expect(cascadeModel(THREE, SECOND, 99)).toEqual(cascadeModel(THREE, SECOND, 3));
  });

  it('takes the fall-through when no statistic rule matched', () => {
    const events = [ev(0, { rule: 1, matched: false }), ev(1, { rule: 2, matched: false }), ev(2, { rule: 3, matched: true, action: 'jump KUBE-SEP-C' })];
    const m = cascadeModel(THREE, events, 2);
    expect(m?.kind === 'rules' && [m.steps.map((s) => s.state), m.fallThrough?.state]).toEqual([['passed', 'passed'], 'taken']);
    const before = cascadeModel(THREE, events, 0);
    expect(before?.kind === 'rules' && [before.steps.map((s) => s.state), before.fallThrough?.state]).toEqual([['passed', 'pending'], 'pending']);
  });

  it('ignores the reply leg and rules of other chains', () => {
    const events = [ev(0, { chain: 'KUBE-SERVICES', rule: 1, matched: true }), ev(1, { rule: 1, matched: true, leg: 'reply' })];
    const m = cascadeModel(THREE, events, 1);
    expect(m?.kind === 'rules' && m.steps.map((s) => s.state)).toEqual(['pending', 'pending']);
  });

  it('draws nothing with fewer than two fates reached through a decision', () => {
    expect(cascadeModel([], [], 0)).toBeNull();
    expect(cascadeModel([fate('10.0.0.1:80', 1, [])], [], 0)).toBeNull();
    expect(cascadeModel([{ verdict: 'REJECT', dnat: null, masquerade: false, probability: 1, path: [] }], [], 0)).toBeNull();
    // two fates, but only one reached through a decision
    expect(cascadeModel([fate('10.0.0.1:80', 0.5, [d(1, 0.5, true)]), fate('10.0.0.2:80', 0.5, [])], [], 0)).toBeNull();
  });

  it('does not draw a cascade the fates do not form: shares only', () => {
    // a fate reached by two leaves: its share is not the product along the path it shows
    const merged = [fate('10.0.0.1:80', 0.75, [d(1, 0.5, true)]), fate('10.0.0.2:80', 0.25, [d(1, 0.5, false), d(2, 0.5, true)])];
    const m = cascadeModel(merged, [], 0);
    expect(m).toMatchObject({ kind: 'shares', scheduler: null });
    expect(m?.kind === 'shares' && m.endpoints.map((e) => [e.name, e.share])).toEqual([
      ['10.0.0.1:80', 0.75],
      ['10.0.0.2:80', 0.25],
    ]);
    // two fates branching at the same rule
    const twice = [fate('10.0.0.1:80', 0.5, [d(1, 0.5, true)]), fate('10.0.0.2:80', 0.5, [d(1, 0.5, true)])];
    expect(cascadeModel(twice, [], 0)?.kind).toBe('shares');
  });
});

describe('cascadeModel: an IPVS scheduler’s choice', () => {
  const rr = (addr: string, probability: number, taken: boolean) => ({ label: `rr ${addr}`, probability, taken });
  const FATES: FateView[] = [
    fate('10.0.0.1:80', 0.5, [rr('10.0.0.1:80', 0.5, true)]),
    fate('10.0.0.2:80', 0.5, [rr('10.0.0.1:80', 0.5, false)]),
  ];
  const events = [ev(0, { kind: 'hook', table: null, chain: null }), ev(1, { kind: 'ipvs', table: null, chain: null, hook: 'INPUT', params: { target: '10.0.0.2:80' } })];

  it('shows the shares and the scheduler, no rule probabilities', () => {
    const m = cascadeModel(FATES, events, 0);
    expect(m).toMatchObject({ kind: 'shares', scheduler: 'rr' });
    expect(m?.kind === 'shares' && m.endpoints.map((e) => [e.name, e.share, e.state])).toEqual([
      ['10.0.0.1:80', 0.5, 'pending'],
      ['10.0.0.2:80', 0.5, 'pending'],
    ]);
  });

  it('marks the real server once the cursor reaches the IPVS step', () => {
    const m = cascadeModel(FATES, events, 1);
    expect(m?.kind === 'shares' && m.endpoints.map((e) => e.state)).toEqual(['pending', 'taken']);
  });
});

describe('cascadeModel on the evaluator’s own answer (the seed dump)', () => {
  const a = analyzeDump({ text: SEED_DUMP.text, packet: SEED_DUMP.packet });
  const run = a.run!;
  const svcRules = a.rules.filter((r) => r.chain === 'KUBE-SVC-WWRFY3PZ7W3FGMQW' && r.target?.startsWith('KUBE-SEP-'));
  const dumpLines = SEED_DUMP.text.split('\n');

  it('has a step per statistic rule of the Service chain, with the number written on the rule', () => {
    const m = cascadeModel(run.fates, run.events, 0);
    expect(m?.kind).toBe('rules');
    if (m?.kind !== 'rules') return;
    const statistic = svcRules.filter((r) => dumpLines[r.line - 1]!.includes('-m statistic'));
    expect(m.steps.map((s) => [s.chain, s.rule])).toEqual(statistic.map((r) => [r.chain, r.index]));
    for (const [i, s] of m.steps.entries()) expect(dumpLines[statistic[i]!.line - 1]).toContain(`--probability ${s.probability.toFixed(11)}`);
    // every fate drawn once, its share the evaluator's
    const drawn = [...m.steps.map((s) => s.endpoint), ...(m.fallThrough ? [m.fallThrough] : [])];
    expect(drawn.map((e) => [e.name, e.share]).sort()).toEqual(run.fates.map((f) => [f.dnat, f.probability]).sort());
  });

  it('ends on the branch that leads to where the traced packet was DNATed', () => {
    const m = cascadeModel(run.fates, run.events, run.events.length - 1);
    if (m?.kind !== 'rules') throw new Error('no cascade');
    const taken = [...m.steps.filter((s) => s.state === 'taken').map((s) => s.endpoint), ...(m.fallThrough?.state === 'taken' ? [m.fallThrough] : [])];
    expect(taken.map((e) => e.name)).toEqual([run.outcome.dnat]);
    // every rule above the taken branch was passed over
    const k = m.steps.findIndex((s) => s.state === 'taken');
    const above = k < 0 ? m.steps : m.steps.slice(0, k);
    expect(above.every((s) => s.state === 'passed')).toBe(true);
  });
});

describe('visibleRows (a long cascade)', () => {
  it('draws all rows of a short cascade, and head, the taken branch with its neighbours, and tail of a long one', async () => {
    const { visibleRows } = await import('./Cascade.tsx');
    expect(visibleRows(['pending', 'taken', 'pending'], 12)).toEqual([0, 1, 2]);
    const states = Array.from({ length: 300 }, (_, i) => (i < 150 ? 'passed' : i === 150 ? 'taken' : 'pending')) as ('passed' | 'taken' | 'pending')[];
    const v = visibleRows(states, 12);
    expect(v.length).toBeLessThanOrEqual(12);
    expect(v).toContain(150);
    expect(v).toContain(149);
    expect(v).toContain(151);
    expect(v[0]).toBe(0);
    expect(v[v.length - 1]).toBe(299);
    expect([...v].sort((a, b) => a - b)).toEqual(v);
  });
});
