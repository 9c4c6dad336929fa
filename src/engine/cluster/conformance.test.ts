// The proxier vectors' inputs (Services + hand-written EndpointSlices, as kube-proxy's unit tests
// feed them) must reach the proxy stage unchanged through the control plane in allocation 'none'
// mode: same Services, same slices, and no controller slice that adds an endpoint.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { resolveProxierConfig, type ProxierConfig } from '../proxy/config.ts';
import { conformanceDir, readVectorFile, vectorFolders, type Family } from '../testing/conformance.ts';
import { proxierConfigForNode, simulateCluster } from './index.ts';

const FAMILIES: Family[] = ['kube-proxy-iptables', 'kube-proxy-iptables-flows', 'kube-proxy-ipvs', 'kube-proxy-nftables'];

function stripAdded(o: Record<string, unknown>): unknown {
  const m = { ...(o.metadata as Record<string, unknown>) };
  delete m.uid;
  return { ...o, metadata: m };
}

for (const family of FAMILIES) {
  const absent = conformanceDir(family) === null;
  describe.skipIf(absent)(`${family} inputs pass through the control plane`, () => {
    const folders = vectorFolders(family).filter((f) => readVectorFile(family, f, 'input.yaml') !== null);
    it('has vectors with inputs', () => {
      expect(folders.length).toBeGreaterThan(10);
    });
    it.each(folders)('%s', (folder) => {
      const text = readVectorFile(family, folder, 'input.yaml') as string;
      const docs = parseAllDocuments(text)
        .map((d) => d.toJS() as Record<string, unknown> | null)
        .filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object');
      for (const d of docs) {
        const meta = (d.metadata ??= {}) as Record<string, unknown>;
        meta.namespace ??= 'default';
      }
      const state = simulateCluster({ objects: docs.map((d) => ({ kind: d.kind as string, object: d })) }, { allocation: 'none' });
      expect(state.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      const services = docs.filter((d) => d.kind === 'Service');
      const slices = docs.filter((d) => d.kind === 'EndpointSlice');
      expect(state.services.map((s) => stripAdded(s as unknown as Record<string, unknown>))).toEqual(services);
      const out = state.endpointSlices.map((s) => stripAdded(s as unknown as Record<string, unknown>));
      for (const s of slices) expect(out).toContainEqual(s);
      // whatever the controllers added carries no endpoint (the vectors have no pods)
      const added = state.endpointSlices.filter((s) => !slices.some((u) => (u.metadata as { name: string }).name === s.metadata.name));
      expect(added.flatMap((s) => s.endpoints ?? [])).toEqual([]);

      const cfgText = readVectorFile(family, folder, 'config.json');
      if (cfgText) {
        const cfg = JSON.parse(cfgText) as Partial<ProxierConfig>;
        const node = cfg.nodeName ?? 'node-1';
        expect(proxierConfigForNode(state, node, cfg)).toEqual(resolveProxierConfig({ ...cfg, nodeName: node }));
      }
    });
  });
}
