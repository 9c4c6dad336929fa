// Locates ../shared/conformance (beside the project root) for tests. The vectors are never copied
// into the repo; a clone outside this setup has no such folder, and tests skip with a clear message.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const root = process.env.SVCPATH_CONFORMANCE ?? resolve(repoRoot, '../shared/conformance');

export type Family = 'kube-proxy-iptables' | 'kube-proxy-iptables-flows' | 'kube-proxy-ipvs' | 'kube-proxy-nftables';

/** Absolute path of a vector family, or null (with a message on stderr, once) when absent. */
export function conformanceDir(family: Family): string | null {
  const dir = join(root, family);
  if (existsSync(dir)) return dir;
  if (!warned.has(family)) {
    warned.add(family);
    console.warn(`conformance vectors not found at ${dir}: skipping ${family} (set SVCPATH_CONFORMANCE or clone beside ../shared)`);
  }
  return null;
}
const warned = new Set<string>();

/** Vector folders of a family (sorted), or [] when the family is absent. */
export function vectorFolders(family: Family): string[] {
  const dir = conformanceDir(family);
  if (!dir) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function readVectorFile(family: Family, folder: string, file: string): string | null {
  const dir = conformanceDir(family);
  if (!dir) return null;
  const p = join(dir, folder, file);
  return existsSync(p) ? readFileSync(p, 'utf8') : null;
}

export const seedDir = resolve(repoRoot, '../shared/seed');
