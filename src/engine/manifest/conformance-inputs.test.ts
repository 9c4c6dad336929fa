// Every conformance vector's input.yaml (kube-proxy's own test objects) must read cleanly: no syntax,
// decode or kind errors, only Services and EndpointSlices. kube-proxy's tests build objects without
// the API server, so some break API validation; each such finding must be one of the rules below.
import { describe, expect, it } from 'vitest';
import { conformanceDir, readVectorFile, vectorFolders, type Family } from '../testing/conformance.ts';
import { parseManifests } from './parse.ts';

const FAMILIES: Family[] = ['kube-proxy-iptables', 'kube-proxy-iptables-flows', 'kube-proxy-ipvs', 'kube-proxy-nftables'];
const present = FAMILIES.filter((f) => conformanceDir(f) !== null);

const READ_ERRORS = new Set(['yaml-syntax', 'decode', 'decode-type', 'unknown-field', 'unknown-kind', 'missing-kind', 'too-large', 'too-deep', 'duplicate-key']);

// Rules kube-proxy's fixtures knowingly break (they bypass the API server).
const FIXTURE_RULE_BREAKS = [
  /spec\.healthCheckNodePort: Invalid value: \d+: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'$/,
  /spec\.clusterIPs: Forbidden: may not be set for ExternalName services$/,
  /spec\.externalIPs\[\d+\]: Invalid value: "127\.0\.0\.1": may not be in the loopback range/,
  /addresses\[\d+\]: Invalid value: "[^"]+": must be a valid IPv[46] address$/,
  /spec\.ports\[\d+\]\.nodePort: Forbidden: may not be used when `type` is 'ClusterIP'$/,
];

describe.skipIf(present.length === 0)('conformance inputs read as the API server would', () => {
  for (const family of present) {
    const folders = vectorFolders(family).filter((f) => readVectorFile(family, f, 'input.yaml') !== null);
    it(`${family}: ${folders.length} input.yaml files`, () => {
      expect(folders.length).toBeGreaterThan(0);
      for (const folder of folders) {
        const text = readVectorFile(family, folder, 'input.yaml')!;
        const r = parseManifests(text);
        const where = `${family}/${folder}`;
        expect(r.diagnostics.filter((d) => READ_ERRORS.has(d.code)).map((d) => `${where} ${d.line}:${d.col} ${d.message}`)).toEqual([]);
        expect(r.objects.filter((o) => o.kind !== 'Service' && o.kind !== 'EndpointSlice').map((o) => `${where} ${o.kind}`)).toEqual([]);
        const docs = text.split(/^---\s*$/m).filter((d) => /^kind:/m.test(d)).length;
        expect(r.objects.length, where).toBe(docs);
        const unexplained = r.diagnostics.filter((d) => d.severity === 'error' && !FIXTURE_RULE_BREAKS.some((re) => re.test(d.message)));
        expect(unexplained.map((d) => `${where} ${d.line}:${d.col} ${d.message}`)).toEqual([]);
      }
    });
  }
});
