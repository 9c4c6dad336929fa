// The eligible-endpoints story, checked against the categorizer that writes the rules and against
// the scenarios a learner picks: who may receive the packet on this node, and why the others may not.
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../pipeline.ts';
import { findScenario } from '../scenario/scenarios.ts';
import { eligibilityForNode, type EligibilityReport } from './eligibility.ts';
import { en } from '../../i18n/en.ts';

function reportFor(id: string, service?: string, node?: string): EligibilityReport {
  const s = findScenario(id)!;
  const r = runPipeline({ yaml: s.yaml, mode: 'iptables', node: node ?? s.node, config: s.config, cluster: s.cluster });
  const all = eligibilityForNode(r.cluster!.services, r.cluster!.endpointSlices, r.config!);
  const hit = all.find((x) => (service ? x.service.startsWith(service) : x.addresses.includes(s.packet.dst) || s.packet.dst.endsWith(`:${x.nodePort}`)));
  expect(hit, `a report for ${id}`).toBeDefined();
  return hit!;
}
const keys = (r: EligibilityReport) => r.steps.map((s) => s.key);
const used = (r: EligibilityReport, policy: 'cluster' | 'localPolicy') => r.endpoints.filter((e) => e[policy]).map((e) => e.address).sort();

describe('eligibility: who may receive the packet, and why', () => {
  it('nginx ClusterIP: three ready endpoints, all used under the Cluster policy', () => {
    const r = reportFor('nginx-clusterip');
    expect(r.addresses).toContain('10.102.249.128:80');
    expect(r.internalPolicy).toBe('Cluster');
    expect(used(r, 'cluster')).toEqual(['10.244.154.195:80', '10.244.154.196:80', '10.244.235.208:80']);
    expect(keys(r)).toEqual(['elig.step.count', 'elig.step.clusterSet']);
    expect(r.steps[0]!.params).toEqual({ total: 3, ready: 3 });
  });

  it('topologyKeys [hostname] on a node without endpoints: the key matches nothing, no endpoint is usable', () => {
    const r = reportFor('topology-node-only');
    expect(keys(r)).toContain('elig.step.keyNoMatch');
    expect(keys(r)).toContain('elig.step.keysExhausted');
    expect(keys(r)).toContain('elig.step.clusterNone');
    expect(r.clusterEmpty).toBe(true);
    expect(r.endpoints.every((e) => e.reasons.some((x) => x.key === 'elig.ep.topologyKeys'))).toBe(true);
  });

  it('topologyKeys hostname, zone, region: the walk goes key by key and stops at the first match', () => {
    const r = reportFor('topology-node-zone-region');
    const walk = r.steps.filter((s) => s.key.startsWith('elig.step.key'));
    expect(walk[0]).toMatchObject({ key: 'elig.step.keyNoMatch', params: { key: 'kubernetes.io/hostname', value: 'k8s-node-02' } });
    expect(walk[walk.length - 1]!.key).toBe('elig.step.keyMatch');
    // what the steps say is what the rules use
    expect(walk[walk.length - 1]!.params.count).toBe(used(r, 'cluster').length);
  });

  it('topologyKeys zone, then "*"', () => {
    const r = reportFor('topology-zone-any');
    const walk = r.steps.filter((s) => s.key.startsWith('elig.step.key')).map((s) => s.key);
    expect(walk[walk.length - 1]).toMatch(/elig\.step\.key(Match|Any)/);
    expect(r.clusterEmpty).toBe(false);
  });

  it('externalTrafficPolicy Local: the node port uses local endpoints only, with the health-check port', () => {
    const r = reportFor('etp-local');
    expect(r.externalPolicy).toBe('Local');
    expect(r.nodePort).toBe(30898);
    expect(used(r, 'localPolicy')).toEqual(['10.244.235.208:80']);
    const hc = r.steps.find((x) => x.key === 'elig.step.etpLocal');
    expect(hc?.params.hc).toBe(r.healthCheckNodePort);
    expect(r.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    // k8s-node-02 has no nginx pod: its Local set is empty, so the load balancer's packet is dropped there
    const other = reportFor('etp-local', undefined, 'k8s-node-02');
    expect(other.localEmpty).toBe(true);
    expect(keys(other)).toContain('elig.step.localNone');
    expect(r.endpoints.find((e) => e.address === '10.244.154.195:80')!.reasons.map((x) => x.key)).toContain('elig.ep.onOtherNode');
  });

  it('internalTrafficPolicy Local: only this node\'s endpoint', () => {
    const r = reportFor('itp-local');
    expect(r.internalPolicy).toBe('Local');
    expect(used(r, 'localPolicy')).toEqual(['10.244.235.208:80']);
    expect(used(r, 'cluster')).toEqual([]);
    expect(keys(r)).toContain('elig.step.itpLocal');
  });

  it('a not-ready pod is never used; a terminating one only as a fallback', () => {
    const nr = reportFor('not-ready-pod');
    const bad = nr.endpoints.filter((e) => !e.ready);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.cluster).toBe(false);
    expect(bad[0]!.reasons[0]!.key).toMatch(/elig\.ep\.(notReady|terminating)/);
    const t = reportFor('terminating-pod');
    const term = t.endpoints.filter((e) => e.terminating);
    expect(term.length).toBeGreaterThan(0);
    expect(term.every((e) => !e.cluster)).toBe(true);
  });

  it('trafficDistribution PreferClose: zone hints keep the endpoints of the node\'s zone', () => {
    const b = reportFor('traffic-distribution');
    expect(keys(b)).toContain('elig.step.zoneHints');
    expect(used(b, 'cluster')).toEqual(['10.244.36.5:80']);
    const other = b.endpoints.find((e) => e.address === '10.244.235.208:80')!;
    expect(other.reasons.map((x) => x.key)).toContain('elig.ep.otherZone');
    const a = reportFor('traffic-distribution', undefined, 'k8s-master');
    expect(used(a, 'cluster')).toEqual(['10.244.154.195:80', '10.244.235.208:80']);
  });

  it('a Service without endpoints says so', () => {
    const r = reportFor('no-endpoints');
    expect(keys(r)).toEqual(['elig.step.noEndpoints']);
    expect(r.endpoints).toEqual([]);
    expect(r.clusterEmpty).toBe(true);
  });

  it('every reason key exists in the i18n files and every placeholder is filled', () => {
    for (const id of ['traffic-distribution', 'nginx-clusterip', 'topology-node-only', 'topology-node-zone-region', 'topology-zone-any', 'etp-local', 'itp-local', 'not-ready-pod', 'terminating-pod', 'no-endpoints']) {
      const r = reportFor(id);
      for (const x of [...r.steps, ...r.endpoints.flatMap((e) => e.reasons)]) {
        const text = (en as Record<string, string>)[x.key];
        expect(text, x.key).toBeDefined();
        for (const m of text!.matchAll(/\{(\w+)\}/g)) expect(x.params, `${x.key} {${m[1]}}`).toHaveProperty(m[1]!);
      }
    }
  });
});
