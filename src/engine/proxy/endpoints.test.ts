import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../k8s/types.ts';
import { buildEndpointsMap } from './endpoints.ts';

const slice = (name: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'], extra: Partial<EndpointSlice> = {}): EndpointSlice => ({
  metadata: { name, namespace: 'ns', labels: { 'kubernetes.io/service-name': 'svc' } },
  addressType: 'IPv4',
  endpoints,
  ports,
  ...extra,
});
const opts = { ipFamily: 'IPv4' as const, nodeName: 'n1', endpointDedupPrefers: 'local' as const };

describe('buildEndpointsMap', () => {
  it('sorts endpoints by the IP:port string and keys them by port name + protocol', () => {
    const m = buildEndpointsMap([slice('a', [{ addresses: ['10.0.0.2'] }, { addresses: ['10.0.0.10'] }], [{ name: 'p', port: 80, protocol: 'TCP' }])], opts);
    expect(m.get('ns/svc:p/TCP')!.map((e) => e.key)).toEqual(['10.0.0.10:80', '10.0.0.2:80']);
  });
  it('ignores nameless or zero ports, wrong-family and unlabelled slices; empty name matches unnamed', () => {
    const m = buildEndpointsMap(
      [
        slice('a', [{ addresses: ['10.0.0.1'] }], [{ port: 80 }, { name: 'z', port: 0 }, { name: '', port: 81 }]),
        slice('b', [{ addresses: ['fd00::1'] }], [{ name: 'p', port: 80 }], { addressType: 'IPv6' }),
        { ...slice('c', [{ addresses: ['10.0.0.9'] }], [{ name: 'p', port: 80 }]), metadata: { name: 'c', namespace: 'ns' } },
      ],
      opts,
    );
    expect([...m.keys()]).toEqual(['ns/svc/TCP']);
    expect(m.get('ns/svc/TCP')![0].key).toBe('10.0.0.1:81');
  });
  it('reads conditions with nil as ready/serving, and locality from nodeName', () => {
    const m = buildEndpointsMap(
      [slice('a', [{ addresses: ['10.0.0.1'], nodeName: 'n1' }, { addresses: ['10.0.0.2'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'n2' }], [{ name: 'p', port: 80 }])],
      opts,
    );
    const [a, b] = m.get('ns/svc:p/TCP')!;
    expect([a.ready, a.serving, a.terminating, a.isLocal]).toEqual([true, true, false, true]);
    expect([b.ready, b.serving, b.terminating, b.isLocal]).toEqual([false, true, true, false]);
  });
  it('merges duplicate IP:port across slices by the configured tie-break', () => {
    const slices = [
      slice('a', [{ addresses: ['10.0.0.1'], conditions: { ready: false, terminating: true }, nodeName: 'n1' }], [{ name: 'p', port: 80 }]),
      slice('b', [{ addresses: ['10.0.0.1'], nodeName: 'n2' }], [{ name: 'p', port: 80 }]),
    ];
    const local = buildEndpointsMap(slices, opts).get('ns/svc:p/TCP')!;
    expect(local).toHaveLength(1);
    expect(local[0].isLocal).toBe(true);
    const nonTerm = buildEndpointsMap(slices, { ...opts, endpointDedupPrefers: 'nonTerminating' }).get('ns/svc:p/TCP')!;
    expect(nonTerm[0].terminating).toBe(false);
  });
  it('uses addresses[0] only, canonical, and brackets IPv6', () => {
    const m = buildEndpointsMap([slice('a', [{ addresses: ['010.0.0.001', '10.0.0.2'] }, { addresses: [] }], [{ name: 'p', port: 80 }])], opts);
    expect(m.get('ns/svc:p/TCP')!.map((e) => e.key)).toEqual(['10.0.0.1:80']);
    const v6 = buildEndpointsMap([slice('a', [{ addresses: ['FD00::0001'] }], [{ name: 'p', port: 80 }], { addressType: 'IPv6' })], { ...opts, ipFamily: 'IPv6' });
    expect(v6.get('ns/svc:p/TCP')![0].key).toBe('[fd00::1]:80');
  });
});
