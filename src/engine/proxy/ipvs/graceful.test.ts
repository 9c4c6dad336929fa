import { describe, expect, it } from 'vitest';
import { resolveProxierConfig } from '../config.ts';
import { generateIpvs } from './proxier.ts';
import { applySync, expireDrained } from './graceful.ts';
import { nginxScenario } from './scenario.ts';
import type { IpvsDataplane } from '../../ipvs/types.ts';

const config = resolveProxierConfig({ kubeProxyVersion: 'v1.34.0' });
const { services, slices } = nginxScenario();
const withConns = (dp: IpvsDataplane, address: string, active: number): IpvsDataplane => ({
  ...dp,
  virtualServers: dp.virtualServers.map((v) => ({ ...v, realServers: v.realServers.map((r) => (r.address === address ? { ...r, activeConns: active } : r)) })),
});
const without = slices.map((s) => ({ ...s, endpoints: s.endpoints!.filter((e) => e.addresses[0] !== '10.244.2.7') }));
const cip = (dp: IpvsDataplane) => dp.virtualServers.find((v) => v.address === '10.96.0.50')!;

describe('graceful termination across syncs', () => {
  it('a removed TCP endpoint with connections stays at weight 0, keeping its counters', () => {
    const first = withConns(generateIpvs(services, slices, config), '10.244.2.7', 3);
    const second = applySync(first, generateIpvs(services, without, config));
    expect(cip(second).realServers.map((r) => [r.address, r.weight, r.activeConns ?? 0])).toEqual([
      ['10.244.1.5', 1, 0],
      ['10.244.2.7', 0, 3],
    ]);
    expect(cip(expireDrained(withConns(second, '10.244.2.7', 0))).realServers.map((r) => r.address)).toEqual(['10.244.1.5']);
  });
  it('without connections (or for UDP) the real server is deleted at once', () => {
    const first = generateIpvs(services, slices, config);
    expect(cip(applySync(first, generateIpvs(services, without, config))).realServers).toHaveLength(1);
    const udp = services.map((s) => ({ ...s, spec: { ...s.spec, ports: s.spec.ports!.map((p) => ({ ...p, protocol: 'UDP' as const })) } }));
    const udpSlices = slices.map((s) => ({ ...s, ports: s.ports!.map((p) => ({ ...p, protocol: 'UDP' as const })) }));
    const u1 = withConns(generateIpvs(udp, udpSlices, config), '10.244.2.7', 3);
    const u2 = applySync(u1, generateIpvs(udp, udpSlices.map((s) => ({ ...s, endpoints: s.endpoints!.filter((e) => e.addresses[0] !== '10.244.2.7') })), config));
    expect(cip(u2).realServers.map((r) => r.address)).toEqual(['10.244.1.5']);
  });
  it('an endpoint that returns while draining is re-added with weight 1 and fresh counters', () => {
    const first = withConns(generateIpvs(services, slices, config), '10.244.2.7', 3);
    const draining = applySync(first, generateIpvs(services, without, config));
    const back = applySync(draining, generateIpvs(services, slices, config));
    expect(cip(back).realServers.find((r) => r.address === '10.244.2.7')).toEqual({ address: '10.244.2.7', port: 8080, weight: 1 });
  });
});
