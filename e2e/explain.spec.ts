import { expect, test } from '@playwright/test';

test('Explain a dump: paste the seed dump, send a packet, step through the trace, sample 1000', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Explain a dump' }).click();
  const input = page.getByRole('textbox', { name: 'Rules to explain' });
  await expect(input).toBeVisible();
  await page.getByRole('button', { name: /lecture note/ }).click();
  await expect(input).toHaveValue(/KUBE-SVC-WWRFY3PZ7W3FGMQW/);
  await expect(page.getByRole('textbox', { name: 'Packet destination' })).toHaveValue('10.102.249.128:80');
  // every rule line is annotated with where the parser put it
  await expect(page.locator('.dl-rule').filter({ hasText: '-A KUBE-SVC-WWRFY3PZ7W3FGMQW -m comment --comment "default/nginx-basic:http -> 10.244.235.208:80"' }))
    .toContainText('nat table, chain KUBE-SVC-WWRFY3PZ7W3FGMQW, rule 4');

  await page.getByRole('button', { name: 'Send packet' }).click();
  const table = page.getByRole('table', { name: 'Packet trace' });
  await expect(table).toBeVisible();
  const rows = table.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThan(3);
  await expect(table).toContainText('KUBE-SERVICES');
  await expect(table).toContainText('KUBE-SVC-WWRFY3PZ7W3FGMQW');
  await expect(rows.nth(0)).toHaveAttribute('aria-current', 'step');
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'step');
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(rows.nth(0)).toHaveAttribute('aria-current', 'step');
  await expect(page.locator('.live')).toContainText('Step 1 of');

  // the cascade multiplied out: one third each
  const fates = page.getByRole('region', { name: 'Where new connections go' });
  for (const ep of ['10.244.154.195:80', '10.244.154.196:80', '10.244.235.208:80']) {
    await expect(fates.locator('li').filter({ hasText: ep })).toContainText('33.3%');
  }

  // the explainer says why the rules read 0.333, 0.5 and nothing
  await expect(page.locator('.why')).toContainText('0.33333333349, 0.50000000000 and nothing');
  await expect(page.locator('.dl-rule').filter({ hasText: '-A KUBE-SERVICES -d 10.102.249.128/32' })).toContainText('go to KUBE-SVC-WWRFY3PZ7W3FGMQW');
  await page.getByRole('button', { name: 'Send 1000 packets' }).click();
  const dist = page.getByRole('table', { name: 'Endpoint distribution' });
  await expect(dist.locator('tbody tr')).toHaveCount(3);
  const counts = await dist.locator('tbody tr td:nth-child(4)').allTextContents();
  expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(1000);
});
