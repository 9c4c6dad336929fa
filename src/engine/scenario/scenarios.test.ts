import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import ipaddr from 'ipaddr.js';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { SCENARIOS, DEFAULT_SCENARIO_ID, findScenario, settingsFor } from './scenarios.ts';

type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any; status?: any };

function objects(yamlText: string): Obj[] {
  const docs = parseAllDocuments(yamlText);
  for (const d of docs) expect(d.errors, d.errors.map((e) => e.message).join('\n')).toEqual([]);
  return docs.map((d) => d.toJS() as Obj);
}

const SEED_DIR = '/work/shared/seed';
const seedText = existsSync(SEED_DIR)
  ? readdirSync(SEED_DIR).filter((f) => f.startsWith('000_')).map((f) => readFileSync(`${SEED_DIR}/${f}`, 'utf8')).join('\n')
  : null;

describe('built-in scenarios', () => {
  it('have unique ids and i18n key shapes', () => {
    const ids = SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SCENARIOS) {
      expect(s.titleKey).toBe(`scenario.${s.id}.title`);
      expect(s.explainKey).toBe(`scenario.${s.id}.explain`);
    }
    expect(findScenario(DEFAULT_SCENARIO_ID)).toBeDefined();
  });

  it('cover every example the brief lists', () => {
    expect(SCENARIOS.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        'nginx-clusterip', 'nginx-nodeport', 'nginx-loadbalancer', 'nginx-headless', 'externalname', 'selectorless',
        'topology-node-only', 'topology-node-zone-region', 'topology-zone-any', 'etp-local', 'itp-local',
        'session-affinity', 'not-ready-pod', 'terminating-pod', 'no-endpoints',
      ]),
    );
  });

  for (const s of SCENARIOS) {
    it(`${s.id}: parses, has one Service, pods inside their node's podCIDR, a node it names`, () => {
      const objs = objects(s.yaml);
      expect(objs.filter((o) => o.kind === 'Service')).toHaveLength(1);
      const nodes = objs.filter((o) => o.kind === 'Node');
      expect(nodes.map((n) => n.metadata.name)).toContain(s.node);
      const cidrOf = new Map(nodes.map((n) => [n.metadata.name, ipaddr.parseCIDR(n.spec.podCIDR)]));
      const clusterCIDR = ipaddr.parseCIDR('10.244.0.0/16');
      for (const [, c] of cidrOf) expect(c[0].match(clusterCIDR)).toBe(true);
      for (const p of objs.filter((o) => o.kind === 'Pod')) {
        const c = cidrOf.get(p.spec.nodeName);
        expect(c, `${p.metadata.name} on a pasted node`).toBeDefined();
        expect(ipaddr.parse(p.status.podIP).match(c!)).toBe(true);
      }
      expect(s.packet.dst).toMatch(/^(\d+\.\d+\.\d+\.\d+|[a-z0-9-]+\.[a-z0-9-]+):\d+$/);
    });
  }

  it('nginx-clusterip holds the seed pods, Service and nodes exactly', () => {
    const objs = objects(findScenario('nginx-clusterip')!.yaml);
    const pods = objs.filter((o) => o.kind === 'Pod').map((p) => [p.metadata.name, p.status.podIP, p.spec.nodeName, p.metadata.labels]);
    const labels = { app: 'nginx', 'pod-template-hash': '8f458dc5b' };
    expect(pods).toEqual([
      ['nginx-deployment-8f458dc5b-jshh2', '10.244.235.208', 'k8s-master', labels],
      ['nginx-deployment-8f458dc5b-ksrp6', '10.244.154.195', 'k8s-node-01', labels],
      ['nginx-deployment-8f458dc5b-xpf7n', '10.244.154.196', 'k8s-node-01', labels],
    ]);
    const svc = objs.find((o) => o.kind === 'Service')!;
    expect(svc.metadata.name).toBe('nginx-basic');
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', clusterIP: '10.102.249.128', selector: { app: 'nginx' }, ports: [{ port: 80, protocol: 'TCP', name: 'http' }] });
    expect(objs.filter((o) => o.kind === 'Node').map((n) => n.metadata.name)).toEqual(['k8s-master', 'k8s-node-01']);
  });

  it.skipIf(seedText === null)('uses the seed Deployment verbatim (seed folder present)', () => {
    const yaml = findScenario('nginx-clusterip')!.yaml;
    const m = /```yaml\n(apiVersion: apps\/v1\nkind: Deployment[\s\S]*?)```/.exec(seedText!);
    expect(m).not.toBeNull();
    expect(yaml).toContain(m![1]);
  });

  it('NodePort uses 30898; topology scenarios run as Kubernetes 1.20', () => {
    const np = objects(findScenario('nginx-nodeport')!.yaml).find((o) => o.kind === 'Service')!;
    expect(np.spec.ports[0].nodePort).toBe(30898);
    for (const id of ['topology-node-only', 'topology-node-zone-region', 'topology-zone-any']) {
      expect(findScenario(id)!.cluster.kubernetesVersion).toBe('1.20');
      const svc = objects(findScenario(id)!.yaml).find((o) => o.kind === 'Service')!;
      expect(svc.spec.topologyKeys.length).toBeGreaterThan(0);
    }
    expect(findScenario('nginx-clusterip')!.cluster.kubernetesVersion).toBeUndefined();
  });

  it('selectorless points its Endpoints outside the cluster CIDR', () => {
    const objs = objects(findScenario('selectorless')!.yaml);
    const ep = objs.find((o) => o.kind === 'Endpoints') as any;
    expect(objs.find((o) => o.kind === 'Service')!.spec.selector).toBeUndefined();
    const ip = ipaddr.parse(ep.subsets[0].addresses[0].ip);
    expect(ip.match(ipaddr.parseCIDR('10.244.0.0/16'))).toBe(false);
  });

  it('not-ready and terminating pods are marked so', () => {
    const nr = objects(findScenario('not-ready-pod')!.yaml).filter((o) => o.kind === 'Pod');
    expect(nr.filter((p) => p.status.conditions.find((c: any) => c.type === 'Ready').status === 'False')).toHaveLength(1);
    const t = objects(findScenario('terminating-pod')!.yaml).filter((o) => o.kind === 'Pod');
    expect(t.filter((p) => (p.metadata as any).deletionTimestamp)).toHaveLength(1);
  });

  it('custom YAML gets the seed settings', () => {
    expect(settingsFor('nope').config.localDetector).toEqual({ mode: 'ClusterCIDR', clusterCIDR: '10.244.0.0/16' });
  });
});

describe('sample dumps', () => {
  it.skipIf(seedText === null)('the seed dump is the lecture note’s iptables-save excerpt, verbatim (seed folder present)', async () => {
    const { SEED_DUMP } = await import('./dumps.ts');
    expect(seedText).toContain(SEED_DUMP.text);
    expect(SEED_DUMP.text).toContain('-A KUBE-SVC-WWRFY3PZ7W3FGMQW -m comment --comment "default/nginx-basic:http -> 10.244.235.208:80" -j KUBE-SEP-5WXBOBXHEYR4QL4Y');
  });
});
