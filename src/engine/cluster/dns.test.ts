import { describe, expect, it } from 'vitest';
import { dashedIP, reverseName } from './dns.ts';
import { simulateCluster } from './index.ts';
import { input, node, obj, pod, service } from './builders.ts';

const N1 = obj(node('n1', 'za', '10.0.0.1', '10.244.1.0/24'));

describe('DNS records', () => {
  it('ClusterIP Service: A, SRV for named ports only (Service port), PTR; even without endpoints', () => {
    const s = simulateCluster(
      input(obj(service('web', { clusterIP: '10.96.0.50', selector: { app: 'none' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }] }, { namespace: 'shop' }))),
    );
    expect(s.dns).toEqual([
      { name: 'web.shop.svc.cluster.local.', type: 'A', value: '10.96.0.50' },
      { name: '_http._tcp.web.shop.svc.cluster.local.', type: 'SRV', value: '0 100 80 web.shop.svc.cluster.local.' },
      { name: '_dns._udp.web.shop.svc.cluster.local.', type: 'SRV', value: '0 100 53 web.shop.svc.cluster.local.' },
      { name: '50.0.96.10.in-addr.arpa.', type: 'PTR', value: 'web.shop.svc.cluster.local.' },
    ]);
  });

  it('headless Service: A per ready endpoint, hostname records, SRV with the endpoint port, PTR to the hostname', () => {
    const s = simulateCluster(
      input(
        N1,
        obj(pod('web-0', { app: 'db' }, 'n1', '10.244.1.2', { hostname: 'web-0', subdomain: 'db' })),
        obj(pod('x', { app: 'db' }, 'n1', '10.244.1.3')),
        obj(pod('u', { app: 'db' }, 'n1', '10.244.1.4', { ready: false })),
        obj(service('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432, targetPort: 15432 }] })),
      ),
      { clusterDomain: 'k8s.local' },
    );
    expect(s.dns).toEqual([
      { name: 'db.default.svc.k8s.local.', type: 'A', value: '10.244.1.2' },
      { name: 'db.default.svc.k8s.local.', type: 'A', value: '10.244.1.3' },
      { name: 'web-0.db.default.svc.k8s.local.', type: 'A', value: '10.244.1.2' },
      { name: '10-244-1-3.db.default.svc.k8s.local.', type: 'A', value: '10.244.1.3' },
      { name: '_pg._tcp.db.default.svc.k8s.local.', type: 'SRV', value: '0 50 15432 web-0.db.default.svc.k8s.local.' },
      { name: '_pg._tcp.db.default.svc.k8s.local.', type: 'SRV', value: '0 50 15432 10-244-1-3.db.default.svc.k8s.local.' },
      { name: '2.1.244.10.in-addr.arpa.', type: 'PTR', value: 'web-0.db.default.svc.k8s.local.' },
      { name: '3.1.244.10.in-addr.arpa.', type: 'PTR', value: '10-244-1-3.db.default.svc.k8s.local.' },
    ]);
  });

  it('ExternalName: a CNAME only', () => {
    const s = simulateCluster(input(obj(service('ext', { type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 5432 }] }))));
    expect(s.dns).toEqual([{ name: 'ext.default.svc.cluster.local.', type: 'CNAME', value: 'db.example.com.' }]);
  });

  it('IPv6 names', () => {
    expect(reverseName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.');
    expect(dashedIP('fd00::7')).toBe('fd00--7');
    expect(dashedIP('::1')).toBe('0--1');
  });
});
