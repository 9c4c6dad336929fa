import { describe, expect, it } from 'vitest';
import { compareModes, podRestartDiff } from './compare.ts';
import { nginxScenario } from './scenario.ts';

const { services, slices } = nginxScenario();
const config = { kubeProxyVersion: 'v1.34.0' };
const node = { localIPs: ['192.168.0.2', '127.0.0.1'], nodeIP: '192.168.0.2' };

describe('iptables vs IPVS for one scenario', () => {
  it('the same pod -> ClusterIP packet reaches the same two pods with the same shares in both modes', () => {
    const c = compareModes(services, slices, config, { src: '10.244.1.9', sport: 40000, dst: '10.96.0.50', dport: 80, proto: 'tcp' }, node);
    const norm = (f: { dnat: string | null; probability: number }[]) => f.map((x) => [x.dnat, Math.round(x.probability * 1e6) / 1e6]).sort();
    expect(norm(c.iptables.fates)).toEqual([['10.244.1.5:8080', 0.5], ['10.244.2.7:8080', 0.5]]);
    expect(norm(c.ipvs.fates)).toEqual(norm(c.iptables.fates));
    expect(c.ipvs.ipvsObjects).toBe(2 + 4);
    expect(c.iptables.rulesOnNode).toBeGreaterThan(0);
    expect(c.ipvs.rulesEvaluated).toBeGreaterThan(0);
  });

  it('a pod restart rewrites iptables-mode chains but only swaps a real server and an ipset entry in IPVS mode', () => {
    const after = slices.map((s) => ({ ...s, endpoints: s.endpoints!.map((e) => (e.addresses[0] === '10.244.1.5' ? { ...e, addresses: ['10.244.1.6'] } : e)) }));
    const d = podRestartDiff(services, slices, after, config);
    expect(d.iptables.linesAdded.length).toBeGreaterThan(0);
    expect(d.iptables.linesRemoved.some((l) => l.includes('10.244.1.5'))).toBe(true);
    expect(d.ipvs.iptablesLinesChanged).toBe(0);
    expect(d.ipvs.realServersRemoved).toEqual(['TCP 10.96.0.50:80 -> 10.244.1.5:8080', 'TCP 192.168.0.2:30080 -> 10.244.1.5:8080']);
    expect(d.ipvs.realServersAdded).toEqual(['TCP 10.96.0.50:80 -> 10.244.1.6:8080', 'TCP 192.168.0.2:30080 -> 10.244.1.6:8080']);
    expect(d.ipvs.ipsetEntriesRemoved).toEqual(['KUBE-LOOP-BACK 10.244.1.5,tcp:8080,10.244.1.5']);
    expect(d.ipvs.ipsetEntriesAdded).toEqual(['KUBE-LOOP-BACK 10.244.1.6,tcp:8080,10.244.1.6']);
  });
});
