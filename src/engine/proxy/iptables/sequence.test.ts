// conformance/kube-proxy-iptables/v1.28-sync-repeated-steps: nine consecutive syncs
// (TestSyncProxyRulesRepeated), partial syncs and stale-chain deletion included.
import { describe, expect, it } from 'vitest';
import { readVectorFile, vectorFolders } from '../../testing/conformance.ts';
import type { ProxierConfig } from '../config.ts';
import { normalizeRestore } from './normalize.ts';
import { renderSave } from './save.ts';
import { IptablesProxier, changedServices, serviceFingerprints } from './sequence.ts';
import { parseVectorInput } from './testinputs.ts';

const FAMILY = 'kube-proxy-iptables';
const FOLDER = 'v1.28-sync-repeated-steps';
const have = vectorFolders(FAMILY).includes(FOLDER);

interface Step {
  step: string;
  syncMode: 'full' | 'partial';
  servicesWithChangedChains: string[];
}

describe.skipIf(!have)('kube-proxy iptables conformance (sync sequence)', () => {
  const steps = have ? (JSON.parse(readVectorFile(FAMILY, FOLDER, 'steps.json')!) as Step[]) : [];
  const config = have ? (JSON.parse(readVectorFile(FAMILY, FOLDER, 'config.json')!) as ProxierConfig) : ({} as ProxierConfig);

  it('has nine steps', () => {
    expect(steps).toHaveLength(9);
  });

  // one proxier across the steps, as in the upstream test; vitest runs these in order
  const proxier = new IptablesProxier(config);
  for (const s of steps) {
    it(s.step, () => {
      const { services, slices } = parseVectorInput(readVectorFile(FAMILY, FOLDER, `steps/${s.step}/input.yaml`)!);
      // step 09: the test breaks the partial restore on purpose; the retry is a full sync
      const r = proxier.sync(services, slices, { forceFull: s.syncMode === 'full' && s !== steps[0] });
      expect(r.partial).toBe(s.syncMode === 'partial');
      const expected = readVectorFile(FAMILY, FOLDER, `steps/${s.step}/expected.iptables`)!.replace(/^[ \t\n]+/, '');
      expect(normalizeRestore(r.restore)).toBe(expected);
      if (s.syncMode === 'partial') {
        expect([...r.changed].sort()).toEqual(s.servicesWithChangedChains);
        expect(() => renderSave(r.sync, 'IPv4')).toThrow(/full sync/);
      }
    });
  }
});

describe('change detection', () => {
  const svc = (name: string, ip: string) => ({
    apiVersion: 'v1', kind: 'Service' as const, metadata: { name, namespace: 'ns', labels: { a: '1' } },
    spec: { clusterIP: ip, ports: [{ name: 'p', port: 80, protocol: 'TCP' as const }] },
  });
  it('ignores fields kube-proxy does not read and sees real changes', () => {
    const a = serviceFingerprints([svc('s', '10.0.0.1')], [], {});
    const relabelled = [{ ...svc('s', '10.0.0.1'), metadata: { name: 's', namespace: 'ns', labels: { a: '2' } } }];
    expect(changedServices(a, serviceFingerprints(relabelled, [], {}))).toEqual(new Set());
    expect(changedServices(a, serviceFingerprints([svc('s', '10.0.0.2')], [], {}))).toEqual(new Set(['ns/s']));
    expect(changedServices(a, serviceFingerprints([], [], {}))).toEqual(new Set(['ns/s']));
  });
});
