import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explain, explainJson, NOTES, chainOwner, renderNote } from './index.ts';
import { seedDir } from '../testing/conformance.ts';

const fixtures = join(new URL('.', import.meta.url).pathname, '../netfilter/fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const seedText = readFileSync(join(seedDir, '000_43e922ef28b17eb5.txt'), 'utf8');
/** the part of the lecture note a user would paste: from the iptables-save prompt to the last SEP rule */
const seedDump = seedText.slice(seedText.indexOf('$ sudo iptables-save -t nat\n'), seedText.indexOf('\n', seedText.indexOf('-A KUBE-SEP-5WXBOBXHEYR4QL4Y')));

describe('explain: the seed dump', () => {
  const x = explain(seedDump);
  const svc = x.services.find((s) => s.name === 'default/nginx-basic:http')!;

  it('finds the Service with its ClusterIP, port and three endpoints, one third each', () => {
    expect(x.format).toBe('iptables-save');
    expect(svc).toMatchObject({ protocol: 'tcp', clusterIP: '10.102.249.128', port: 80, noEndpoints: false, externalIPs: [], loadBalancerIPs: [] });
    expect(svc.endpoints.map((e) => [e.address, e.probability, e.written])).toEqual([
      ['10.244.154.195:80', 0.3333333333, '0.33333333349'],
      ['10.244.154.196:80', 0.3333333333, '0.50000000000'],
      ['10.244.235.208:80', 0.3333333333, null],
    ]);
    // the kernel's own shares differ from 1/3 only by its 31-bit rounding
    for (const e of svc.endpoints) expect(Math.abs(e.kernelProbability - 1 / 3)).toBeLessThan(1e-9);
    expect(svc.endpoints.reduce((s, e) => s + e.kernelProbability, 0)).toBeCloseTo(1, 12);
  });

  it('explains why the rules say 0.333, 0.5 and nothing', () => {
    const d = x.diagnostics.find((e) => e.code === 'even-shares')!;
    expect(d.message).toContain('3 endpoints, each gets 1/3');
    expect(d.message).toContain('0.33333333349, 0.50000000000 and nothing');
    const line = (n: number) => x.notes.find((r) => r.line === n)!.notes.map((m) => m.en).join(' ');
    const sepLines = svc.endpoints.map((e) => e.line);
    expect(line(sepLines[0])).toContain('1/3 of the new connections that reach this rule go to 10.244.154.195:80: 33.3% of all');
    expect(line(sepLines[0])).toContain('the kernel stores it as 0.33333333349');
    expect(line(sepLines[1])).toContain('1/2 of the new connections that reach this rule go to 10.244.154.196:80: 33.3% of all');
    expect(line(sepLines[2])).toContain('the last endpoint needs no probability');
    expect(x.notes.find((r) => r.line === sepLines[0])!.notes[0].zh).toContain('占全部的 33.3%');
  });

  it('reports the masquerade rule and the chain the paste leaves out', () => {
    expect(svc.masquerade.map((m) => m.when)).toEqual(['not-from-pods']);
    expect(x.diagnostics.find((d) => d.code === 'jump-missing-chain')?.params?.chain).toBe('KUBE-MARK-MASQ');
  });

  it('also reads the NodePort from the grep excerpt later in the note', () => {
    const all = explain(seedText.slice(seedText.indexOf('$ sudo iptables-save -t nat\n')));
    const s = all.services.find((v) => v.name === 'default/nginx-basic:http')!;
    expect(s.nodePorts).toEqual([30898]);
    expect(s.chains.ext).toBe('KUBE-EXT-WWRFY3PZ7W3FGMQW');
    expect(s.externalTrafficPolicy).toBe('Cluster');
  });
});

describe('explain: kube-proxy of any era', () => {
  it('a v1.28 node: NodePort, affinity, no-endpoints REJECT in filter', () => {
    const x = explain(fixture('save-node-v128.save'));
    const byName = new Map(x.services.map((s) => [s.name, s]));
    expect(byName.get('shop/cart:http')).toMatchObject({ nodePorts: [31080], externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' });
    expect(byName.get('shop/session:grpc')!.affinity).toEqual({ timeoutSeconds: 10800 });
    const none = byName.get('shop/legacy-api:http')!;
    expect(none).toMatchObject({ noEndpoints: true, clusterIP: '10.96.14.7', port: 8080, endpoints: [], rejectLines: [29] });
    expect(x.era.legacy).toBe(false);
    expect(x.diagnostics.filter((d) => d.severity === 'warning')).toEqual([]);
  });

  it('an old node (KUBE-XLB, KUBE-MARK-DROP, 5-decimal probabilities): legacy, and uneven shares explained', () => {
    const x = explain(fixture('save-legacy-v120.save'));
    expect(x.era.legacy).toBe(true);
    expect(x.era.signs.join(' ')).toMatch(/KUBE-XLB.*KUBE-MARK-DROP.*5 decimals/);
    const dns = x.services.find((s) => s.name === 'kube-system/dns:dns')!;
    expect(dns).toMatchObject({ protocol: 'udp', clusterIP: '10.100.0.10', port: 53 });
    const shares = dns.endpoints.map((e) => e.probability);
    expect(shares[0]).toBeCloseTo(0.33333, 5);
    expect(shares[1]).toBeCloseTo(0.333335, 6);
    const uneven = x.diagnostics.find((d) => d.code === 'uneven-shares')!;
    expect(uneven.message).toContain('5 decimals');
    const ing = x.services.find((s) => s.name === 'edge/ingress:https')!;
    expect(ing).toMatchObject({ externalTrafficPolicy: 'Local', loadBalancerIPs: ['203.0.113.40'], nodePorts: [30443] });
    expect(ing.chains.xlb).toBe('KUBE-XLB-5ZKBJ4XMS3T6VFUD');
    expect(ing.localEndpoints?.map((e) => e.address)).toEqual(['10.32.0.14:8443']);
    expect(dns.masquerade).toContainEqual({ line: 40, when: 'not-from-pods' });
  });

  it('large-cluster mode: no comments on endpoint rules, names unknown are null, never invented', () => {
    const x = explain(fixture('save-large-cluster.save'));
    expect(x.era.largeClusterMode).toBe(true);
    const s = x.services[0];
    expect(s.name).toBe('batch/workers:api');
    expect(s.endpoints.map((e) => e.address)).toEqual(['100.64.3.21:8000', '100.64.12.40:8000', '100.64.7.3:8000', '100.64.9.8:8000']);
    expect(s.endpoints.every((e) => e.probability === 0.25)).toBe(true);
    const grep = explain('-A KUBE-SVC-OHH5UY4SNJQH6XTT -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-3JOIVZTXZZRGORX4\n-A KUBE-SVC-OHH5UY4SNJQH6XTT -j KUBE-SEP-HSYIXFTX6JBSQK7Q\n');
    expect(grep.services[0]).toMatchObject({ name: null, clusterIP: null, port: null, protocol: null });
    expect(grep.services[0].endpoints.map((e) => [e.address, e.probability])).toEqual([[null, 0.5], [null, 0.5]]);
  });

  it('names other software\'s chains', () => {
    const x = explain(fixture('save-cni-mixed.save'));
    const owner = (n: string) => x.chains.find((c) => c.name === n)?.software;
    expect(owner('cali-FORWARD')).toBe('Calico');
    expect(owner('FLANNEL-POSTRTG')).toBe('Flannel');
    expect(owner('DOCKER-USER')).toBe('Docker');
    expect(x.diagnostics.find((d) => d.code === 'other-software')?.message).toMatch(/Docker.*Flannel.*Calico/);
    for (const [n, sw] of [['CILIUM_FORWARD', 'Cilium'], ['KUBE-ROUTER-INPUT', 'kube-router'], ['WEAVE-NPC', 'Weave Net'], ['OPENSHIFT-FIREWALL-ALLOW', 'OpenShift'], ['KUBE-SVL-AAAAAAAAAAAAAAAA', 'kube-proxy']] as const) expect(chainOwner(n).software).toBe(sw);
  });

  it('finds shadowed rules, jumps to missing chains and chains nothing uses', () => {
    const x = explain(`*filter
:INPUT ACCEPT [0:0]
:ORPHAN - [0:0]
-A INPUT -p tcp -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j DROP
-A INPUT -s 10.0.0.0/8 -p udp -j NOWHERE
-A ORPHAN -j DROP
COMMIT
`);
    const codes = x.diagnostics.map((d) => `${d.code}@${d.line}`);
    expect(codes).toContain('shadowed-rule@5');
    expect(codes).toContain('jump-missing-chain@6');
    expect(codes).toContain('unreferenced-chain@3');
    expect(codes.filter((c) => c.startsWith('shadowed'))).toHaveLength(1);
  });

  it('says what a listing hides', () => {
    const x = explain(fixture('listing-names.txt'));
    expect(x.format).toBe('iptables-L');
    expect(x.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['listing-names', 'listing-limits']));
    const cart = x.services.find((s) => s.name === 'shop/cart:http')!;
    expect(cart).toMatchObject({ clusterIP: '10.96.120.33', port: 80 });
  });
});

describe('explain --format json shape', () => {
  it('has the contract fields for every service', () => {
    const j = explainJson(explain(fixture('save-node-v128.save')));
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['format', 'services', 'diagnostics']));
    for (const s of j.services) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['name', 'protocol', 'clusterIP', 'port', 'nodePorts', 'externalIPs', 'loadBalancerIPs', 'endpoints', 'noEndpoints']));
      for (const e of s.endpoints) expect(Object.keys(e)).toEqual(expect.arrayContaining(['address', 'probability']));
    }
    for (const d of j.diagnostics) expect(Object.keys(d)).toEqual(expect.arrayContaining(['code', 'severity', 'line', 'message']));
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});

describe('notes', () => {
  it('every template exists in English and Chinese with the same placeholders', () => {
    for (const [k, v] of Object.entries(NOTES)) {
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1].replace(/Zh$/, '')).sort();
      expect(v.en.length, k).toBeGreaterThan(0);
      expect(/[\u4e00-\u9fff]/.test(v.zh), k).toBe(true);
      expect(ph(v.zh), k).toEqual(ph(v.en));
    }
    expect(renderNote('rule.sep-share', { fraction: '1/3', endpoint: 'x', percent: '33.3%' })).toBe('1/3 of the new connections that reach this rule go to x: 33.3% of all.');
  });
});
