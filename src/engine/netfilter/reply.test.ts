import { describe, expect, it } from 'vitest';
import { parseDump } from './parse.ts';
import { trace } from './evaluate.ts';
import { traceReply } from './reply.ts';
import type { NodeModel, TraceInput } from './trace-types.ts';

// A node's nat table as kube-proxy writes it for one Service (ClusterIP 10.96.0.10:80, NodePort
// 30080) with one endpoint on another node.
const DUMP = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-AAAAAAAAAAAAAAAA - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-BBBBBBBBBBBBBBBB - [0:0]
:KUBE-EXT-BBBBBBBBBBBBBBBB - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-EXT-BBBBBBBBBBBBBBBB -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-BBBBBBBBBBBBBBBB -j KUBE-SVC-BBBBBBBBBBBBBBBB
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http" -m tcp --dport 30080 -j KUBE-EXT-BBBBBBBBBBBBBBBB
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-AAAAAAAAAAAAAAAA -s 10.244.2.5/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.2.5:8080
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-BBBBBBBBBBBBBBBB
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-BBBBBBBBBBBBBBBB ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-BBBBBBBBBBBBBBBB -m comment --comment "default/web:http -> 10.244.2.5:8080" -j KUBE-SEP-AAAAAAAAAAAAAAAA
COMMIT
`;
const node: NodeModel = {
  localIPs: ['192.168.0.2'],
  interfaces: [{ name: 'lo', addresses: ['127.0.0.1/8'] }, { name: 'eth0', addresses: ['192.168.0.2/24'] }, { name: 'cni0', addresses: ['10.244.1.1/24'] }],
  nodeIP: '192.168.0.2',
};
const ruleset = parseDump(DUMP).ruleset;
const run = (packet: TraceInput['packet'], from: TraceInput['from'] = 'auto') => {
  const input: TraceInput = { ruleset, node, packet, from };
  const fwd = trace(input);
  return { fwd, reply: traceReply(input, fwd) };
};

describe('traceReply: conntrack turns the answer back into what the client dialled', () => {
  it('a pod dialling a ClusterIP: the reply leaves the endpoint with its own address and reaches the client from the VIP', () => {
    const { fwd, reply } = run({ src: '10.244.1.7', sport: 40000, dst: '10.96.0.10', dport: 80, proto: 'tcp' });
    expect(fwd.outcome).toMatchObject({ verdict: 'ACCEPT', dnat: '10.244.2.5:8080', masquerade: false });
    expect(reply).not.toBeNull();
    expect(reply!.packet).toMatchObject({ src: '10.244.2.5', sport: 8080, dst: '10.244.1.7', dport: 40000 });
    const r = reply!.result;
    expect(r.events[0]).toMatchObject({ kind: 'conntrack', reasonKey: 'trace.ct.established' });
    const undnat = r.events.find((e) => e.reasonKey === 'trace.ct.undnat')!;
    expect(undnat.packetBefore.src).toBe('10.244.2.5');
    expect(undnat.packetAfter).toMatchObject({ src: '10.96.0.10', sport: 80 });
    expect(r.outcome.final).toMatchObject({ src: '10.96.0.10', sport: 80, dst: '10.244.1.7', dport: 40000 });
    // an established reply never walks the nat table's rules
    expect(r.events.some((e) => e.kind === 'rule' && e.table === 'nat')).toBe(false);
  });

  it('an outside client on a NodePort: masqueraded, so the reply comes to the node and is un-SNATed, then un-DNATed', () => {
    const { fwd, reply } = run({ src: '203.0.113.9', sport: 50000, dst: '192.168.0.2', dport: 30080, proto: 'tcp' });
    expect(fwd.outcome).toMatchObject({ verdict: 'ACCEPT', dnat: '10.244.2.5:8080', masquerade: true });
    expect(reply!.packet).toMatchObject({ src: '10.244.2.5', sport: 8080, dst: '192.168.0.2' });
    const keys = reply!.result.events.map((e) => e.reasonKey);
    expect(keys.indexOf('trace.ct.unsnat')).toBeGreaterThan(-1);
    expect(keys.indexOf('trace.ct.undnat')).toBeGreaterThan(keys.indexOf('trace.ct.unsnat'));
    expect(reply!.result.outcome.final).toMatchObject({ src: '192.168.0.2', sport: 30080, dst: '203.0.113.9', dport: 50000 });
    expect(reply!.result.outcome.verdict).toBe('ACCEPT');
  });

  it('the node itself dialling the ClusterIP: the reply is delivered locally, from the VIP', () => {
    const { fwd, reply } = run({ src: '192.168.0.2', sport: 41000, dst: '10.96.0.10', dport: 80, proto: 'tcp' });
    expect(fwd.outcome.masquerade).toBe(true);
    expect(reply!.from).toBe('auto');
    expect(reply!.result.outcome.verdict).toBe('LOCAL');
    expect(reply!.result.outcome.final).toMatchObject({ src: '10.96.0.10', sport: 80, dst: '192.168.0.2', dport: 41000 });
  });

  it('no reply to a packet that was dropped or rejected', () => {
    const rejecting = parseDump(`*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -d 10.96.0.99/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
COMMIT
`).ruleset;
    const input: TraceInput = { ruleset: rejecting, node, packet: { src: '10.244.1.7', sport: 1, dst: '10.96.0.99', dport: 80, proto: 'tcp' } };
    const fwd = trace(input);
    expect(fwd.outcome.verdict).toBe('REJECT');
    expect(traceReply(input, fwd)).toBeNull();
  });
});
