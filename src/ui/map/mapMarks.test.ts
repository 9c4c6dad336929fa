import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/pipeline.ts';
import { findScenario } from '../../engine/scenario/scenarios.ts';
import { analyzeDump } from '../../worker/dump.ts';
import { localAddresses } from '../GenerateScreen.tsx';
import { mapMarks } from './mapMarks.ts';

function run(id: string) {
  const s = findScenario(id)!;
  const r = runPipeline({ yaml: s.yaml, mode: 'iptables', node: s.node, config: s.config, cluster: s.cluster });
  return analyzeDump({ text: r.dataplane!.iptables!.save, packet: s.packet, localIPs: localAddresses(r.config!) }).run!;
}

describe('mapMarks', () => {
  it('NodePort from outside: DNAT, then MASQUERADE to the node, then the reply leg', () => {
    const r = run('nginx-nodeport');
    const ev = r.events;
    const dnatAt = ev.findIndex((e) => e.reasonKey === 'trace.rule.dnat' && e.matched);
    const masqAt = ev.findIndex((e) => e.reasonKey === 'trace.rule.masquerade' && e.matched);
    const replyAt = ev.findIndex((e) => e.leg === 'reply');
    expect(dnatAt).toBeGreaterThan(0);
    expect(masqAt).toBeGreaterThan(dnatAt);
    expect(replyAt).toBeGreaterThan(masqAt);
    expect(mapMarks(ev, dnatAt - 1).dnat).toBeNull();
    expect(mapMarks(ev, dnatAt).dnat).toBe(r.outcome.dnat);
    expect(mapMarks(ev, masqAt - 1).masq).toBeNull();
    expect(mapMarks(ev, masqAt).masq).toBe(r.outcome.final.src);
    expect(mapMarks(ev, replyAt)).toMatchObject({ reply: true, masq: null, dnat: r.outcome.dnat });
  });

  it('eTP Local keeps the client address: no masquerade mark', () => {
    const r = run('etp-local');
    expect(r.outcome.masquerade).toBe(false);
    for (let i = 0; i < r.events.length; i++) expect(mapMarks(r.events, i).masq).toBeNull();
  });
});
