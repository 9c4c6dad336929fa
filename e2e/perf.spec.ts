import { expect, test, type Page } from '@playwright/test';
import { deflateSync } from 'fflate';

// Long tasks (> 50 ms on the main thread) as the browser reports them.
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
}
const longTasks = (page: Page) => page.evaluate(() => (window as unknown as { __long: number[] }).__long);

function link(state: Record<string, unknown>): string {
  const bytes = deflateSync(new TextEncoder().encode(JSON.stringify({ v: 1, ...state })), { level: 9 });
  return `#s=${Buffer.from(bytes).toString('base64url')}`;
}

test('typing in the nginx scenario never blocks the main thread for more than 50 ms', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-clusterip');
  const content = page.locator('.cm-content');
  await expect(content).toBeVisible();
  await content.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.waitForTimeout(500);
  await watchLongTasks(page);
  await page.keyboard.type('\n# a comment typed by a learner, key by key', { delay: 25 });
  await page.waitForTimeout(800); // let the engine answer and the rules re-render
  const tasks = await longTasks(page);
  expect(tasks, `long tasks: ${tasks.join(', ')}`).toEqual([]);
});

test('1,000 Services render their rules without a long task over 200 ms', async ({ page }) => {
  const svc = (i: number) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: default\nspec:\n  selector:\n    app: nginx\n  ports:\n    - name: http\n      port: 80\n      protocol: TCP\n`;
  const pods = ['jshh2', 'ksrp6', 'xpf7n'].map(
    (s, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx-${s}\n  namespace: default\n  labels:\n    app: nginx\nspec:\n  nodeName: node-${i % 2}\n  containers:\n    - name: nginx\n      image: nginx\nstatus:\n  phase: Running\n  podIP: 10.244.${i % 2}.${10 + i}\n  conditions:\n    - type: Ready\n      status: "True"\n`,
  );
  const yaml = [...Array.from({ length: 1000 }, (_, i) => svc(i)), ...pods].join('---\n');
  await page.goto('/');
  await expect(page.locator('.cm-content')).toBeVisible();
  await page.waitForTimeout(500);
  await watchLongTasks(page);
  await page.evaluate((h) => (location.hash = h), link({ yaml, mode: 'iptables', scenario: '' }));
  const rules = page.getByRole('region', { name: 'Node rules' });
  await expect(rules).toContainText('KUBE-SVC-', { timeout: 20_000 });
  await expect(rules).toContainText(/\d{4,} lines/);
  await page.waitForTimeout(500);
  const tasks = await longTasks(page);
  expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')}`).toBeLessThanOrEqual(200);
});

test('first load stays under 150 kB of gzip JavaScript, the editor loaded lazily', async ({ page }) => {
  const js: { url: string; bytes: number }[] = [];
  page.on('response', async (r) => {
    if (r.url().endsWith('.js') && r.request().resourceType() === 'script') {
      const h = await r.allHeaders();
      js.push({ url: r.url(), bytes: Number(h['content-length'] ?? (await r.body()).length) });
    }
  });
  await page.goto('/');
  await expect(page.locator('.cm-content')).toBeVisible();
  const initial = js.filter((f) => !/CodeMirrorEditor|ExplainScreen|worker/.test(f.url));
  expect(js.some((f) => /CodeMirrorEditor/.test(f.url))).toBe(true);
  // vite preview does not gzip: compress what was served to get the figure the budget means
  const { gzipSync } = await import('node:zlib');
  let gz = 0;
  for (const f of initial) gz += gzipSync(Buffer.from(await (await fetch(f.url)).arrayBuffer())).length;
  expect(gz).toBeLessThanOrEqual(150 * 1024);
});
