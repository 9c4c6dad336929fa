import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { parseManifests } from './src/engine/manifest/index.ts';
const files = execSync('find /work/shared/conformance -name input.yaml').toString().trim().split('\n');
const byCode = new Map<string, number>();
for (const f of files) {
  const r = parseManifests(readFileSync(f, 'utf8'));
  const errs = r.diagnostics.filter(d => d.severity !== 'info');
  for (const d of errs) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
  if (errs.length) console.log(f.replace('/work/shared/conformance/', ''), errs.length, errs.slice(0, 3).map(d => `${d.line}:${d.col} ${d.code} ${d.message.slice(0, 230)}`));
}
console.log(files.length, byCode);
