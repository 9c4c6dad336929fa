// The (legacy) Endpoints controller (semantics.md §1): primary family only, terminating pods left
// out unless publishNotReadyAddresses, named ports resolved per pod, then repacked so addresses
// with identical port sets share a subset (RepackSubsets). Go orders subsets and ports by hash;
// we order subsets by their first address and keep Service port order, which is reproducible.
import type { EndpointAddress, Endpoints, IPFamily, Pod, Service } from '../k8s/types.ts';
import { familyOf } from './ip.ts';
import type { LabelIndex } from './labels.ts';
import { endpointHostname, HEADLESS_LABEL, isHeadlessService, serviceAddressTypes } from './endpointslices.ts';
import { isPodReady, isTerminal, isTerminating, nsOf, podIPs } from './pods.ts';
import { resolvePort } from './ports.ts';

type Port = { name?: string; port: number; protocol?: 'TCP' | 'UDP' | 'SCTP'; appProtocol?: string };

const MAX_CAPACITY = 1000;
export const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';

function ipKey(ip: string): string {
  // numeric order for IPv4, text otherwise
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return m ? m.slice(1).map((x) => x.padStart(3, '0')).join('.') : ip;
}

function sortAddresses(a: EndpointAddress[]): EndpointAddress[] {
  return a.sort((x, y) => {
    const kx = ipKey(x.ip);
    const ky = ipKey(y.ip);
    if (kx !== ky) return kx < ky ? -1 : 1;
    const ux = x.targetRef?.uid ?? '';
    const uy = y.targetRef?.uid ?? '';
    return ux < uy ? -1 : ux > uy ? 1 : 0;
  });
}

export function endpointsFor(svc: Service, pods: LabelIndex<Pod>, primary: IPFamily): Endpoints {
  const ns = nsOf(svc);
  const name = svc.metadata.name as string;
  const pNRA = svc.spec.publishNotReadyAddresses === true;
  const family = serviceAddressTypes(svc, primary)[0];
  const ports = svc.spec.ports ?? [];
  // address identity -> ready per port key; ports by key
  const perPort = new Map<string, { port: Port; addrs: Map<string, { addr: EndpointAddress; ready: boolean }> }>();
  const portless = new Map<string, { addr: EndpointAddress; ready: boolean }>();
  for (const pod of pods.select(ns, svc.spec.selector ?? {})) {
    if (isTerminal(pod)) continue;
    if (isTerminating(pod) && !pNRA) continue;
    const ip = podIPs(pod).find((x) => familyOf(x) === family);
    if (!ip) continue;
    const addr: EndpointAddress = { ip };
    const hostname = endpointHostname(pod, svc);
    if (hostname) addr.hostname = hostname;
    if (pod.spec.nodeName) addr.nodeName = pod.spec.nodeName;
    addr.targetRef = { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid };
    const ready = pNRA || isPodReady(pod);
    const id = `${ip}/${pod.metadata.uid ?? pod.metadata.name}`;
    if (ports.length === 0) {
      if (isHeadlessService(svc)) portless.set(id, { addr, ready });
      continue;
    }
    for (const sp of ports) {
      const n = resolvePort(pod, sp);
      if (n === null) continue;
      const port: Port = { name: sp.name, port: n, protocol: sp.protocol ?? 'TCP' };
      if (!port.name) delete port.name;
      if (sp.appProtocol) port.appProtocol = sp.appProtocol;
      const key = JSON.stringify([port.name ?? '', port.port, port.protocol, port.appProtocol ?? '']);
      let entry = perPort.get(key);
      if (!entry) perPort.set(key, (entry = { port, addrs: new Map() }));
      const prev = entry.addrs.get(id);
      entry.addrs.set(id, { addr, ready: ready || (prev?.ready ?? false) });
    }
  }
  // Repack: ports with identical (address, ready) sets form one subset.
  const bySet = new Map<string, { ports: Port[]; addrs: { addr: EndpointAddress; ready: boolean }[] }>();
  for (const { port, addrs } of perPort.values()) {
    const list = [...addrs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = JSON.stringify(list.map(([id, v]) => [id, v.ready]));
    let s = bySet.get(key);
    if (!s) bySet.set(key, (s = { ports: [], addrs: list.map(([, v]) => v) }));
    s.ports.push(port);
  }
  if (portless.size > 0) bySet.set('portless', { ports: [], addrs: [...portless.values()] });
  const subsets = [...bySet.values()]
    .map((s) => {
      const addresses = sortAddresses(s.addrs.filter((a) => a.ready).map((a) => ({ ...a.addr })));
      const notReady = sortAddresses(s.addrs.filter((a) => !a.ready).map((a) => ({ ...a.addr })));
      return {
        ...(addresses.length ? { addresses } : {}),
        ...(notReady.length ? { notReadyAddresses: notReady } : {}),
        ...(s.ports.length ? { ports: s.ports } : {}),
      };
    })
    .filter((s) => s.addresses || s.notReadyAddresses)
    .sort((a, b) => {
      const ka = ipKey((a.addresses ?? a.notReadyAddresses ?? [])[0]?.ip ?? '');
      const kb = ipKey((b.addresses ?? b.notReadyAddresses ?? [])[0]?.ip ?? '');
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isHeadlessService(svc)) labels[HEADLESS_LABEL] = '';
  const ep: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace: ns, ...(Object.keys(labels).length ? { labels } : {}) },
    subsets,
  };
  truncate(ep);
  return ep;
}

/** over 1000 addresses: keep ready ones first, cut per subset proportionally (endpoints_controller) */
function truncate(ep: Endpoints): void {
  const subsets = ep.subsets ?? [];
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (ready + notReady <= MAX_CAPACITY) return;
  ep.metadata.annotations = { ...(ep.metadata.annotations ?? {}), [OVER_CAPACITY]: 'truncated' };
  const cut = (field: 'addresses' | 'notReadyAddresses', total: number, budget: number) => {
    let left = budget;
    subsets.forEach((s, i) => {
      const list = s[field] ?? [];
      const keep = i === subsets.length - 1 ? left : Math.min(left, Math.ceil((list.length / total) * budget));
      s[field] = list.slice(0, Math.max(0, keep));
      left -= s[field]?.length ?? 0;
    });
  };
  if (ready > MAX_CAPACITY) {
    for (const s of subsets) s.notReadyAddresses = [];
    cut('addresses', ready, MAX_CAPACITY);
  } else {
    cut('notReadyAddresses', notReady, MAX_CAPACITY - ready);
  }
  for (const s of subsets) {
    if (s.addresses?.length === 0) delete s.addresses;
    if (s.notReadyAddresses?.length === 0) delete s.notReadyAddresses;
  }
}
