// The first stages: how fast hostile YAML is refused (issue 2 asks for well under 1 s), how long
// a 10,000-Service paste takes to parse and validate, and the simulated control plane at that size.
import { MAX_REQUEST_BYTES, parseManifests } from '../engine/manifest/index.ts';
import { simulateCluster } from '../engine/cluster/index.ts';
import { ms, table, time } from './measure.ts';

function servicesYaml(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n  namespace: ns${i % 50}\nspec:\n  selector:\n    app: a${i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n`);
  }
  return docs.join('---\n');
}

export function benchManifest(): string {
  const laughs = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) laughs.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  const hostile: [string, string][] = [
    ['3 MiB + 1 byte', 'a'.repeat(MAX_REQUEST_BYTES + 1)],
    ['billion laughs (aliases)', laughs.join('\n')],
    ['700,000 tiny items', '- x\n'.repeat(700_000)],
    ['nesting 10,000 deep', '['.repeat(10_000)],
  ];
  const rows: (string | number)[][] = [['input', 'refused in (median)', 'finding']];
  for (const [name, text] of hostile) {
    const t = time(() => parseManifests(text), 3);
    rows.push([name, ms(t.median), parseManifests(text).diagnostics[0]?.code ?? '(none)']);
  }
  const yaml = servicesYaml(10_000);
  const parse = time(() => parseManifests(yaml), 3);
  const parsed = parseManifests(yaml);
  const sim = time(() => simulateCluster({ objects: parsed.objects }, { seed: 1 }), 3);
  const big: (string | number)[][] = [
    ['10,000 Services pasted', 'time'],
    [`parse + default + validate (${(yaml.length / 2 ** 20).toFixed(1)} MiB)`, ms(parse.median)],
    ['simulate the cluster (allocate, slices)', ms(sim.median)],
  ];
  return `## manifest and cluster\n${table(rows)}\n\n${table(big)}\n`;
}
