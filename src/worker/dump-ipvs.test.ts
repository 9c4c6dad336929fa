import { describe, expect, it } from 'vitest';
import { analyzeDump } from './dump.ts';
import { runPipeline } from '../engine/pipeline.ts';
import { findScenario } from '../engine/scenario/scenarios.ts';
import { localAddresses } from '../ui/GenerateScreen.tsx';

// The nginx scenario in IPVS mode, traced as the page does: the node's iptables-save text plus
// its IPVS state (kube-ipvs0, ipsets, virtual servers) handed to the same evaluator.
function nginxIpvs() {
  const s = findScenario('nginx-clusterip')!;
  const r = runPipeline({ yaml: s.yaml, mode: 'ipvs', node: s.node, config: s.config, cluster: s.cluster });
  const dp = r.dataplane!;
  return { s, dp, localIPs: localAddresses(r.config!) };
}

describe('analyzeDump in IPVS mode', () => {
  it('walks the ClusterIP packet through IPVS at LOCAL_IN to one of the three pods', () => {
    const { s, dp, localIPs } = nginxIpvs();
    expect(dp.ipvs).not.toBeNull();
    const a = analyzeDump({ text: dp.iptables!.save, packet: s.packet, localIPs, ipvs: dp.ipvs!, samples: 300 });
    expect(a.packetError).toBeNull();
    const events = a.run!.events;
    const ipvs = events.filter((e) => e.kind === 'ipvs' && e.leg !== 'reply');
    expect(ipvs).toHaveLength(1);
    const target = String(ipvs[0]!.params.target);
    expect(['10.244.154.195:80', '10.244.154.196:80', '10.244.235.208:80']).toContain(target);
    expect(a.run!.outcome.dnat).toBe(target);
    // IPVS sits behind the routing decision, which found the ClusterIP local because of kube-ipvs0
    const routing = events.findIndex((e) => e.kind === 'routing');
    expect(routing).toBeGreaterThanOrEqual(0);
    expect(routing).toBeLessThan(events.indexOf(ipvs[0]!));
    // rr over three real servers: every fate is a third
    const fates = a.run!.fates.map((f) => [f.dnat, Number(f.probability.toFixed(6))]).sort();
    expect(fates).toEqual([
      ['10.244.154.195:80', 0.333333],
      ['10.244.154.196:80', 0.333333],
      ['10.244.235.208:80', 0.333333],
    ]);
    expect(a.run!.samples!.counts.reduce((n, c) => n + c.count, 0)).toBe(300);
    // the reply leg: from the chosen pod, un-NATed back to the ClusterIP the client dialled
    const reply = a.run!.reply!;
    expect(reply.packet.src).toBe(target);
    expect(events[reply.firstEvent]!.leg).toBe('reply');
    // IPVS, not nf_nat, made the DNAT: IPVS's reply hook (FORWARD, after filter) undoes it
    const back = events.slice(reply.firstEvent);
    expect(back.some((e) => e.reasonKey === 'trace.ct.undnat')).toBe(false);
    const un = back.find((e) => e.reasonKey === 'trace.ipvs.reply')!;
    expect(un).toMatchObject({ kind: 'ipvs', hook: 'FORWARD' });
    expect(un.packetAfter.src).toBe(s.packet.dst.replace(/:\d+$/, ''));
    expect(reply.outcome.final.src).toBe(s.packet.dst.replace(/:\d+$/, ''));
    expect(back.some((e) => e.reasonKey === 'trace.ipvs')).toBe(false);
  });

  it('without the IPVS state the same iptables rules do not reach a pod', () => {
    const { s, dp, localIPs } = nginxIpvs();
    const a = analyzeDump({ text: dp.iptables!.save, packet: s.packet, localIPs });
    expect(a.run!.events.some((e) => e.kind === 'ipvs')).toBe(false);
    expect(a.run!.outcome.dnat).toBeNull();
  });
});
