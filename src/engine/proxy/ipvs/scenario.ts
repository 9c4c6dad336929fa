// A small built-in IPVS scenario (nginx behind a NodePort Service, one local and one remote pod)
// used by tests and the benchmark helper as a known-good input.
import type { EndpointSlice, Service } from '../../k8s/types.ts';

export function nginxScenario(): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = [
    {
      kind: 'Service',
      metadata: { name: 'nginx', namespace: 'default' },
      spec: { type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }] },
    },
  ];
  const slices: EndpointSlice[] = [
    {
      kind: 'EndpointSlice',
      metadata: { name: 'nginx-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'nginx' } },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['10.244.1.5'], nodeName: 'node-1', conditions: { ready: true } },
        { addresses: ['10.244.2.7'], nodeName: 'node-2', conditions: { ready: true } },
      ],
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    },
  ];
  return { services, slices };
}
