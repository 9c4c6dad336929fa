// Small read helpers over a ClusterState for the UI and scenarios.
import type { EndpointSlice } from '../k8s/types.ts';
import { SERVICE_NAME_LABEL } from './endpointslices.ts';
import { nsOf } from './pods.ts';
import type { ClusterState } from './types.ts';

/** the slices kube-proxy would use for a Service (by the service-name label) */
export function endpointSlicesFor(state: ClusterState, namespace: string, service: string): EndpointSlice[] {
  return state.endpointSlices.filter((s) => nsOf(s) === namespace && s.metadata.labels?.[SERVICE_NAME_LABEL] === service);
}
