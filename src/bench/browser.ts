// The page's own figures (issue 4 "Speed"): long tasks while typing, 1,000 Services rendered,
// frames per second of the animation with 300 pods,
// first-load bundle size, measured by e2e/perf.spec.ts in Debian chromium against `vite preview`.
// It needs a build (`npm run build`) and prints what each check measured.
import { spawnSync } from 'node:child_process';

export function benchBrowser(): string {
  const r = spawnSync('node_modules/.bin/playwright', ['test', 'e2e/perf.spec.ts', '--reporter=list', '--output', 'reports/bench-browser'], {
    env: { ...process.env, PERF: '1', NO_COLOR: '1' },
    encoding: 'utf8',
  });
  const lines = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').filter((l) => /✓|✘|passed|failed|long task|kB|ms|fps/.test(l));
  return `## browser (PERF=1 playwright test e2e/perf.spec.ts)\n${lines.join('\n')}\nexit ${r.status}\n`;
}
