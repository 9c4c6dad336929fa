import { describe, expect, it } from 'vitest';
import { handle, loadEngine } from './handler.ts';
import type { PipelineResult } from '../engine/pipeline.ts';
import { DEFAULT_SHARE_STATE, decodeShare } from '../engine/scenario/codec.ts';

describe('worker handler', () => {
  it('runs an injected pipeline and times it with the injected clock', () => {
    let t = 10;
    const result: PipelineResult = { diagnostics: [], nodes: ['n1'], dataplane: null, cluster: null, config: null };
    const r = handle({ channel: 'pipeline', id: 4, input: { yaml: 'x', mode: 'iptables' } }, { runPipeline: () => ((t += 25), result) }, () => t);
    expect(r).toEqual({ channel: 'pipeline', id: 4, kind: 'result', result: { ...result, dns: [], map: null, ipvsViews: null, eligibility: [] }, ms: 25 });
  });

  it('renders the IPVS views of an IPVS-mode node for the page', async () => {
    const { runPipeline } = await import('../engine/pipeline.ts');
    const { findScenario } = await import('../engine/scenario/scenarios.ts');
    const s = findScenario('nginx-clusterip')!;
    const r = handle({ channel: 'pipeline', id: 5, input: { yaml: s.yaml, mode: 'ipvs', node: s.node, config: s.config, cluster: s.cluster } }, { runPipeline }, () => 0);
    expect(r.kind).toBe('result');
    const v = (r as { result: { ipvsViews: { ipvsadm: string; ipset: string; ipaddr: string } } }).result.ipvsViews;
    expect(v.ipvsadm).toMatch(/^TCP {2}10\.102\.249\.128:80 rr$/m);
    expect(v.ipset).toMatch(/^Name: KUBE-CLUSTER-IP$/m);
    expect(v.ipaddr).toContain('inet 10.102.249.128/32');
    // simulated connection counts show in ActiveConn / InActConn
    const c = handle({ channel: 'pipeline', id: 6, input: { yaml: s.yaml, mode: 'ipvs', node: s.node, config: s.config, cluster: s.cluster, ipvsConns: { 'TCP 10.102.249.128:80 -> 10.244.154.195:80': [7, 3] } } }, { runPipeline }, () => 0);
    const vc = (c as { result: { ipvsViews: { ipvsadm: string } } }).result.ipvsViews;
    expect(vc.ipvsadm).toMatch(/-> 10\.244\.154\.195:80 +Masq +1 +7 +3/);
    expect(v.ipvsadm).toMatch(/-> 10\.244\.154\.195:80 +Masq +1 +0 +0/);
  });

  it('encodes share links and strips the simulated cluster from pipeline answers', () => {
    const share = handle({ channel: 'share', id: 9, input: { ...DEFAULT_SHARE_STATE, yaml: 'a: 1\n' } }, {}, () => 0);
    expect(share.kind).toBe('result');
    if (share.kind === 'result') expect(decodeShare(share.result as string)).toMatchObject({ ok: true, state: { yaml: 'a: 1\n' } });
    const cluster = {
      nodes: [{ name: 'n1', labels: {}, zone: 'z', internalIP: '192.168.0.2', podCIDR: '10.244.0.0/24', pasted: true, ready: true }],
      pods: [{ metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1', containers: [] }, status: { podIP: '10.244.0.5', conditions: [{ type: 'Ready', status: 'False' }] } }],
      services: [],
      dns: [{ name: 'a.default.svc.cluster.local.', type: 'A', value: '10.96.0.1' }, { name: 'x', type: 'SRV', value: 'y' }],
    };
    const full = { diagnostics: [], nodes: [], dataplane: null, cluster: cluster as never, config: null };
    const r = handle({ channel: 'pipeline', id: 1, input: { yaml: '', mode: 'iptables' } }, { runPipeline: () => full }, () => 0);
    expect(r).toMatchObject({
      kind: 'result',
      result: {
        cluster: null,
        dns: [{ name: 'a.default.svc.cluster.local.', type: 'A', value: '10.96.0.1' }],
        map: { nodes: [{ name: 'n1', zone: 'z', region: null, ip: '192.168.0.2' }], pods: [{ key: 'default/p', ip: '10.244.0.5', node: 'n1', readiness: 'notReady' }] },
      },
    });
  });

  it('says not ready when a stage is missing, and turns a throw into an error answer', () => {
    expect(handle({ channel: 'explain', id: 1, input: { text: '*nat\n-A KUBE-SERVICES -j KUBE-NODEPORTS\nCOMMIT\n' } }, {}, () => 0)).toMatchObject({
      kind: 'result',
      result: { format: 'iptables-save', explanation: null, rules: [{ line: 2, chain: 'KUBE-SERVICES', target: 'KUBE-NODEPORTS' }] },
    });
    expect(handle({ channel: 'pipeline', id: 2, input: { yaml: '', mode: 'ipvs' } }, {}, () => 0)).toMatchObject({ kind: 'notReady' });
    const r = handle({ channel: 'pipeline', id: 3, input: { yaml: '', mode: 'ipvs' } }, { runPipeline: () => { throw new RangeError('Maximum call stack size exceeded'); } }, () => 0);
    expect(r).toEqual({ channel: 'pipeline', id: 3, kind: 'error', message: 'Maximum call stack size exceeded' });
  });

  it('finds runPipeline once the lead has wired it (otherwise reports it missing)', async () => {
    const fns = await loadEngine();
    const mod = (await import('../engine/pipeline.ts')) as Record<string, unknown>;
    expect(typeof fns.runPipeline).toBe(typeof mod.runPipeline === 'function' ? 'function' : 'undefined');
  });
});
