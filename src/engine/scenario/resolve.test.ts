import { describe, expect, it } from 'vitest';
import { resolveDestination } from './resolve.ts';

const records = [
  { name: 'nginx-basic.default.svc.cluster.local.', type: 'A', value: '10.102.249.128' },
  { name: 'nginx-headless.default.svc.cluster.local.', type: 'A', value: '10.244.235.208' },
  { name: 'nginx-headless.default.svc.cluster.local.', type: 'A', value: '10.244.154.195' },
  { name: '_http._tcp.nginx-basic.default.svc.cluster.local.', type: 'SRV', value: '0 100 80 nginx-basic.default.svc.cluster.local.' },
  { name: 'nginx-alias.default.svc.cluster.local.', type: 'CNAME', value: 'nginx.example.com.' },
  { name: 'web.prod.svc.cluster.local.', type: 'A', value: '10.96.7.7' },
];

describe('resolveDestination', () => {
  it('passes addresses through and needs a port', () => {
    expect(resolveDestination('10.102.249.128:80', records)).toEqual({ ok: true, address: '10.102.249.128', port: 80, via: null, others: [] });
    expect(resolveDestination('10.102.249.128', records)).toMatchObject({ ok: false, code: 'noPort' });
    expect(resolveDestination('[fd00::1]:53', records)).toMatchObject({ ok: true, address: 'fd00::1', port: 53 });
  });
  it('resolves short and full names through the search path', () => {
    expect(resolveDestination('nginx-basic:80', records)).toMatchObject({ ok: true, address: '10.102.249.128', via: 'nginx-basic.default.svc.cluster.local.' });
    expect(resolveDestination('nginx-basic.default:80', records)).toMatchObject({ ok: true, address: '10.102.249.128' });
    expect(resolveDestination('nginx-basic.default.svc.cluster.local:80', records)).toMatchObject({ ok: true, address: '10.102.249.128' });
    expect(resolveDestination('web.prod:8080', records)).toMatchObject({ ok: true, address: '10.96.7.7', port: 8080 });
  });
  it('gives a headless name its pod addresses, the first chosen', () => {
    expect(resolveDestination('nginx-headless.default:80', records)).toEqual({ ok: true, address: '10.244.235.208', port: 80, via: 'nginx-headless.default.svc.cluster.local.', others: ['10.244.154.195'] });
  });
  it('explains ExternalName and unknown names', () => {
    expect(resolveDestination('nginx-alias.default:80', records)).toMatchObject({ ok: false, code: 'external', target: 'nginx.example.com.' });
    expect(resolveDestination('nope.default:80', records)).toMatchObject({ ok: false, code: 'notFound' });
  });
});
