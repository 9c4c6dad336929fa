import { describe, expect, it } from 'vitest';
import { createWorkspaceStore, pipelineInput } from '../../store/workspace.ts';
import { compareScenario, restartOnePod, type CompareAnswer } from './compareModel.ts';

function nginx() {
  const store = createWorkspaceStore();
  store.getState().loadScenario('nginx-clusterip');
  return store.getState();
}

describe('compareScenario on the nginx scenario', () => {
  const s = nginx();
  const [host, port] = s.dst.split(':');
  const r = compareScenario(pipelineInput(s), { src: s.src, dst: host!, dport: Number(port), sport: 40000, proto: s.proto }) as CompareAnswer;

  it('counts rules on the node in both modes, IPVS needing fewer iptables rules plus its virtual servers', () => {
    expect('error' in r).toBe(false);
    expect(r.iptables.rulesOnNode).toBeGreaterThan(0);
    expect(r.ipvs.rulesOnNode).toBeGreaterThan(0);
    expect(r.iptables.ipvsObjects).toBe(0);
    // nginx's virtual server and its three real servers at least
    expect(r.ipvs.ipvsObjects).toBeGreaterThanOrEqual(4);
    expect(r.iptables.rulesEvaluated).toBeGreaterThan(0);
    expect(r.ipvs.rulesEvaluated).toBeGreaterThan(0);
  });

  it('restarts one nginx pod: iptables rewrites lines, IPVS swaps one real server and leaves iptables alone', () => {
    expect(r.restart).not.toBeNull();
    expect(r.restart!.from).toMatch(/^10\.244\./);
    expect(r.restart!.to).not.toBe(r.restart!.from);
    expect(r.restart!.iptablesAdded).toBeGreaterThan(0);
    expect(r.restart!.iptablesRemoved).toBeGreaterThan(0);
    expect(r.restart!.realServersChanged).toBe(2);
    expect(r.restart!.ipvsIptablesLinesChanged).toBe(0);
  });
});

describe('restartOnePod', () => {
  it('picks a free address in the same /24 and leaves the input untouched', () => {
    const slices = [{ metadata: { name: 'a', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4' as const, endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }] }];
    const r = restartOnePod(slices, 'web')!;
    expect(r.from).toBe('10.0.0.1');
    expect(r.to).toBe('10.0.0.3');
    expect(r.after[0]!.endpoints![0]!.addresses).toEqual(['10.0.0.3']);
    expect(slices[0]!.endpoints[0]!.addresses).toEqual(['10.0.0.1']);
    expect(restartOnePod([], null)).toBeNull();
  });
});
