// kube-proxy's 246 packet-flow cases (conformance/kube-proxy-iptables-flows), run through the
// kernel-faithful evaluator on a node holding kube-proxy's ensured jump rules plus the rules of
// each phase. The rules come from the iptables-proxy generator; the folder's derived dump (a
// research model's output, "derived") is run too, as a second, independent source of the rules.
import { describe, expect, it } from 'vitest';
import { conformanceDir, readVectorFile, vectorFolders } from '../testing/conformance.ts';
import { generateIptablesRestore } from '../proxy/iptables/proxier.ts';
import { parseVectorInput } from '../proxy/iptables/testinputs.ts';
import { parseDump } from './parse.ts';
import { kubeProxyNode } from './kube-jumps.ts';
import { runFlow, type FlowCase } from './flows.ts';
import type { Ruleset } from './model.ts';
import type { NodeModel } from './trace-types.ts';

const FAMILY = 'kube-proxy-iptables-flows';
const dir = conformanceDir(FAMILY);
const folders = vectorFolders(FAMILY);

interface Phase {
  name: string;
  input: string;
  derivedDump?: string;
  flows: FlowCase[];
}

function load(folder: string) {
  const config = JSON.parse(readVectorFile(FAMILY, folder, 'config.json')!);
  const expected = JSON.parse(readVectorFile(FAMILY, folder, 'expected-flows.json')!) as { phases: Phase[] };
  const node: NodeModel = { localIPs: config.packetTracer.localIPs, interfaces: config.nodeInterfaces, nodeIP: config.nodeIP };
  return { config, expected, node };
}

function rulesFor(folder: string, config: Record<string, unknown>, phase: Phase, source: 'generator' | 'derived'): Ruleset {
  const family = config.ipFamily === 'IPv6' ? 'ipv6' : 'ipv4';
  if (config.staticRules) return parseDump(readVectorFile(FAMILY, folder, phase.input)!).ruleset;
  if (source === 'derived') return kubeProxyNode(readVectorFile(FAMILY, folder, phase.derivedDump!)!, family);
  const { services, slices } = parseVectorInput(readVectorFile(FAMILY, folder, phase.input)!);
  return kubeProxyNode(generateIptablesRestore(services, slices, config), family);
}

describe.skipIf(!dir)('kube-proxy-iptables-flows: 246 packets through the kernel-faithful evaluator', () => {
  it('has the 30 folders and 246 flows the README lists', () => {
    expect(folders).toHaveLength(30);
    const total = folders.reduce((n, f) => n + load(f).expected.phases.reduce((m, p) => m + p.flows.length, 0), 0);
    expect(total).toBe(246);
  });

  for (const source of ['generator', 'derived'] as const) {
    describe(`rules from the ${source === 'generator' ? 'iptables-proxy generator (generateIptablesRestore)' : 'derived dump'}`, () => {
      for (const folder of folders) {
        it(folder, () => {
          const { config, expected, node } = load(folder);
          const got: string[] = [];
          const want: string[] = [];
          for (const phase of expected.phases) {
            const rs = rulesFor(folder, config, phase, source);
            for (const f of phase.flows) {
              const r = runFlow(rs, node, f);
              got.push(`${phase.name} / ${f.name}: "${r.output}" masq=${r.masq}`);
              want.push(`${phase.name} / ${f.name}: "${f.output}" masq=${f.masq}`);
              // kube-proxy's rules use only matches the evaluator knows
              expect(r.unknownOnPath, `${f.name}: unknown matches on the path`).toBe(0);
            }
          }
          expect(got).toEqual(want);
        });
      }
    });
  }

  it('detects a broken ruleset (no masquerade without the POSTROUTING jump)', () => {
    const folder = 'cluster-ip-general';
    const { config, expected, node } = load(folder);
    const phase = expected.phases[0];
    const rs = rulesFor(folder, config, phase, 'derived');
    const nat = rs.tables.find((t) => t.name === 'nat')!;
    const broken: Ruleset = { ...rs, tables: rs.tables.map((t) => (t !== nat ? t : { ...t, chains: t.chains.map((c) => (c.name === 'POSTROUTING' ? { ...c, rules: [] } : c)) })) };
    const masqFlows = phase.flows.filter((f) => f.masq);
    expect(masqFlows.length).toBeGreaterThan(0);
    for (const f of masqFlows) expect(runFlow(broken, node, f).masq).toBe(false);
  });
});
