import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/pipeline.ts';
import { findScenario } from '../../engine/scenario/scenarios.ts';
import { eligibilityForNode } from '../../engine/proxy/eligibility.ts';
import { analyzeDump } from '../../worker/dump.ts';
import { localAddresses } from '../GenerateScreen.tsx';
import { activeColumn, reportForPacket } from './eligibilityModel.ts';

function scenarioRun(id: string) {
  const s = findScenario(id)!;
  const r = runPipeline({ yaml: s.yaml, mode: 'iptables', node: s.node, config: s.config, cluster: s.cluster });
  const reports = eligibilityForNode(r.cluster!.services, r.cluster!.endpointSlices, r.config!);
  const run = analyzeDump({ text: r.dataplane!.iptables!.save, packet: s.packet, localIPs: localAddresses(r.config!) }).run!;
  return { s, reports, run };
}

describe('the eligibility panel follows the packet', () => {
  it('finds the Service by ClusterIP:port and by node port, and not for another protocol', () => {
    const c = scenarioRun('nginx-clusterip');
    expect(reportForPacket(c.reports, '10.102.249.128:80', 'tcp')?.service).toBe('default/nginx-basic:http');
    expect(reportForPacket(c.reports, '10.102.249.128:80', 'udp')).toBeNull();
    const n = scenarioRun('etp-local');
    expect(reportForPacket(n.reports, n.s.packet.dst, 'tcp')?.nodePort).toBe(30898);
  });

  it('lights the Cluster column inside KUBE-SVC and the Local column inside KUBE-EXT under eTP Local', () => {
    const c = scenarioRun('nginx-clusterip');
    const rep = reportForPacket(c.reports, c.s.packet.dst, 'tcp')!;
    const inSvc = c.run.events.findIndex((e) => e.chain?.startsWith('KUBE-SVC-'));
    expect(inSvc).toBeGreaterThan(0);
    expect(activeColumn(c.run.events, inSvc, rep)).toMatchObject({ column: 'cluster' });
    expect(activeColumn(c.run.events, 0, rep)).toBeNull();
    const n = scenarioRun('etp-local');
    const repN = reportForPacket(n.reports, n.s.packet.dst, 'tcp')!;
    const inExt = n.run.events.findIndex((e) => e.chain?.startsWith('KUBE-EXT-'));
    expect(inExt).toBeGreaterThan(0);
    expect(activeColumn(n.run.events, inExt, repN)).toMatchObject({ column: 'local' });
    // the reply leg chooses nothing
    const reply = n.run.events.findIndex((e) => e.leg === 'reply');
    expect(reply).toBeGreaterThan(0);
    expect(activeColumn(n.run.events, reply, repN)).toBeNull();
  });
});
