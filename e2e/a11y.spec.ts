import { expect, test, type Page } from '@playwright/test';
import { createRequire } from 'node:module';

// axe-core run inside the page on each main screen: no serious or critical violation allowed.
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

let theme: 'light' | 'dark' = 'light';

/** opens the app in the theme under test (the app has its own toggle, not the OS setting) */
async function open(page: Page) {
  await page.goto('/');
  if (theme === 'dark') await page.locator('.theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

async function nginx(page: Page) {
  await open(page);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-clusterip');
  await expect(page.getByRole('region', { name: 'Node rules' })).toContainText('KUBE-SVC-WWRFY3PZ7W3FGMQW');
}

async function midTrace(page: Page) {
  await page.getByRole('button', { name: 'Send 1000 packets' }).click();
  await expect(page.getByRole('table', { name: 'Endpoint distribution' })).toBeVisible();
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr').nth(5)).toHaveAttribute('aria-current', 'step');
}

for (const t of ['light', 'dark'] as const) {
  test.describe(`axe (${t} theme)`, () => {
    test.beforeEach(() => {
      theme = t;
    });

    test('first screen', async ({ page }) => {
      await nginx(page);
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('mid-trace', async ({ page }) => {
      await nginx(page);
      await midTrace(page);
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('Explain a dump, traced', async ({ page }) => {
      await open(page);
      await page.getByRole('button', { name: 'Explain a dump' }).click();
      await page.getByRole('button', { name: /lecture note/ }).click();
      await expect(page.getByRole('textbox', { name: 'Rules to explain' })).toHaveValue(/KUBE-SVC-WWRFY3PZ7W3FGMQW/);
      await midTrace(page);
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('IPVS view at the IPVS step', async ({ page }) => {
      await nginx(page);
      await page.getByRole('combobox', { name: 'Proxy mode' }).selectOption('ipvs');
      await expect(page.getByRole('region', { name: 'Node rules' })).toContainText('(IPVS)');
      await page.getByRole('button', { name: 'Send packet' }).click();
      const row = page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr').filter({ hasText: 'IPVS at LOCAL_IN' });
      await row.click();
      await expect(row).toHaveAttribute('aria-current', 'step');
      await expect(page.getByRole('complementary', { name: 'Why IPVS works this way' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('Chinese, mid-trace', async ({ page }) => {
      await nginx(page);
      await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文' });
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await midTrace(page);
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}
