// Service port -> pod port, as the Endpoints and EndpointSlice controllers resolve it
// (podutil.FindPort): a number is used as is; a name is looked up among the pod's container
// ports with the same protocol, then restartable init containers (sidecars); first match wins.
import type { Pod, Service, ServicePort } from '../k8s/types.ts';

interface PortLike {
  name?: string;
  containerPort: number;
  protocol?: string;
}

function containersOf(p: Pod): { ports?: PortLike[] }[] {
  const spec = p.spec as Pod['spec'] & { initContainers?: { restartPolicy?: string; ports?: PortLike[] }[] };
  return [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
}

export function targetPortOf(sp: ServicePort): number | string {
  const t = sp.targetPort;
  return t === undefined || t === 0 || t === '' ? sp.port : t;
}

export function resolvePort(p: Pod, sp: ServicePort): number | null {
  const t = targetPortOf(sp);
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  const proto = sp.protocol ?? 'TCP';
  for (const c of containersOf(p)) {
    for (const cp of c.ports ?? []) {
      if (cp.name === t && (cp.protocol ?? 'TCP') === proto) return cp.containerPort;
    }
  }
  return null;
}

export function servicePorts(s: Service): ServicePort[] {
  return s.spec.ports ?? [];
}
