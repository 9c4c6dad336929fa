import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

test('first load stays under 150 kB of gzip JavaScript, the editor loaded lazily', async ({ page }) => {
  // The first load is what dist/index.html pulls in: its entry script and the modules it preloads.
  const dist = join(process.cwd(), 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  expect(files.length).toBeGreaterThan(0);
  const gz = files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f))).length, 0);
  expect(files.some((f) => /CodeMirror/.test(f))).toBe(false);
  expect(gz, `first-load JS ${files.join(', ')}: ${gz} bytes gzip`).toBeLessThanOrEqual(150 * 1024);
  // and the editor does arrive, lazily
  const lazy: string[] = [];
  page.on('request', (r) => lazy.push(r.url()));
  await page.goto('/');
  await expect(page.locator('.cm-content')).toBeVisible();
  expect(lazy.some((u) => /CodeMirrorEditor-[^/]*\.js$/.test(u))).toBe(true);
});
