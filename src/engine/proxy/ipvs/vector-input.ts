// Reads a conformance vector's input YAML and config.json into the proxier's inputs. Used by tests
// and the benchmark; the manifest layer does full validation for user input.
import { parseAllDocuments } from 'yaml';
import type { EndpointSlice, Service } from '../../k8s/types.ts';
import { resolveProxierConfig, type ProxierConfig } from '../config.ts';
import type { IpvsConfigExtras } from './proxier.ts';

export interface VectorObjects {
  services: Service[];
  slices: EndpointSlice[];
}

export function loadVectorObjects(yamlText: string): VectorObjects {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (const doc of parseAllDocuments(yamlText)) {
    if (doc.errors.length) throw new Error(`YAML error: ${doc.errors[0]!.message}`);
    const o = doc.toJS() as { kind?: string } | null;
    if (!o) continue;
    if (o.kind === 'Service') services.push(o as Service);
    else if (o.kind === 'EndpointSlice') slices.push(o as EndpointSlice);
  }
  return { services, slices };
}

/**
 * config.json of the IPVS family -> ProxierConfig. The IPVS vectors come from the v1.33/v1.34
 * test file, so that is the kube-proxy version assumed when the file names none.
 */
export function vectorConfig(json: Record<string, unknown>, override: Record<string, unknown> = {}): ProxierConfig & IpvsConfigExtras {
  const merged = { kubeProxyVersion: 'v1.34.0', ...json, ...override } as Partial<ProxierConfig> & IpvsConfigExtras;
  return resolveProxierConfig({ ...merged, nodeIP: (merged.nodeIP as string | null) ?? '' }) as ProxierConfig & IpvsConfigExtras;
}
