import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../k8s/types.ts';
import { applyHints, zoneCPURatios } from './hints.ts';
import { simulateCluster } from './index.ts';
import { input, node, obj, pod, service } from './builders.ts';
import type { SimNode } from './types.ts';

const sim = (name: string, zone: string | undefined, cpu: number | undefined, labels: Record<string, string> = {}): SimNode => ({
  name,
  labels,
  ...(zone ? { zone } : {}),
  internalIP: '10.0.0.1',
  podCIDR: '10.244.0.0/24',
  pasted: true,
  ready: true,
  ...(cpu !== undefined ? { allocatableMilliCPU: cpu } : {}),
});
const ep = (ip: string, zone: string | undefined, ready = true, nodeName = 'n'): Endpoint => ({
  addresses: [ip],
  conditions: { ready, serving: ready, terminating: false },
  nodeName,
  ...(zone ? { zone } : {}),
});
const auto = service('s', { selector: { app: 'x' }, ports: [{ port: 80 }] }, { annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } });
const zones = (eps: Endpoint[]) => eps.map((e) => e.hints?.forZones?.map((z) => z.name).join(',') ?? '-');

describe('topology hints', () => {
  it('Auto: the worked example (a 50%, b 25%, c 25%; endpoints a:2 b:3 c:3) moves one from b and one from c to a', () => {
    const nodes = [sim('a1', 'a', 4000), sim('b1', 'b', 2000), sim('c1', 'c', 2000)];
    const eps = [ep('1', 'a'), ep('2', 'a'), ep('3', 'b'), ep('4', 'b'), ep('5', 'b'), ep('6', 'c'), ep('7', 'c'), ep('8', 'c')];
    const out = applyHints(auto, eps, nodes, 'IPv4');
    expect(out.applied).toBe('auto');
    const z = zones(eps);
    expect(z.filter((x) => x === 'a')).toHaveLength(4);
    expect(z.filter((x) => x === 'b')).toHaveLength(2);
    expect(z.filter((x) => x === 'c')).toHaveLength(2);
    expect(z.slice(0, 2)).toEqual(['a', 'a']);
  });

  it('Auto turns off (no hints) with the controller reasons', () => {
    const nodes = [sim('a1', 'a', 4000), sim('b1', 'b', 4000)];
    const cases: [SimNode[], Endpoint[], string][] = [
      [[sim('a1', 'a', 4000), sim('x', undefined, 4000)], [ep('1', 'a'), ep('2', 'a')], 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes'],
      [[sim('a1', 'a', 4000), sim('a2', 'a', 4000)], [ep('1', 'a'), ep('2', 'a')], 'Nodes only ready in one zone'],
      [nodes, [ep('1', 'a')], 'Insufficient number of endpoints (1 endpoints, 2 zones)'],
      [nodes, [ep('1', 'a'), ep('2', undefined)], 'One or more endpoints do not have a zone specified'],
    ];
    for (const [ns, eps, why] of cases) {
      const out = applyHints(auto, eps, ns, 'IPv4');
      expect(out.event).toBe(`TopologyAwareHintsDisabled: ${why}, addressType: IPv4`);
      expect(eps.every((e) => e.hints === undefined)).toBe(true);
    }
  });

  it('control-plane nodes and NotReady nodes do not count toward zone CPU', () => {
    const r = zoneCPURatios([sim('cp', 'c', 8000, { 'node-role.kubernetes.io/control-plane': '' }), sim('a', 'a', 1000), sim('b', 'b', 3000), { ...sim('d', 'd', 5000), ready: false }]);
    expect(r).toEqual(new Map([['a', 0.25], ['b', 0.75]]));
  });

  it('not-ready endpoints never get hints', () => {
    const eps = [ep('1', 'a'), ep('2', 'b'), ep('3', 'a', false)];
    applyHints(auto, eps, [sim('a', 'a', 1000), sim('b', 'b', 1000)], 'IPv4');
    expect(zones(eps)).toEqual(['a', 'b', '-']);
  });

  it('trafficDistribution: own zone for ready endpoints; PreferSameNode adds the node; annotation wins', () => {
    const td = (v: string) => service('s', { selector: {}, ports: [{ port: 80 }], trafficDistribution: v });
    const eps = [ep('1', 'a', true, 'n1'), ep('2', 'b', false, 'n2')];
    applyHints(td('PreferSameZone'), eps, [], 'IPv4');
    expect(eps.map((e) => e.hints)).toEqual([{ forZones: [{ name: 'a' }] }, undefined]);
    applyHints(td('PreferSameNode'), eps, [], 'IPv4');
    expect(eps[0].hints).toEqual({ forZones: [{ name: 'a' }], forNodes: [{ name: 'n1' }] });
    const both = { ...td('PreferSameNode'), metadata: { ...auto.metadata } };
    const out = applyHints(both, eps, [sim('a', 'a', 1000)], 'IPv4');
    expect(out.applied).toBe('auto');
    applyHints(td('Nonsense'), eps, [], 'IPv4');
    expect(eps[0].hints).toBeUndefined();
  });

  it('end to end: the default cluster has CPU and zones, so Auto hints appear on the slices', () => {
    const s = simulateCluster(
      input(
        obj(node('a1', 'za', '10.0.0.1', '10.244.1.0/24', '4')),
        obj(node('b1', 'zb', '10.0.0.2', '10.244.2.0/24', '4')),
        obj(pod('p1', { app: 'x' }, 'a1', '10.244.1.2')),
        obj(pod('p2', { app: 'x' }, 'b1', '10.244.2.2')),
        obj(auto),
      ),
    );
    expect(s.endpointSlices[0].endpoints?.map((e) => e.hints)).toEqual([{ forZones: [{ name: 'za' }] }, { forZones: [{ name: 'zb' }] }]);
  });
});
