// Runs kube-proxy's packet-flow test cases (conformance/kube-proxy-iptables-flows) through the
// kernel-faithful evaluator and maps the result onto the upstream tracer's output string, as that
// folder's README prescribes: every branch's DNAT target in rule order, else the filter verdict;
// "ACCEPT" only for an explicit ACCEPT in filter KUBE-NODEPORTS; masq = some branch masqueraded.
import { outcomes } from './outcomes.ts';
import type { Ruleset } from './model.ts';
import type { NodeModel } from './trace-types.ts';

export interface FlowCase {
  name: string;
  sourceIP: string;
  protocol: string;
  destIP: string;
  destPort: number;
  output: string;
  masq: boolean;
}

export interface FlowResult {
  output: string;
  masq: boolean;
  unknownOnPath: number;
}

export function runFlow(rs: Ruleset, node: NodeModel, f: FlowCase): FlowResult {
  const r = outcomes({ ruleset: rs, node, packet: { src: f.sourceIP, dst: f.destIP, dport: f.destPort, proto: f.protocol || 'tcp', sport: null } });
  const tokens: string[] = [];
  let masq = false;
  let unknownOnPath = 0;
  for (const fate of r.fates) {
    masq ||= fate.masquerade;
    unknownOnPath += fate.example.unknownOnPath;
    let t = '';
    if (fate.dnat) t = fate.dnat;
    else if (fate.verdict === 'DROP' || fate.verdict === 'REJECT') t = fate.verdict;
    else if (fate.example.decidedBy && fate.example.decidedBy.table === 'filter' && fate.example.decidedBy.chain === 'KUBE-NODEPORTS') t = 'ACCEPT';
    if (t && !tokens.includes(t)) tokens.push(t);
  }
  return { output: tokens.join(', '), masq, unknownOnPath };
}
