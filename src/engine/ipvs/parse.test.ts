import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dataplaneFromState, explainIpvs, parseIpvsState } from './parse.ts';

// Fixtures written for these tests in the tools' formats (ipvsadm 1.31, ipset 7, iproute2).
const IPVSADM = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  'TCP  10.96.0.1:443 rr',
  '  -> 192.168.0.2:6443             Masq    1      3          0         ',
  'TCP  10.96.0.50:80 rr',
  '  -> 10.244.1.5:8080              Masq    1      0          0         ',
  '  -> 10.244.2.7:8080              Masq    0      2          5         ',
  '  -> 10.244.2.8:8080              Masq    1      0          0         ',
  'TCP  10.96.0.60:80 wrr persistent 10800',
  '  -> 10.244.1.9:80                Masq    1      0          0         ',
  '  -> 10.244.2.9:80                Masq    3      0          0         ',
  'TCP  192.168.0.2:30080 rr',
  '  -> 10.244.1.5:8080              Masq    1      0          0         ',
  '  -> 10.244.2.7:8080              Masq    0      2          5         ',
  '  -> 10.244.2.8:8080              Masq    1      0          0         ',
  'TCP  172.17.0.1:30080 rr',
  '  -> 10.244.1.5:8080              Masq    1      0          0         ',
  '  -> 10.244.2.7:8080              Masq    0      2          5         ',
  '  -> 10.244.2.8:8080              Masq    1      0          0         ',
  'UDP  10.96.0.10:53 lc',
  '  -> 10.244.0.2:53                Masq    1      0          12        ',
  '  -> 10.244.0.3:53                Masq    1      0          9         ',
  'UDP  10.96.0.99:53 rr',
  '',
].join('\n');

const IPSETS = [
  'Name: KUBE-CLUSTER-IP',
  'Type: hash:ip,port',
  'Revision: 5',
  'Header: family inet hashsize 1024 maxelem 65536',
  'Size in memory: 8696',
  'References: 2',
  'Number of entries: 5',
  'Members:',
  '10.96.0.1,tcp:443',
  '10.96.0.50,tcp:80',
  '10.96.0.60,tcp:80',
  '10.96.0.10,udp:53',
  '10.96.0.99,udp:53',
  '',
  'Name: KUBE-NODE-PORT-TCP',
  'Type: bitmap:port',
  'Revision: 3',
  'Header: range 0-65535',
  'Size in memory: 8264',
  'References: 1',
  'Number of entries: 1',
  'Members:',
  '30080',
  '',
].join('\n');

const IPADDR = [
  '7: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default ',
  '    link/ether 2a:11:0b:9c:00:41 brd ff:ff:ff:ff:ff:ff',
  '    inet 10.96.0.1/32 scope global kube-ipvs0',
  '       valid_lft forever preferred_lft forever',
  '    inet 10.96.0.50/32 scope global kube-ipvs0',
  '       valid_lft forever preferred_lft forever',
  '',
].join('\n');

describe('parseIpvsState', () => {
  it('reads services, real servers, weights and counters with line numbers', () => {
    const s = parseIpvsState(IPVSADM);
    expect(s.formats).toEqual(['ipvsadm']);
    expect(s.virtualServers).toHaveLength(7);
    const web = s.virtualServers[1]!;
    expect(web).toMatchObject({ protocol: 'TCP', address: '10.96.0.50', port: 80, scheduler: 'rr', line: 6 });
    expect(web.realServers[1]).toEqual({ address: '10.244.2.7', port: 8080, forward: 'Masq', weight: 0, activeConns: 2, inactConns: 5, line: 8 });
    expect(s.virtualServers[2]!.persistent).toBe(10800);
    expect(s.diagnostics).toEqual([]);
  });

  it('reads --stats counters (K/M suffixes) and -c connection entries', () => {
    const stats = [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
      '  -> RemoteAddress:Port',
      'TCP  10.96.0.1:443                       12  123456K        0     2000M        7',
      '  -> 192.168.0.2:6443                    12      400      380    52000    61000',
      '',
      'IPVS connection entries',
      'pro expire state       source             virtual            destination',
      'TCP 14:58  ESTABLISHED 10.244.1.9:40000   10.96.0.50:80      10.244.1.5:8080',
      'UDP 04:51  UDP         10.244.1.9:51234   10.96.0.10:53      10.244.0.3:53',
    ].join('\r\n');
    const s = parseIpvsState(stats);
    expect(s.formats.sort()).toEqual(['ipvsadm', 'ipvsadm-c', 'ipvsadm-stats']);
    expect(s.virtualServers[0]!.stats).toEqual({ Conns: 12, InPkts: 123456000, OutPkts: 0, InBytes: 2e9, OutBytes: 7 });
    expect(s.virtualServers[0]!.realServers[0]!.weight).toBeNull();
    expect(s.connections.map((c) => [c.protocol, c.state, c.virtual, c.destination])).toEqual([
      ['TCP', 'ESTABLISHED', '10.96.0.50:80', '10.244.1.5:8080'],
      ['UDP', 'UDP', '10.96.0.10:53', '10.244.0.3:53'],
    ]);
  });

  it('reads ipset list blocks and the kube-ipvs0 addresses', () => {
    const s = parseIpvsState(IPSETS + '\n' + IPADDR);
    expect(s.ipsets.map((x) => [x.name, x.type, x.entries.length])).toEqual([['KUBE-CLUSTER-IP', 'hash:ip,port', 5], ['KUBE-NODE-PORT-TCP', 'bitmap:port', 1]]);
    expect(s.kubeIpvs0).toEqual({ addresses: ['10.96.0.1/32', '10.96.0.50/32'], line: 25, state: 'DOWN' });
  });

  it('reports a name-resolved listing and an orphan destination at their lines, without crashing', () => {
    const s = parseIpvsState('TCP  kubernetes:https rr\n  -> node1:6443 Masq 1 0 0\n  -> 10.0.0.1:80 Masq 1 0 0\n');
    expect(s.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['ipvsadm-not-numeric', 1],
      ['ipvsadm-orphan-destination', 2],
      ['ipvsadm-orphan-destination', 3],
    ]);
  });
});

describe('explainIpvs', () => {
  const session = [
    'root@node-1:~# ipvsadm -Ln',
    IPVSADM,
    'root@node-1:~# ipset list',
    IPSETS,
    'root@node-1:~# ip addr show kube-ipvs0',
    IPADDR,
  ].join('\n');
  const e = explainIpvs(session);

  it('recognises a pasted terminal session as mixed', () => {
    expect(e.format).toBe('mixed');
  });

  it('maps virtual servers to ClusterIP services via KUBE-CLUSTER-IP, never inventing names', () => {
    const web = e.services.find((s) => s.clusterIP === '10.96.0.50')!;
    expect(web).toMatchObject({ name: null, protocol: 'tcp', port: 80, noEndpoints: false });
    expect(web.endpoints).toEqual([
      { address: '10.244.1.5:8080', probability: 0.5, weight: 1 },
      { address: '10.244.2.7:8080', probability: 0, weight: 0 },
      { address: '10.244.2.8:8080', probability: 0.5, weight: 1 },
    ]);
    expect(e.services.find((s) => s.clusterIP === '10.96.0.60')!.endpoints.map((x) => x.probability)).toEqual([0.25, 0.75]);
  });

  it('groups the NodePort virtual servers of every node address into one entry', () => {
    const np = e.services.filter((s) => s.nodePorts.includes(30080));
    expect(np).toHaveLength(1);
    expect(np[0]!.clusterIP).toBeNull();
    expect(np[0]!.ipvs.virtualServers).toEqual(['TCP 192.168.0.2:30080', 'TCP 172.17.0.1:30080']);
  });

  it('least-connection shares are null with a note; empty virtual servers and draining real servers are flagged', () => {
    const dns = e.services.find((s) => s.clusterIP === '10.96.0.10')!;
    expect(dns.endpoints.map((x) => x.probability)).toEqual([null, null]);
    const codes = e.diagnostics.map((d) => d.code);
    expect(codes).toContain('ipvs-share-unpredictable');
    expect(e.diagnostics.find((d) => d.code === 'ipvs-no-real-servers')!.line).toBe(session.split('\n').indexOf('UDP  10.96.0.99:53 rr') + 1);
    expect(codes).toContain('ipvs-weight-zero');
    expect(e.services.find((s) => s.clusterIP === '10.96.0.99')!.noEndpoints).toBe(true);
  });

  it('names a service only from iptables-mode leftovers that match it, and calls them leftovers', () => {
    const withLeftovers = [
      IPVSADM,
      IPSETS,
      '*nat',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-SVC-ABCDEFGHIJKLMNOP - [0:0]',
      '-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-ABCDEFGHIJKLMNOP',
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ',
      '-A KUBE-NODEPORTS -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j KUBE-EXT-ABCDEFGHIJKLMNOP',
      'COMMIT',
    ].join('\n');
    const x = explainIpvs(withLeftovers);
    const ruleLine = withLeftovers.split('\n').findIndex((l) => l.includes('--match-set KUBE-CLUSTER-IP')) + 1;
    expect(ruleLine).toBeGreaterThan(40);
    expect(x.services.find((s) => s.clusterIP === '10.96.0.50')!.name).toBe('default/web:http');
    expect(x.services.find((s) => s.clusterIP === '10.96.0.60')!.name).toBeNull();
    // the leftover NodePort rule names 30080 after the same Service port: one entry, not two
    expect(x.services.find((s) => s.clusterIP === '10.96.0.50')!.nodePorts).toEqual([30080]);
    expect(x.services.filter((s) => s.nodePorts.includes(30080))).toHaveLength(1);
    expect(x.diagnostics.find((d) => d.code === 'ipvs-iptables-leftovers')?.severity).toBe('warning');
    expect(x.ipsetRules).toEqual([
      { line: ruleLine, chain: 'KUBE-SERVICES', set: 'KUBE-CLUSTER-IP', direction: 'dst,dst', target: 'KUBE-MARK-MASQ', purpose: 'Service cluster IP + port (masquerade decision, accept)' },
    ]);
  });

  it('without ipsets a VIP on kube-ipvs0 is reported as of unknown role rather than guessed', () => {
    const x = explainIpvs(IPVSADM + IPADDR);
    const s = x.services.find((v) => v.ipvs.virtualServers[0] === 'TCP 10.96.0.50:80')!;
    expect(s.clusterIP).toBeNull();
    expect(x.diagnostics.some((d) => d.code === 'ipvs-vip-role-unknown' && d.line === 6)).toBe(true);
  });
});


describe('robustness', () => {
  it('never throws on arbitrary text or on truncated real listings', () => {
    const real = IPVSADM + IPSETS + IPADDR;
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.nat(real.length), (junk, cut) => {
        const r = explainIpvs(real.slice(0, cut) + junk);
        return Array.isArray(r.services) && r.diagnostics.every((d) => d.line >= 0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('dataplaneFromState', () => {
  it('turns a pasted session into virtual servers, ipsets and kube-ipvs0 addresses a packet can be traced through', () => {
    const dp = dataplaneFromState(parseIpvsState(IPVSADM + IPSETS + IPADDR));
    const web = dp.virtualServers.find((v) => v.address === '10.96.0.60')!;
    expect(web).toMatchObject({ scheduler: 'wrr', flags: 1, timeout: 10800 });
    expect(web.realServers.map((r) => r.weight)).toEqual([1, 3]);
    expect(dp.dummyInterface.addresses).toEqual(['10.96.0.1/32', '10.96.0.50/32']);
    expect(dp.ipsets.find((s) => s.name === 'KUBE-NODE-PORT-TCP')!.entries).toEqual(['30080']);
    const mh = dataplaneFromState(parseIpvsState('TCP  10.96.55.5:80 mh (mh-port) persistent 60\n  -> 10.1.0.1:80 Masq 1 0 0\n'));
    expect(mh.virtualServers[0]!.flags).toBe(0x11);
  });
});
