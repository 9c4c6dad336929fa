import { test } from '@playwright/test';

// Not an assertion: keeps docs/screenshot.png current (run with SCREENSHOT=1).
// Defined only on demand so a normal run neither writes files nor reports a skip.
if (process.env.SCREENSHOT) test('screenshot of the first screen at 1280x720', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-clusterip');
  await page.locator('.cm-content').waitFor();
  await page.waitForTimeout(800);
  await page.screenshot({ path: process.env.SCREENSHOT_PATH ?? 'docs/screenshot.png' });
});
