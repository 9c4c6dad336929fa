import { parseManifests, MAX_REQUEST_BYTES } from './src/engine/manifest/index.ts';
const N = MAX_REQUEST_BYTES - 10;
const cases: Record<string, string> = {
  longline: 'a'.repeat(N),
  manyKeys: 'k: v\n'.repeat(Math.floor(N / 5)),
  docs: '---\n'.repeat(Math.floor(N / 4)),
  seq: '- x\n'.repeat(Math.floor(N / 4)),
  flowWide: '[' + '1,'.repeat(Math.floor(N / 2) - 2) + '1]',
  aliases: 'a: &a [1]\nb: [' + '*a,'.repeat(Math.floor(N / 3) - 10) + '*a]\n',
  quotes: '"' + 'x'.repeat(N - 2) + '"',
  tabs: '\t'.repeat(N),
  brackets: '{a: 1}\n'.repeat(Math.floor(N / 7)),
  objects: ('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 0}]}\n---\n').repeat(Math.floor(N / 80)),
};
for (const [name, text] of Object.entries(cases)) {
  const t0 = performance.now();
  const r = parseManifests(text);
  console.log(name.padEnd(10), String(Math.round(performance.now() - t0)).padStart(6), 'ms', r.objects.length, r.diagnostics.length, r.diagnostics[0]?.code, r.diagnostics[0]?.message.slice(0, 60));
}
