import { describe, expect, it } from 'vitest';
import { analyzeDump, readPacket } from './dump.ts';
import { SEED_DUMP } from '../engine/scenario/dumps.ts';

describe('analyzeDump (the seed dump)', () => {
  it('reads the rules with their source lines', () => {
    const a = analyzeDump({ text: SEED_DUMP.text });
    expect(a.tables).toEqual(['nat']);
    const svc = a.rules.filter((r) => r.chain === 'KUBE-SVC-WWRFY3PZ7W3FGMQW');
    expect(svc.map((r) => r.target)).toEqual(['KUBE-MARK-MASQ', 'KUBE-SEP-TPL3DXVO5A7FMTEY', 'KUBE-SEP-WC7WUVTVEWVSPTYM', 'KUBE-SEP-5WXBOBXHEYR4QL4Y']);
    const lines = SEED_DUMP.text.split('\n');
    for (const r of a.rules) expect(lines[r.line - 1]).toContain(`-A ${r.chain} `);
    expect(a.run).toBeNull();
  });

  it('sends a packet to the ClusterIP: three fates, a third each, and a trace through KUBE-SVC', () => {
    const a = analyzeDump({ text: SEED_DUMP.text, packet: SEED_DUMP.packet, samples: 300 });
    expect(a.packetError).toBeNull();
    const fates = a.run!.fates.map((f) => [f.dnat, Number(f.probability.toFixed(6))]).sort();
    expect(fates).toEqual([
      ['10.244.154.195:80', 0.333333],
      ['10.244.154.196:80', 0.333333],
      ['10.244.235.208:80', 0.333333],
    ]);
    const chains = a.run!.events.filter((e) => e.kind === 'rule' && e.matched).map((e) => e.chain);
    expect(chains).toContain('KUBE-SERVICES');
    expect(chains).toContain('KUBE-SVC-WWRFY3PZ7W3FGMQW');
    expect(a.run!.outcome.dnat).toMatch(/^10\.244\.(154\.19[56]|235\.208):80$/);
    expect(a.run!.samples!.counts.reduce((n, c) => n + c.count, 0)).toBe(300);
  });

  it('explains a packet it cannot read instead of guessing', () => {
    expect(readPacket({ src: '10.0.0.1', dst: 'nginx-basic.default:80', proto: 'tcp' })).toMatchObject({ error: expect.stringContaining('DNS') });
    expect(readPacket({ src: '10.0.0.1', dst: '10.96.0.1', proto: 'tcp' })).toMatchObject({ error: expect.stringContaining('port') });
    expect(analyzeDump({ text: SEED_DUMP.text, packet: { src: '', dst: '1.2.3.4:80', proto: 'tcp' } }).packetError).toMatch(/source/);
  });

  it('never throws on junk', () => {
    for (const t of ['', '\u0000\u0001', '-A', '*nat\n-A X -j', ':::\n*\nCOMMIT\n'.repeat(50)]) {
      expect(() => analyzeDump({ text: t, packet: { src: '1.1.1.1', dst: '2.2.2.2:1', proto: 'udp' } })).not.toThrow();
    }
  });
});

describe('analyzeDump: session affinity', () => {
  it('a second connection from the same client sticks to the first one\'s endpoint, through the recent rule', async () => {
    const { runPipeline } = await import('../engine/pipeline.ts');
    const { findScenario } = await import('../engine/scenario/scenarios.ts');
    for (const id of ['session-affinity', 'nginx-clusterip']) {
      const s = findScenario(id)!;
      const r = runPipeline({ yaml: s.yaml, mode: 'iptables', node: s.node, config: s.config, cluster: s.cluster });
      const a = analyzeDump({ text: r.dataplane!.iptables!.save, packet: s.packet, localIPs: [r.config!.nodeIP], samples: 200 });
      if (id === 'nginx-clusterip') {
        expect(a.run!.again).toBeNull();
        continue;
      }
      const again = a.run!.again!;
      expect(again.sticks).toBe(true);
      expect(again.dnat).toBe(a.run!.outcome.dnat);
      expect(again.chain).toMatch(/^KUBE-SVC-/);
      const line = r.dataplane!.iptables!.save.split('\n')[again.line! - 1]!;
      expect(line).toContain('-m recent');
      expect(line).toContain('--rcheck');
      // 200 connections from one client: affinity sends every one to the same endpoint
      expect(a.run!.samples!.counts).toHaveLength(1);
    }
  });
});
