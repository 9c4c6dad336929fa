import { parseManifests, MAX_REQUEST_BYTES } from './src/engine/manifest/index.ts';
const N = MAX_REQUEST_BYTES - 10;
const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-1\n  namespace: ns\nspec:\n  selector:\n    app: a1\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n---\n';
const cases: Record<string, string> = {
  longline: 'a'.repeat(N),
  manyKeys: 'k: v\n'.repeat(Math.floor(N / 5)),
  docs: '---\n'.repeat(Math.floor(N / 4)),
  seqAtCap: '- x\n'.repeat(299_000),
  flowAtCap: '[' + '1,'.repeat(299_000) + '1]',
  keysAtCap: 'k: v\n'.repeat(299_000),
  docsAtCap: 'a: 1\n---\n'.repeat(149_000),
  aliases: 'a: &a [1]\nb: [' + '*a,'.repeat(290_000) + '*a]\n',
  quotes: '"' + 'x'.repeat(N - 2) + '"',
  tabs: '\t'.repeat(N),
  services3MiB: svc.repeat(Math.floor(N / svc.length)),
  invalid3MiB: ('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 0}]}\n---\n').repeat(Math.floor(N / 80)),
};
for (const [name, text] of Object.entries(cases)) {
  const t0 = performance.now();
  const r = parseManifests(text);
  console.log(name.padEnd(12), String(text.length).padStart(8), String(Math.round(performance.now() - t0)).padStart(6), 'ms', r.objects.length, r.diagnostics.length, r.diagnostics[0]?.code, r.diagnostics[0]?.message.slice(0, 50));
}
