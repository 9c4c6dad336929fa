// Test helper: Services and EndpointSlices out of a vector's input.yaml, with no defaulting.
import { parseAllDocuments } from 'yaml';
import type { EndpointSlice, Service } from '../../k8s/types.ts';

export function parseVectorInput(text: string): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`input.yaml: ${doc.errors[0].message}`);
    const obj = doc.toJS() as { kind?: string } | null;
    if (!obj) continue;
    if (obj.kind === 'Service') services.push(obj as Service);
    else if (obj.kind === 'EndpointSlice') slices.push(obj as EndpointSlice);
  }
  return { services, slices };
}
