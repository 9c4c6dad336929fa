import { expect, test, type Page } from '@playwright/test';
import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe's serious and critical findings inside one element */
async function seriousViolationsIn(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (sel) => {
    type V = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Element, opts: object): Promise<{ violations: V[] }> } }).axe;
    const r = await axe.run(document.querySelector(sel)!, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes[0]?.target.join(' ')}`);
  }, selector);
}

async function nginxIpvs(page: Page) {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-clusterip');
  await page.getByRole('combobox', { name: 'Proxy mode' }).selectOption('ipvs');
  await expect(page.getByRole('region', { name: 'Node rules' })).toContainText('Rules on k8s-master (IPVS)');
}

const PODS = ['10.244.154.195:80', '10.244.154.196:80', '10.244.235.208:80'];

async function shares(region: ReturnType<Page['getByRole']>): Promise<Map<string, number>> {
  const rows = region.getByRole('table', { name: 'Maglev backends' }).locator('tbody tr');
  const out = new Map<string, number>();
  for (const row of await rows.all()) out.set((await row.getAttribute('data-backend'))!, Number(await row.locator('td[data-share]').getAttribute('data-share')));
  return out;
}

test('the Maglev table of nginx: offsets, shares, the fill turn by turn, and slots moved against modulo', async ({ page }) => {
  await nginxIpvs(page);
  const maglev = page.getByRole('region', { name: 'Maglev lookup table' });
  await maglev.getByRole('combobox', { name: 'Virtual server' }).selectOption({ label: 'TCP 10.102.249.128:80 rr' });
  await expect(maglev.getByRole('heading', { level: 2 })).toContainText('TCP 10.102.249.128:80');

  const table = maglev.getByRole('table', { name: 'Maglev backends' });
  await expect(table.locator('tbody tr')).toHaveCount(3);
  const s = await shares(maglev);
  expect([...s.keys()].sort()).toEqual(PODS);
  let sum = 0;
  for (const v of s.values()) {
    expect(Math.abs(v - 1 / 3)).toBeLessThan(0.03);
    sum += v;
  }
  expect(sum).toBeCloseTo(1, 6);
  await expect(maglev.getByRole('img', { name: /4093 of 4093 slots filled/ })).toBeVisible();

  // stepping the fill: back to the first claim, which takes the first backend's offset
  const slider = maglev.getByRole('slider', { name: 'Fill step' });
  await expect(slider).toHaveValue('4093');
  await slider.fill('1');
  const firstRow = table.locator('tbody tr').first();
  const firstOffset = await firstRow.locator('td').first().innerText();
  const firstBackend = await firstRow.getAttribute('data-backend');
  await expect(maglev.locator('.maglev-step')).toHaveText(`Step 1 of 4093: in round 1, ${firstBackend} took slot ${firstOffset} after passing 0 occupied slots.`);
  await maglev.getByRole('button', { name: 'Next turn' }).click();
  await expect(slider).toHaveValue('2');
  await expect(maglev.getByRole('img', { name: /2 of 4093 slots filled/ })).toBeVisible();
  await maglev.getByRole('button', { name: 'Previous turn' }).click();
  await maglev.getByRole('button', { name: 'Previous turn' }).click();
  await expect(maglev.locator('.maglev-step')).toHaveText('Step 0 of 4093: the table is empty.');
  await expect(maglev.getByRole('button', { name: 'Previous turn' })).toBeDisabled();

  // remove one backend: Maglev moves about its third, modulo most of the table
  await maglev.getByRole('button', { name: 'Remove backend 10.244.154.196:80' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(2);
  const magText = await maglev.locator('[data-kind="maglev"]').innerText();
  const modText = await maglev.locator('[data-kind="modulo"]').innerText();
  const moved = (t: string) => Number(/: (\d+) of 4093 slots moved/.exec(t)![1]);
  const removedSlots = Math.round(s.get('10.244.154.196:80')! * 4093);
  expect(moved(magText)).toBeGreaterThanOrEqual(removedSlots);
  expect(moved(magText)).toBeLessThan(moved(modText));
  expect(moved(modText)).toBeGreaterThan(4093 / 2);
  for (const v of (await shares(maglev)).values()) expect(Math.abs(v - 1 / 2)).toBeLessThan(0.03);

  // add a backend by hand; a bad one is refused with a reason
  const input = maglev.getByRole('textbox', { name: 'New backend' });
  await input.fill('10.244.9:80');
  await maglev.getByRole('button', { name: 'Add backend' }).click();
  await expect(maglev.getByRole('alert')).toHaveText('“10.244.9:80” is not an IP address.');
  await input.fill('10.244.1.10:80');
  await maglev.getByRole('button', { name: 'Add backend' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table.locator('tbody tr[data-backend="10.244.1.10:80"]')).toHaveCount(1);

  await maglev.getByRole('button', { name: 'Reset backends' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(maglev).toContainText('Remove or add a backend to see how many slots move');
});

test('the Maglev view speaks Chinese and keeps names for the controls', async ({ page }) => {
  await nginxIpvs(page);
  const lang = page.getByRole('combobox', { name: /Language/ });
  await lang.selectOption('zh-CN');
  const maglev = page.getByRole('region', { name: 'Maglev 查找表' });
  await expect(maglev).toContainText('在 mh 调度器下');
  await expect(maglev.getByRole('slider', { name: '填充步骤' })).toBeVisible();
});

test('the Scheduler select sets kube-proxy’s ipvs scheduler and explains the choice', async ({ page }) => {
  await nginxIpvs(page);
  const select = page.getByRole('combobox', { name: 'Scheduler' });
  await expect(select).toHaveValue('rr');
  const seq = page.getByRole('list', { name: /Next 12 picks of rr for TCP 10\.102\.249\.128:80/ });
  await expect(seq.getByRole('listitem')).toHaveCount(12);
  const picks = await seq.getByRole('listitem').allInnerTexts();
  // rr: the three pods in turn, repeating
  expect(new Set(picks.slice(0, 3)).size).toBe(3);
  expect(picks.slice(3, 6)).toEqual(picks.slice(0, 3));

  await select.selectOption('wrr');
  const rules = page.getByRole('region', { name: 'Node rules' });
  await rules.getByRole('tab', { name: 'ipvsadm -Ln' }).click();
  await expect(rules.getByRole('tabpanel')).toContainText('TCP  10.102.249.128:80 wrr');
  await expect(page.getByRole('list', { name: /Next 12 picks of wrr/ }).getByRole('listitem')).toHaveCount(12);

  await select.selectOption('lc');
  await expect(rules.getByRole('tabpanel')).toContainText('TCP  10.102.249.128:80 lc');
  await expect(page.locator('.sched-depends')).toContainText('least connections');
  // lc schedules on connection counts: the table of counts and the picks they give
  await expect(page.getByRole('table', { name: 'Connections of TCP 10.102.249.128:80' })).toBeVisible();
  await expect(page.getByRole('list', { name: /Next 12 picks of lc/ }).getByRole('listitem')).toHaveCount(12);

  await select.selectOption('mh');
  await expect(rules.getByRole('tabpanel')).toContainText('TCP  10.102.249.128:80 mh');
  await expect(page.getByRole('region', { name: 'Maglev lookup table' }).getByRole('combobox', { name: 'Virtual server' })).toHaveValue('TCP 10.102.249.128:80');
});

test('the scheduler and Maglev panels pass axe, in both languages', async ({ page }) => {
  await nginxIpvs(page);
  await expect(page.getByRole('region', { name: 'Maglev lookup table' })).toBeVisible();
  expect(await seriousViolationsIn(page, '.ipvs-extras')).toEqual([]);
  await page.getByRole('combobox', { name: /Language/ }).selectOption('zh-CN');
  await expect(page.getByRole('region', { name: 'Maglev 查找表' })).toBeVisible();
  expect(await seriousViolationsIn(page, '.ipvs-extras')).toEqual([]);
});
