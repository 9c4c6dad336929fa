// The parsers' fuzz properties at benchmark strength (100,000 cases; CI runs 10,000).
import { spawnSync } from 'node:child_process';

export function benchFuzz(): string {
  const r = spawnSync('node_modules/.bin/vitest', ['run', 'src/engine/netfilter/fuzz.test.ts', 'src/engine/manifest/parse.test.ts'], {
    env: { ...process.env, FC_RUNS: '100000', NO_COLOR: '1' },
    encoding: 'utf8',
  });
  const tail = (r.stdout ?? '').split('\n').filter((l) => /Tests|Test Files|Duration/.test(l)).join('\n');
  return `## fuzzing with 100,000 cases (FC_RUNS=100000)\n${tail}\nexit ${r.status}\n`;
}
