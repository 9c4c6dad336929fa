// The IPVS step inside the netfilter evaluator: same evaluator as iptables mode, with the node's
// IPVS-mode rules, kube-ipvs0 addresses as local, and the scheduler at LOCAL_IN.
import { describe, expect, it } from 'vitest';
import { trace } from '../../netfilter/evaluate.ts';
import { outcomes } from '../../netfilter/outcomes.ts';
import { createRng } from '../../util/rng.ts';
import { parseDump, printSave } from '../../netfilter/index.ts';
import { resolveProxierConfig } from '../config.ts';
import { generateIpvs } from './proxier.ts';
import { ipvsHook, ipvsIpsets, ipvsJumpsRestore, ipvsNodeModel, ipvsNodeRuleset, ipvsSave } from './node.ts';
import { nginxScenario } from './scenario.ts';

const { services, slices } = nginxScenario();
const config = resolveProxierConfig({ kubeProxyVersion: 'v1.34.0' });
const dp = generateIpvs(services, slices, config);
const node = ipvsNodeModel(dp, { localIPs: ['192.168.0.2', '127.0.0.1'], nodeIP: '192.168.0.2' });
const base = { ruleset: ipvsNodeRuleset(dp), node, ipsets: ipvsIpsets(dp), ipvs: ipvsHook(dp) };

describe('IPVS mode through the netfilter evaluator', () => {
  it('pod -> ClusterIP: accepted in PREROUTING, local because of kube-ipvs0, IPVS picks a pod, not masqueraded', () => {
    const r = trace({ ...base, packet: { src: '10.244.1.9', sport: 40000, dst: '10.96.0.50', dport: 80, proto: 'tcp' }, rng: createRng(1) });
    const kinds = r.events.map((e) => e.kind);
    expect(kinds).toContain('ipvs');
    const routing = r.events.find((e) => e.kind === 'routing')!;
    expect(routing.reasonKey).toBe('trace.routing.local');
    expect(['10.244.1.5:8080', '10.244.2.7:8080']).toContain(r.outcome.dnat);
    expect(r.outcome.masquerade).toBe(false);
    const accept = r.events.find((e) => e.chain === 'KUBE-SERVICES' && e.matched && e.action === 'ACCEPT');
    expect(accept).toBeDefined();
  });

  it('rr gives each real server half of the new connections (all outcomes enumerated)', () => {
    const o = outcomes({ ...base, packet: { src: '10.244.1.9', sport: 40000, dst: '10.96.0.50', dport: 80, proto: 'tcp' } });
    const fates = o.fates.map((f) => [f.dnat, Math.round(f.probability * 1000) / 1000]).sort();
    expect(fates).toEqual([['10.244.1.5:8080', 0.5], ['10.244.2.7:8080', 0.5]]);
  });

  it('external client -> NodePort: marked in KUBE-NODE-PORT and masqueraded in POSTROUTING', () => {
    const r = trace({ ...base, packet: { src: '203.0.113.9', sport: 5555, dst: '192.168.0.2', dport: 30080, proto: 'tcp', inIface: 'eth0' }, rng: createRng(2) });
    expect(r.events.some((e) => e.chain === 'KUBE-NODE-PORT' && e.matched && e.action?.includes('KUBE-MARK-MASQ'))).toBe(true);
    expect(r.outcome.masquerade).toBe(true);
    expect(r.outcome.dnat).not.toBeNull();
  });

  it('a port no Service uses on a kube-ipvs0 address is rejected by KUBE-IPVS-FILTER', () => {
    const r = trace({ ...base, packet: { src: '10.244.1.9', sport: 40000, dst: '10.96.0.50', dport: 22, proto: 'tcp' }, rng: createRng(3) });
    expect(r.outcome.verdict).toBe('REJECT');
    expect(r.outcome.decidedBy?.chain).toBe('KUBE-IPVS-FILTER');
  });

  it('a ping to a ClusterIP is rejected by KUBE-IPVS-FILTER (ipvs.note.ping)', () => {
    const r = trace({ ...base, packet: { src: '10.244.1.9', dst: '10.96.0.50', proto: 'icmp' }, rng: createRng(4) });
    expect(r.outcome.verdict).toBe('REJECT');
    expect(r.outcome.decidedBy?.chain).toBe('KUBE-IPVS-FILTER');
  });

  it('a Service with no endpoints: its virtual server has no real servers, IPVS answers ICMP port unreachable (REJECT)', () => {
    const lonely = { ...services[0]!, metadata: { name: 'lonely', namespace: 'default' }, spec: { ...services[0]!.spec, clusterIP: '10.96.0.77', ports: [{ name: 'http', protocol: 'TCP' as const, port: 80, targetPort: 8080, nodePort: 30077 }] } };
    const dp2 = generateIpvs([...services, lonely], slices, config);
    expect(dp2.virtualServers.find((v) => v.address === '10.96.0.77')?.realServers).toEqual([]);
    const b2 = { ruleset: ipvsNodeRuleset(dp2), node: ipvsNodeModel(dp2, { localIPs: ['192.168.0.2', '127.0.0.1'], nodeIP: '192.168.0.2' }), ipsets: ipvsIpsets(dp2), ipvs: ipvsHook(dp2) };
    const r = trace({ ...b2, packet: { src: '10.244.1.9', sport: 40000, dst: '10.96.0.77', dport: 80, proto: 'tcp' }, rng: createRng(5) });
    expect(r.outcome.verdict).toBe('REJECT');
    expect(r.outcome.dnat).toBeNull();
    const ev = r.events.find((e) => e.kind === 'ipvs')!;
    expect(ev.action).toBe('REJECT');
    expect(ev.reason).toContain('ICMP port unreachable');
    // every fate of a new connection is that one REJECT
    const o = outcomes({ ...b2, packet: { src: '10.244.1.9', sport: 40000, dst: '10.96.0.77', dport: 80, proto: 'tcp' } });
    expect(o.fates.map((f) => [f.verdict, f.probability])).toEqual([['REJECT', 1]]);
    // the Service with endpoints on the same node is unaffected
    expect(trace({ ...b2, packet: { src: '10.244.1.9', sport: 40000, dst: '10.96.0.50', dport: 80, proto: 'tcp' }, rng: createRng(5) }).outcome.verdict).toBe('ACCEPT');
  });

  it('the save rendering holds the ensured jumps on top of the built-in chains', () => {
    const save = ipvsSave(dp);
    expect(save).toContain('-A INPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER');
    const input = save.split('\n').filter((l) => l.startsWith('-A INPUT'));
    expect(input.map((l) => l.split(' -j ')[1])).toEqual(['KUBE-IPVS-FILTER', 'KUBE-PROXY-FIREWALL', 'KUBE-NODE-PORT']);
    expect(ipvsJumpsRestore()).toContain(':OUTPUT ACCEPT [0:0]');
  });

  it('save: header comments, mangle/filter/nat in order, canonical forms, stable through the dump parser', () => {
    const save = ipvsSave(dp);
    expect(save.split('\n')[0]).toMatch(/^# Generated by iptables-save v\S+ on /);
    expect(save.match(/^\*\w+$/gm)).toEqual(['*mangle', '*filter', '*nat']);
    expect(save).toContain('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000');
    expect(save).toContain('-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0');
    expect(printSave(parseDump(save).ruleset)).toBe(save);
    expect(ipvsSave(dp, { header: false, tables: ['nat'] }).startsWith('*nat\n')).toBe(true);
  });
});
