// Manifest stage of the pipeline: YAML/JSON text -> typed, defaulted, validated Kubernetes objects
// with source positions and kubectl-worded diagnostics.
export { parseManifests, MAX_REQUEST_BYTES } from './parse.ts';
export type { ManifestObject, ManifestResult, ParseOptions } from './types.ts';
export { acceptedObjects } from './accepted.ts';
export { DEFAULT_KUBERNETES_VERSION } from './options.ts';
export { kubectlInvalidMessage, fieldErrorText, type FieldError } from './field-error.ts';
export { MANIFEST_DIAGNOSTIC_KEYS, type ManifestDiagnosticKey } from './diagnostic-keys.ts';
