import type { ManifestObject, ManifestResult } from './types.ts';

/** The objects the API server would have stored: known kinds that passed decoding and validation. */
export function acceptedObjects(result: ManifestResult): ManifestObject[] {
  return result.objects.filter((o) => !o.ignored && !o.invalid);
}
