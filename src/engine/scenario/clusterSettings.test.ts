import { describe, expect, it } from 'vitest';
import { applyClusterChoices } from './clusterSettings.ts';
import { runPipeline } from '../pipeline.ts';

const SVC = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
  topologyKeys: ["kubernetes.io/hostname", "*"]
`;

describe('cluster choices', () => {
  it('keeps the scenario settings when nothing is chosen', () => {
    expect(applyClusterChoices({ seed: 3, kubernetesVersion: '1.20' }, '', '')).toEqual({ seed: 3, kubernetesVersion: '1.20' });
  });
  it('a default-cluster preset decides the nodes of YAML that names none', () => {
    const one = runPipeline({ yaml: SVC.replace(/ {2}topologyKeys.*\n/, ''), mode: 'iptables', cluster: applyClusterChoices({}, '', '1') });
    expect(one.nodes).toEqual(['node-1']);
    const six = runPipeline({ yaml: SVC.replace(/ {2}topologyKeys.*\n/, ''), mode: 'iptables', cluster: applyClusterChoices({}, '', '6x3') });
    expect(six.nodes).toHaveLength(6);
  });
  it('the version decides whether topologyKeys is accepted (1.20) or refused (1.35)', () => {
    const old = runPipeline({ yaml: SVC, mode: 'iptables', cluster: applyClusterChoices({}, '1.20', '') });
    expect(old.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const now = runPipeline({ yaml: SVC, mode: 'iptables', cluster: applyClusterChoices({}, '1.35', '') });
    expect(now.diagnostics.some((d) => d.message.includes('unknown field "spec.topologyKeys"'))).toBe(true);
  });
});
