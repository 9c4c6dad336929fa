import { expect, test } from '@playwright/test';

// Keeps docs/screenshot.png current; defined only on demand (SCREENSHOT=1) so a normal run
// neither writes files nor reports a skip.
if (process.env.SCREENSHOT) {
  test('screenshot of the nginx scenario mid-trace at 1280x720', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/');
    if (process.env.SCREENSHOT_THEME === 'dark') await page.getByRole('button', { name: /Theme/ }).click();
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-clusterip');
    const rules = page.getByRole('region', { name: 'Node rules' });
    await expect(rules).toContainText('KUBE-SVC-WWRFY3PZ7W3FGMQW');
    await page.getByRole('button', { name: 'Send 1000 packets' }).click();
    const rows = page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr');
    await expect(page.getByRole('table', { name: 'Endpoint distribution' })).toHaveAttribute('aria-busy', 'false');
    // the DNAT step: the map marks it, the headers show the rewrite, the cascade lights the branch
    await rows.filter({ hasText: /DNAT/ }).first().dispatchEvent('click');
    await page.waitForTimeout(500);
    await page.screenshot({ path: process.env.SCREENSHOT_PATH ?? 'docs/screenshot.png' });
  });

  test('screenshot of Explain a dump with the chain graph, mid-trace', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/');
    await page.getByRole('button', { name: 'Explain a dump' }).click();
    await page.getByRole('button', { name: /lecture note/ }).click();
    await page.getByRole('button', { name: 'Send packet' }).click();
    const rows = page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr');
    await rows.filter({ hasText: 'KUBE-SEP' }).last().dispatchEvent('click');
    await expect(page.getByRole('region', { name: 'Chain graph' }).locator('g.node.lit').first()).toBeVisible();
    await page.waitForTimeout(300);
    await page.screenshot({ path: process.env.SCREENSHOT_PATH ?? 'docs/explain-graph.png' });
  });
}
