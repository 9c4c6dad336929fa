// Every assertion of ../shared/conformance/kube-proxy-ipvs (upstream kube-proxy test checks), one
// `it` per folder and phase; plus the derived files (research model output) as a second tier.
import { describe, expect, it } from 'vitest';
import { readVectorFile, vectorFolders } from '../../testing/conformance.ts';
import { generateIpvs } from './proxier.ts';
import { chainLines, JUMP_RULES, jumpRuleArgs, restoreRules } from './iptables.ts';
import { ipsetName } from './ipsets.ts';
import { loadVectorObjects, vectorConfig } from './vector-input.ts';
import { hostPort } from '../../ipvs/addr.ts';
import { virtualServerKey, type IpvsDataplane, type VirtualServer } from '../../ipvs/types.ts';

const FAMILY = 'kube-proxy-ipvs' as const;
const folders = vectorFolders(FAMILY).filter((f) => f !== 'mh-maglev-derived');

interface Assertion {
  kind: string;
  [k: string]: unknown;
}
interface Phase {
  name: string;
  input: string | null;
  configOverride?: Record<string, unknown>;
  assertions: Assertion[];
}

const rsStrings = (vs: VirtualServer) => vs.realServers.map((r) => hostPort(r.address, r.port)).sort();
const normVs = (vs: VirtualServer) => ({
  key: virtualServerKey(vs),
  scheduler: vs.scheduler,
  flags: vs.flags,
  timeout: vs.timeout,
  realServers: [...vs.realServers]
    .map(({ address, port, weight }) => ({ address, port, weight }))
    .sort((a, b) => (hostPort(a.address, a.port) < hostPort(b.address, b.port) ? -1 : 1)),
});

function findVs(dp: IpvsDataplane, key: string): VirtualServer | undefined {
  return dp.virtualServers.find((v) => virtualServerKey(v) === key);
}

function check(dp: IpvsDataplane, a: Assertion): void {
  const family = dp.family ?? 4;
  switch (a.kind) {
    case 'ipvsState': {
      const want = (a.virtualServers as VirtualServer[]).map(normVs).sort((x, y) => (x.key < y.key ? -1 : 1));
      const got = dp.virtualServers.map(normVs).sort((x, y) => (x.key < y.key ? -1 : 1));
      expect(got).toEqual(want);
      return;
    }
    case 'virtualServerCount':
      expect(dp.virtualServers.map(virtualServerKey)).toHaveLength(a.count as number);
      return;
    case 'realServers': {
      const vs = findVs(dp, a.virtualServer as string);
      expect(vs, `virtual server ${a.virtualServer as string}`).toBeDefined();
      expect(rsStrings(vs!)).toEqual(a.realServers);
      return;
    }
    case 'virtualServerExists':
      expect((a.anyOf as string[]).some((k) => findVs(dp, k))).toBe(true);
      return;
    case 'realServersIfPresent': {
      const vs = findVs(dp, a.virtualServer as string);
      if (vs) for (const r of rsStrings(vs)) expect(a.allowed).toContain(r);
      return;
    }
    case 'ipsetEntries': {
      const name = ipsetName(a.set as string, family);
      const set = dp.ipsets.find((s) => s.name === name);
      expect(set, `ipset ${name}`).toBeDefined();
      expect([...set!.entries].sort()).toEqual([...(a.entries as string[])].sort());
      return;
    }
    case 'iptablesChain': {
      const rules = restoreRules(dp.iptablesRestore)
        .filter((r) => r.chain === a.chain)
        .sort((x, y) => (x.table === y.table ? 0 : x.table === 'nat' ? -1 : 1));
      const want = a.rules as { jump: string; matchSet: string; source?: string }[];
      expect(rules.map((r) => ({ jump: r.jump, matchSet: r.matchSet === '' ? '' : r.matchSet, ...(r.source ? { source: r.source } : {}) }))).toEqual(
        want.map((w) => ({ jump: w.jump, matchSet: w.matchSet === '' ? '' : ipsetName(w.matchSet, family), ...(w.source ? { source: w.source } : {}) })),
      );
      return;
    }
    case 'firstRule': {
      const r = restoreRules(dp.iptablesRestore).find((x) => x.chain === a.chain);
      expect({ jump: r?.jump, source: r?.source }).toEqual({ jump: a.jump, source: a.source });
      return;
    }
    case 'masqueradeRule': {
      const m = restoreRules(dp.iptablesRestore).filter((r) => r.chain === 'KUBE-POSTROUTING' && r.jump === 'MASQUERADE');
      expect(m).toHaveLength(1);
      expect(m[0]!.text.endsWith(' --random-fully')).toBe(a.randomFully);
      return;
    }
    case 'allVirtualServersTimeout':
      expect(dp.virtualServers.length).toBeGreaterThan(0);
      for (const vs of dp.virtualServers) expect(vs.timeout, virtualServerKey(vs)).toBe(a.timeout);
      return;
    case 'boundAddresses':
      expect(dp.dummyInterface.addresses.map((x) => x.split('/')[0]).sort()).toEqual([...(a.addresses as string[])].sort());
      return;
    default:
      throw new Error(`unknown assertion kind ${a.kind}`);
  }
}

describe.skipIf(folders.length === 0)('kube-proxy IPVS vectors (upstream assertions)', () => {
  for (const folder of folders) {
    const expected = JSON.parse(readVectorFile(FAMILY, folder, 'expected.json') ?? '{"phases":[]}') as { phases: Phase[] };
    const config = JSON.parse(readVectorFile(FAMILY, folder, 'config.json') ?? '{}') as Record<string, unknown>;
    expected.phases.forEach((phase, i) => {
      it(`${folder} / phase ${i + 1}: ${phase.name}`, () => {
        if (phase.input === null) {
          for (const a of phase.assertions) {
            const file = readVectorFile(FAMILY, folder, a.file as string);
            const table = (a.what as string).startsWith('nat') ? 'nat' : 'filter';
            expect(chainLines(table)).toBe(file);
          }
          const jumps = (expected as unknown as { jumpRulesFromBuiltinChains?: { table: string; chain: string; rule: string }[] })
            .jumpRulesFromBuiltinChains;
          if (jumps) expect(JUMP_RULES.map((j) => ({ table: j.table, chain: j.from, rule: jumpRuleArgs(j) }))).toEqual(jumps.map(({ table, chain, rule }) => ({ table, chain, rule })));
          return;
        }
        const objs = loadVectorObjects(readVectorFile(FAMILY, folder, phase.input)!);
        const dp = generateIpvs(objs.services, objs.slices, vectorConfig(config, phase.configOverride));
        for (const a of phase.assertions) check(dp, a);
      });
    });
  }
});

describe.skipIf(folders.length === 0)('kube-proxy IPVS vectors (derived files, phase 1)', () => {
  for (const folder of folders) {
    const restore = readVectorFile(FAMILY, folder, 'derived-iptables-restore.txt');
    const state = readVectorFile(FAMILY, folder, 'derived-state.json');
    if (restore === null || state === null) continue;
    it(`${folder}: iptables-restore text, ipsets, kube-ipvs0`, () => {
      const expected = JSON.parse(readVectorFile(FAMILY, folder, 'expected.json')!) as { phases: Phase[] };
      const config = JSON.parse(readVectorFile(FAMILY, folder, 'config.json')!) as Record<string, unknown>;
      const p = expected.phases[0]!;
      const objs = loadVectorObjects(readVectorFile(FAMILY, folder, p.input!)!);
      const dp = generateIpvs(objs.services, objs.slices, vectorConfig(config, p.configOverride));
      expect(dp.iptablesRestore).toBe(restore);
      const s = JSON.parse(state) as { ipsets: Record<string, string[]>; kubeIpvs0Addresses: string[]; nodePortAddressesUsed: string[] };
      const fam = dp.family ?? 4;
      const nonEmpty = Object.fromEntries(dp.ipsets.filter((x) => x.entries.length).map((x) => [x.name, [...x.entries].sort()]));
      expect(nonEmpty).toEqual(Object.fromEntries(Object.entries(s.ipsets).map(([k, v]) => [k.startsWith('KUBE-6-') ? k : ipsetName(k, fam), [...v].sort()])));
      expect(dp.dummyInterface.addresses.map((a) => a.split('/')[0])).toEqual(s.kubeIpvs0Addresses);
      expect([...(dp.nodePortAddresses ?? [])].sort()).toEqual([...s.nodePortAddressesUsed].sort());
    });
  }
});
