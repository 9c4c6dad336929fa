import { expect, test } from '@playwright/test';

test('Compare modes: rule counts on the node, rules walked by the packet, and one pod restart', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-clusterip');
  await page.getByRole('combobox', { name: 'Proxy mode' }).selectOption('ipvs');
  const region = page.getByRole('region', { name: 'Compare modes' });
  const table = region.getByRole('table', { name: 'Rule counts by proxy mode' });
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveText(['iptables', 'IPVS']);

  const cells = async (row: string) => (await table.locator(`tr[data-row="${row}"] td`).allInnerTexts()).map(Number);
  const [iptOnNode, ipvsOnNode] = await cells('rulesOnNode');
  expect(iptOnNode).toBeGreaterThan(0);
  expect(ipvsOnNode).toBeGreaterThan(0);
  const [iptObjects, ipvsObjects] = await cells('ipvsObjects');
  expect(iptObjects).toBe(0);
  expect(ipvsObjects).toBeGreaterThanOrEqual(4);
  const [iptEval, ipvsEval] = await cells('rulesEvaluated');
  expect(iptEval).toBeGreaterThan(0);
  expect(ipvsEval).toBeGreaterThan(0);

  // the IPVS count is the number of rules `Node rules` shows for the node in IPVS mode (iptables-save)
  const save = await page.getByRole('region', { name: 'Node rules' }).getByRole('tabpanel').innerText();
  expect(save.split('\n').filter((l) => /^\s*\d*\s*-A /.test(l)).length).toBe(ipvsOnNode);

  await expect(region.getByRole('heading', { level: 3 })).toContainText(/When pod \S+ restarts \(10\.244\.\d+\.\d+ → 10\.244\.\d+\.\d+\)/);
  const ipt = await region.locator('p[data-mode="iptables"]').innerText();
  const ipvs = await region.locator('p[data-mode="ipvs"]').innerText();
  const nums = (s: string) => (s.match(/\d+/g) ?? []).map(Number);
  const [added, removed] = nums(ipt);
  expect(added).toBeGreaterThan(0);
  expect(removed).toBeGreaterThan(0);
  expect(ipvs).toContain('IPVS mode: 2 real server changes');
  expect(ipvs).toContain('0 iptables lines changed');
});
