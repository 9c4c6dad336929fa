import { describe, expect, it } from 'vitest';
import { readVectorFile, vectorFolders } from '../../testing/conformance.ts';
import { generateIpvs } from './proxier.ts';
import { largeNum, renderIpAddrKubeIpvs0, renderIpsetList, renderIpvsadm, renderIpvsadmStats, ipvsJson } from './render.ts';
import { loadVectorObjects, vectorConfig } from './vector-input.ts';
import type { IpvsDataplane } from '../../ipvs/types.ts';

const FAMILY = 'kube-proxy-ipvs' as const;
const folders = vectorFolders(FAMILY).filter((f) => readVectorFile(FAMILY, f, 'derived-ipvsadm-Ln.txt') !== null);

function phase1(folder: string): IpvsDataplane {
  const exp = JSON.parse(readVectorFile(FAMILY, folder, 'expected.json')!) as { phases: { input: string; configOverride?: Record<string, unknown> }[] };
  const cfg = JSON.parse(readVectorFile(FAMILY, folder, 'config.json')!) as Record<string, unknown>;
  const objs = loadVectorObjects(readVectorFile(FAMILY, folder, exp.phases[0]!.input)!);
  return generateIpvs(objs.services, objs.slices, vectorConfig(cfg, exp.phases[0]!.configOverride));
}

describe.skipIf(folders.length === 0)('renderings match the derived vector text (phase 1)', () => {
  for (const f of folders) {
    it(`${f}: ipvsadm -Ln and ip addr show kube-ipvs0`, () => {
      const dp = phase1(f);
      expect(renderIpvsadm(dp)).toBe(readVectorFile(FAMILY, f, 'derived-ipvsadm-Ln.txt'));
      expect(renderIpAddrKubeIpvs0(dp)).toBe(readVectorFile(FAMILY, f, 'derived-ip-addr-show-kube-ipvs0.txt'));
    });
  }
});

const base: IpvsDataplane = {
  virtualServers: [
    { address: '10.96.0.10', port: 53, protocol: 'UDP', scheduler: 'rr', flags: 0, timeout: 0, realServers: [{ address: '10.244.0.3', port: 53, weight: 1 }, { address: '10.244.0.2', port: 53, weight: 1 }] },
    { address: '10.96.55.5', port: 80, protocol: 'TCP', scheduler: 'mh', flags: 0x11, timeout: 10800, realServers: [] },
    { address: '10.96.0.1', port: 443, protocol: 'TCP', scheduler: 'rr', flags: 0, timeout: 0, realServers: [{ address: '192.168.0.2', port: 6443, weight: 0, activeConns: 3, inactConns: 12 }] },
  ],
  ipsets: [
    { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', entries: ['10.96.0.1,tcp:443', '10.96.0.10,udp:53'], family: 'inet' },
    { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', entries: ['30080'] },
  ],
  dummyInterface: { name: 'kube-ipvs0', addresses: ['10.96.0.1/32', '10.96.0.10/32'] },
  iptablesRestore:
    '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT\nCOMMIT\n*filter\n:KUBE-IPVS-FILTER - [0:0]\n-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN\nCOMMIT\n',
};

describe('ipvsadm -Ln format', () => {
  const text = renderIpvsadm(base);
  it('sorts services by protocol number, then address; destinations by address', () => {
    const svc = text.split('\n').filter((l) => /^(TCP|UDP|SCTP) /.test(l));
    expect(svc).toEqual(['TCP  10.96.0.1:443 rr', 'TCP  10.96.55.5:80 mh (mh-port) persistent 10800', 'UDP  10.96.0.10:53 rr']);
    const dests = text.split('\n').filter((l) => l.startsWith('  -> 10.244'));
    expect(dests.map((l) => l.slice(5, 20).trim())).toEqual(['10.244.0.2:53', '10.244.0.3:53']);
  });
  it('pads destination columns (28/7/6/10/10) with trailing spaces', () => {
    expect(text).toContain('  -> 192.168.0.2:6443             Masq    0      3          12        \n');
  });
  it('--stats header and 9-column numbers with K/M suffixes', () => {
    const s = renderIpvsadmStats(base, { 'TCP 10.96.0.1:443': { conns: 5, inpkts: 123456789, outpkts: 0, inbytes: 2_000_000_000, outbytes: 7 } });
    expect(s.split('\n')[1]).toBe('Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes');
    expect(s).toContain('TCP  10.96.0.1:443' + ' '.repeat(15) + '        5' + '  123456K' + '        0' + '    2000M' + '        7\n');
    expect(largeNum(99_999_999)).toBe(' 99999999');
    expect(largeNum(123, true)).toBe('      123');
  });
});

describe('ipset list and ip addr formats', () => {
  it('prints one block per set with a reference count from the iptables rules', () => {
    const t = renderIpsetList(base);
    expect(t).toBe(
      [
        'Name: KUBE-CLUSTER-IP', 'Type: hash:ip,port', 'Revision: 5', 'Header: family inet hashsize 1024 maxelem 65536',
        'Size in memory: 8696', 'References: 2', 'Number of entries: 2', 'Members:', '10.96.0.1,tcp:443', '10.96.0.10,udp:53', '',
        'Name: KUBE-NODE-PORT-TCP', 'Type: bitmap:port', 'Revision: 3', 'Header: range 0-65535', 'Size in memory: 8264',
        'References: 0', 'Number of entries: 1', 'Members:', '30080', '',
      ].join('\n'),
    );
  });
  it('ip addr show: trailing space after "group default", IPv6 without label', () => {
    const t = renderIpAddrKubeIpvs0({ dummyInterface: { name: 'kube-ipvs0', addresses: ['fd00::1/128'] } });
    expect(t.split('\n')[0]!.endsWith('group default ')).toBe(true);
    expect(t).toContain('    inet6 fd00::1/128 scope global \n');
  });
  it('json keeps the CONTRACTS shape', () => {
    const j = ipvsJson(base);
    expect(Object.keys(j)).toEqual(['virtualServers', 'ipsets', 'dummyInterface']);
    expect(j.ipsets[0]).toEqual({ name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', entries: ['10.96.0.1,tcp:443', '10.96.0.10,udp:53'] });
  });
});
