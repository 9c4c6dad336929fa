// Synthetic large clusters for `npm run bench` (the lead times generation at 1k/10k/50k
// Services). Deterministic: names, IPs and nodes follow from the indices alone.
import type { EndpointSlice, Service } from '../../k8s/types.ts';

export interface LargeCluster {
  services: Service[];
  slices: EndpointSlice[];
}

const ip4 = (base: number, n: number) => `${base}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/**
 * nServices ClusterIP Services (every tenth a NodePort), each with `endpointsPerService`
 * ready endpoints spread over 100 nodes, one EndpointSlice per Service (100 endpoints max per
 * slice, as the controller packs them).
 */
export function makeLargeCluster(nServices: number, endpointsPerService: number): LargeCluster {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  let podIndex = 0;
  for (let s = 0; s < nServices; s++) {
    const ns = `ns${s % 50}`;
    const name = `svc-${s}`;
    const nodePort = s % 10 === 0 ? 30000 + (s / 10) % 2768 : undefined;
    services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: {
        type: nodePort ? 'NodePort' : 'ClusterIP',
        clusterIP: ip4(172, (30 << 16) + s),
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, ...(nodePort ? { nodePort } : {}) }],
      },
    });
    for (let first = 0; first < endpointsPerService; first += 100) {
      const count = Math.min(100, endpointsPerService - first);
      const endpoints = [];
      for (let e = 0; e < count; e++, podIndex++) {
        endpoints.push({ addresses: [ip4(10, podIndex)], nodeName: `node-${podIndex % 100}`, conditions: { ready: true } });
      }
      slices.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${name}-${first / 100}`, namespace: ns, labels: { 'kubernetes.io/service-name': name } },
        addressType: 'IPv4',
        endpoints,
        ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
      });
    }
  }
  return { services, slices };
}
