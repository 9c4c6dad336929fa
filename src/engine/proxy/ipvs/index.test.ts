import { describe, expect, it } from 'vitest';
import { resolveProxierConfig } from '../config.ts';
import { generateIpvs, ipvsGenerateJson, renderIpvsOutput } from './index.ts';
import { nginxScenario } from './scenario.ts';

const { services, slices } = nginxScenario();
const dp = generateIpvs(services, slices, resolveProxierConfig({ kubeProxyVersion: 'v1.34.0' }));

describe('generate outputs in IPVS mode', () => {
  it('json has the CONTRACTS fields with ipset entries in kube-proxy form', () => {
    const j = ipvsGenerateJson('node-1', dp);
    expect(j.mode).toBe('ipvs');
    expect(j.nftables).toBeNull();
    expect(j.iptables.restore.startsWith('*nat\n')).toBe(true);
    expect(j.iptables.save).toContain('*filter');
    expect(j.ipvs.dummyInterface).toEqual({ name: 'kube-ipvs0', addresses: ['10.96.0.50/32'] });
    expect(j.ipvs.ipsets.find((s) => s.name === 'KUBE-CLUSTER-IP')!.entries).toEqual(['10.96.0.50,tcp:80']);
    expect(j.ipvs.ipsets.find((s) => s.name === 'KUBE-LOOP-BACK')!.entries).toEqual(['10.244.1.5,tcp:8080,10.244.1.5']);
    expect(j.ipvs.virtualServers.map((v) => `${v.address}:${v.port}`)).toEqual(['10.96.0.50:80', '192.168.0.2:30080']);
  });
  it('each text output, and null for nft', () => {
    expect(renderIpvsOutput('node-1', dp, 'ipvsadm')).toContain('TCP  192.168.0.2:30080 rr\n');
    expect(renderIpvsOutput('node-1', dp, 'ipset')).toContain('Name: KUBE-NODE-PORT-TCP\n');
    expect(renderIpvsOutput('node-1', dp, 'ipaddr')).toContain('inet 10.96.0.50/32 scope global kube-ipvs0');
    expect(renderIpvsOutput('node-1', dp, 'restore')).toBe(dp.iptablesRestore);
    expect(renderIpvsOutput('node-1', dp, 'nft')).toBeNull();
    // a ClusterCIDR detector masquerades off-cluster sources to ClusterIPs
    expect(dp.iptablesRestore).toContain('--match-set KUBE-CLUSTER-IP dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ');
  });
});

describe('sysctls', () => {
  it('lists the IPVS sysctls, adding the ARP pair only with strict ARP', () => {
    expect(dp.sysctls).toContain('net/ipv4/vs/conntrack=1');
    expect(dp.sysctls!.some((s) => s.includes('arp_ignore'))).toBe(false);
    const strict = generateIpvs(services, slices, resolveProxierConfig({ kubeProxyVersion: 'v1.34.0', ipvsStrictARP: true }));
    expect(strict.sysctls).toContain('net/ipv4/conf/all/arp_ignore=1');
  });
});
