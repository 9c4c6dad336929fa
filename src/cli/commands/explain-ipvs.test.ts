// `svcpath explain` on pasted IPVS state: ipvsadm (-Ln, --stats, -c), ipset list, ip addr show
// kube-ipvs0 and IPVS-mode iptables-save, alone or pasted together. Fixtures written for these
// tests in the tools' output formats.
import { describe, expect, it } from 'vitest';
import { run } from './explain.ts';
import { fakeIo } from '../fake-io.ts';

const IPVSADM = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  10.100.0.20:80 rr
  -> 10.200.1.4:8080              Masq    1      0          0
  -> 10.200.2.4:8080              Masq    1      1          0
  -> 10.200.3.4:8080              Masq    1      0          2
TCP  10.100.0.30:443 wrr persistent 10800
  -> 10.200.1.8:8443              Masq    1      0          0
  -> 10.200.2.8:8443              Masq    3      0          0
TCP  192.168.50.3:31500 rr
  -> 10.200.1.4:8080              Masq    1      0          0
  -> 10.200.2.4:8080              Masq    1      1          0
  -> 10.200.3.4:8080              Masq    1      0          2
UDP  10.100.0.10:53 lc
  -> 10.200.0.2:53                Masq    1      0          4
  -> 10.200.0.3:53                Masq    1      0          7
UDP  10.100.0.40:514 rr
`;

const IPSET = `Name: KUBE-CLUSTER-IP
Type: hash:ip,port
Revision: 6
Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x1c2b3a4d
Size in memory: 512
References: 3
Number of entries: 4
Members:
10.100.0.20,tcp:80
10.100.0.30,tcp:443
10.100.0.10,udp:53
10.100.0.40,udp:514

Name: KUBE-NODE-PORT-TCP
Type: bitmap:port
Revision: 3
Header: range 0-65535
Size in memory: 8268
References: 1
Number of entries: 1
Members:
31500
`;

const IPADDR = `5: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default
    link/ether 4e:21:90:aa:03:17 brd ff:ff:ff:ff:ff:ff
    inet 10.100.0.10/32 scope global kube-ipvs0
       valid_lft forever preferred_lft forever
    inet 10.100.0.20/32 scope global kube-ipvs0
       valid_lft forever preferred_lft forever
    inet 10.100.0.30/32 scope global kube-ipvs0
       valid_lft forever preferred_lft forever
    inet 10.100.0.40/32 scope global kube-ipvs0
       valid_lft forever preferred_lft forever
`;

const SAVE = `*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-SVC-Q7ZKGE3NWTYF2SMA - [0:0]
:KUBE-SEP-HX4C2LQ3VFPRM6TD - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ
-A KUBE-SERVICES ! -s 10.200.0.0/16 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ
-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT
-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
-A KUBE-SERVICES -d 10.100.0.20/32 -p tcp -m comment --comment "shop/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-Q7ZKGE3NWTYF2SMA
-A KUBE-SVC-Q7ZKGE3NWTYF2SMA -m comment --comment "shop/web:http -> 10.200.1.4:8080" -j KUBE-SEP-HX4C2LQ3VFPRM6TD
-A KUBE-SEP-HX4C2LQ3VFPRM6TD -p tcp -m comment --comment "shop/web:http" -m tcp -j DNAT --to-destination 10.200.1.4:8080
COMMIT
`;

async function json(text: string) {
  const io = fakeIo({ 'paste.txt': text });
  expect(await run(['paste.txt', '--format', 'json'], io)).toBe(0);
  return JSON.parse(io.out.join(''));
}

type Svc = { name: string | null; protocol: string; clusterIP: string | null; port: number | null; nodePorts: number[]; endpoints: { address: string; probability: number | null }[]; noEndpoints: boolean };

describe('svcpath explain: IPVS state', () => {
  it('ipvsadm -Ln alone: every virtual server with its real servers as endpoints and their shares; no names invented', async () => {
    const j = await json(IPVSADM);
    expect(j.format).toBe('ipvsadm');
    const web = j.services.find((s: Svc) => s.endpoints.some((e) => e.address === '10.200.3.4:8080') && s.nodePorts.length === 0);
    expect(web.name).toBeNull();
    expect(web.endpoints.map((e: { probability: number }) => e.probability)).toEqual([0.3333333333, 0.3333333333, 0.3333333333]);
    const wrr = j.services.find((s: Svc) => s.endpoints.some((e) => e.address === '10.200.2.8:8443'));
    expect(wrr.endpoints.map((e: { probability: number }) => e.probability)).toEqual([0.25, 0.75]);
    const dns = j.services.find((s: Svc) => s.protocol === 'udp' && s.endpoints.length === 2);
    expect(dns.endpoints.map((e: { probability: number | null }) => e.probability)).toEqual([null, null]);
    expect(j.services.some((s: Svc) => s.noEndpoints && s.endpoints.length === 0)).toBe(true);
    // without ipset list or kube-ipvs0 the role of each address is not shown
    expect(j.services.every((s: Svc) => s.clusterIP === null)).toBe(true);
    expect(j.diagnostics.map((d: { code: string }) => d.code)).toEqual(expect.arrayContaining(['ipvs-no-real-servers', 'ipvs-role-unknown']));
  });

  it('ipvsadm + ipset list + ip addr show kube-ipvs0: ClusterIPs and NodePorts told apart; format mixed', async () => {
    const j = await json(`$ ipvsadm -Ln\n${IPVSADM}$ ipset list\n${IPSET}$ ip addr show kube-ipvs0\n${IPADDR}`);
    expect(j.format).toBe('mixed');
    const byIp = new Map(j.services.filter((s: Svc) => s.clusterIP).map((s: Svc) => [`${s.clusterIP}:${s.port}`, s]));
    expect([...byIp.keys()].sort()).toEqual(['10.100.0.10:53', '10.100.0.20:80', '10.100.0.30:443', '10.100.0.40:514']);
    expect((byIp.get('10.100.0.40:514') as Svc).noEndpoints).toBe(true);
    expect(j.services.find((s: Svc) => s.nodePorts.includes(31500))).toBeDefined();
    expect(j.ipvs.kubeIpvs0).toHaveLength(4);
    expect(j.ipvs.ipsets).toEqual(['KUBE-CLUSTER-IP', 'KUBE-NODE-PORT-TCP']);
    // ipvsadm and ipset text is explained, so not reported as "other format, not explained"
    expect(j.diagnostics.some((d: { code: string }) => d.code === 'other-format')).toBe(false);
  });

  it('ipset list alone', async () => {
    const j = await json(IPSET);
    expect(j.format).toBe('ipset');
    expect(j.ipvs.ipsets).toContain('KUBE-CLUSTER-IP');
    expect(j.services).toEqual([]);
  });

  it('IPVS-mode iptables-save pasted with ipvsadm: ipset rules explained, KUBE-SVC/KUBE-SEP named as leftovers of iptables mode', async () => {
    const io = fakeIo({ 'paste.txt': `${SAVE}${IPVSADM}` });
    expect(await run(['paste.txt', '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.format).toBe('mixed');
    expect(j.ipvs.ipsetRules.map((r: { set: string; target: string }) => `${r.set}>${r.target}`)).toEqual(['KUBE-NODE-PORT-TCP>KUBE-MARK-MASQ', 'KUBE-CLUSTER-IP>KUBE-MARK-MASQ', 'KUBE-CLUSTER-IP>ACCEPT']);
    expect(j.leftoverServices.map((s: { name: string }) => s.name)).toEqual(['shop/web:http']);
    expect(j.chains.filter((c: { leftover?: boolean }) => c.leftover).map((c: { name: string }) => c.name).sort()).toEqual(['KUBE-SEP-HX4C2LQ3VFPRM6TD', 'KUBE-SVC-Q7ZKGE3NWTYF2SMA']);
    expect(j.diagnostics.some((d: { code: string }) => d.code === 'ipvs-iptables-leftovers')).toBe(true);
    // the leftover comment is the only place the paste names that address: it is used, marked stale above
    const web = j.services.find((s: Svc) => s.endpoints.some((e) => e.address === '10.200.3.4:8080') && s.nodePorts.length === 0);
    expect(web.name).toBe('shop/web:http');
    const text = fakeIo({ 'paste.txt': `${SAVE}${IPVSADM}` });
    expect(await run(['paste.txt'], text)).toBe(0);
    expect(text.out.join('')).toContain('leftovers of an earlier iptables mode (not used in IPVS mode): shop/web:http');
    expect(text.out.join('')).toContain('KUBE-SERVICES -> ACCEPT: KUBE-CLUSTER-IP (dst,dst)');
  });

  it('ipvsadm --stats and -c: counters without weights give no shares, never invented ones', async () => {
    const stats = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes
  -> RemoteAddress:Port
TCP  10.100.0.20:80                     31     2210        0   140K        0
  -> 10.200.1.4:8080                    10      700        0    44K        0
  -> 10.200.2.4:8080                    21     1510        0    96K        0
IPVS connection entries
pro expire state       source             virtual            destination
TCP 14:20  ESTABLISHED 10.200.9.9:41000   10.100.0.20:80     10.200.2.4:8080
`;
    const j = await json(stats.replace(/\n/g, '\r\n'));
    // --stats, -c and -Ln are all ipvsadm's output
    expect(j.format).toBe('ipvsadm');
    expect(j.services).toHaveLength(1);
    expect(j.services[0].endpoints).toEqual([
      { address: '10.200.1.4:8080', probability: null, weight: null },
      { address: '10.200.2.4:8080', probability: null, weight: null },
    ]);
  });

  it('a plain iptables dump is unchanged: no ipvs part', async () => {
    const j = await json('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j ACCEPT\nCOMMIT\n');
    expect(j.ipvs).toBeNull();
    expect(j.leftoverServices).toEqual([]);
  });
});
