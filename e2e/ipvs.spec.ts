import { expect, test, type Page } from '@playwright/test';
import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** serious or critical axe violations inside one part of the page */
async function axeIn(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (sel) => {
    type V = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: string, opts: object): Promise<{ violations: V[] }> } }).axe;
    const r = await axe.run(sel, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes[0]?.target.join(' ')}`);
  }, selector);
}

const PODS = /10\.244\.(154\.19[56]|235\.208):80/;

async function nginxIpvs(page: Page) {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-clusterip');
  await page.getByRole('combobox', { name: 'Proxy mode' }).selectOption('ipvs');
  await expect(page.getByRole('region', { name: 'Node rules' })).toContainText('Rules on k8s-master (IPVS)');
}

test('IPVS mode shows ipvsadm, ipset, kube-ipvs0 and the iptables rules as named tabs', async ({ page }) => {
  await nginxIpvs(page);
  const rules = page.getByRole('region', { name: 'Node rules' });
  const tabs = rules.getByRole('tablist', { name: 'IPVS views' }).getByRole('tab');
  await expect(tabs).toHaveText(['iptables-save', 'ipvsadm -Ln', 'ipset list', 'ip addr show kube-ipvs0']);
  // IPVS mode's iptables: ipset matches instead of a chain per Service
  await expect(rules.getByRole('tabpanel')).toContainText('--match-set KUBE-CLUSTER-IP');
  await expect(rules).not.toContainText('KUBE-SVC-WWRFY3PZ7W3FGMQW');

  await rules.getByRole('tab', { name: 'ipvsadm -Ln' }).click();
  await expect(rules.getByRole('tab', { name: 'ipvsadm -Ln' })).toHaveAttribute('aria-selected', 'true');
  const panel = rules.getByRole('tabpanel', { name: 'ipvsadm -Ln' });
  await expect(panel).toContainText('TCP  10.102.249.128:80 rr');
  for (const ep of ['10.244.154.195:80', '10.244.154.196:80', '10.244.235.208:80']) await expect(panel).toContainText(`-> ${ep}`);

  // the keyboard moves along the tabs
  await rules.getByRole('tab', { name: 'ipvsadm -Ln' }).press('ArrowRight');
  await expect(rules.getByRole('tab', { name: 'ipset list' })).toBeFocused();
  await expect(rules.getByRole('tabpanel', { name: 'ipset list' })).toContainText('Name: KUBE-CLUSTER-IP');
  await expect(rules.getByRole('tabpanel')).toContainText('10.102.249.128,tcp:80');

  await rules.getByRole('tab', { name: 'ip addr show kube-ipvs0' }).click();
  await expect(rules.getByRole('tabpanel')).toContainText('kube-ipvs0');
  await expect(rules.getByRole('tabpanel')).toContainText('inet 10.102.249.128/32');
});

test('a packet in IPVS mode reaches a pod through the IPVS step, explained in both languages', async ({ page }) => {
  await nginxIpvs(page);
  await page.getByRole('button', { name: 'Send packet' }).click();
  const rows = page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const ipvsRow = rows.filter({ hasText: 'IPVS at LOCAL_IN chose real server' });
  await expect(ipvsRow).toHaveCount(1);
  // the routing decision (kube-ipvs0 makes the ClusterIP local) comes before IPVS, at INPUT
  const texts = await rows.allInnerTexts();
  const at = texts.findIndex((t) => t.includes('IPVS at LOCAL_IN'));
  expect(texts.slice(0, at).some((t) => /INPUT/.test(t))).toBe(true);
  await expect(ipvsRow).toContainText(PODS);
  const target = (await ipvsRow.innerText()).match(PODS)![0];

  // step to the IPVS event with the player; the packet on the map heads for the Service until IPVS rewrites it
  const dot = page.locator('.cluster-map .packet-dot');
  const forward = page.getByRole('button', { name: 'Step forward' });
  for (let i = 0; i < at - 1; i++) await forward.click();
  await expect(dot).toHaveAttribute('data-leg', 'toService');
  await forward.click();
  await expect(dot).toHaveAttribute('data-leg', 'toPod');
  await expect(ipvsRow).toHaveAttribute('aria-current', 'step');
  await expect(page.locator('p.live')).toContainText(`Step ${at + 1} of`);
  await expect(page.locator('p.live')).toContainText(`IPVS at LOCAL_IN chose real server ${target}`);
  const notes = page.getByRole('complementary', { name: 'Why IPVS works this way' });
  await expect(notes).toContainText('kube-ipvs0');
  await expect(notes).toContainText('does not answer ping');
  await expect(notes).toContainText('KUBE-POSTROUTING');
  // the step shows where it happened: the virtual server and its real server in ipvsadm -Ln
  const rules = page.getByRole('region', { name: 'Node rules' });
  await expect(rules.getByRole('tab', { name: 'ipvsadm -Ln' })).toHaveAttribute('aria-selected', 'true');
  await expect(rules.locator('.rl.current')).toContainText(`-> ${target}`);
  await expect(page.locator('.outcome')).toContainText(target);
  // the hooks diagram: IPVS in INPUT is where the packet is; PREROUTING nat and the routing decision are behind it
  const hooks = page.getByRole('figure', { name: 'Netfilter hooks and tables on the packet’s path' });
  await expect(hooks.locator('.tb-ipvs.current')).toHaveCount(1);
  await expect(hooks.locator('.hook.routing.lit')).toHaveCount(1);
  await expect(hooks.locator('.hook.lit').filter({ hasText: 'PREROUTING' }).locator('.tb-nat.lit')).toHaveCount(1);
  await expect(hooks.locator('.hook').filter({ hasText: 'FORWARD' })).not.toHaveClass(/lit/);

  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文' });
  await expect(rows.filter({ hasText: 'IPVS 在 LOCAL_IN' })).toContainText(`IPVS 在 LOCAL_IN 选择了真实服务器 ${target}`);
  await expect(page.getByRole('complementary', { name: 'IPVS 为什么这样工作' })).toContainText('ClusterIP 仍然不响应 ping');

  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByRole('complementary', { name: 'IPVS 为什么这样工作' })).toHaveCount(0);
  // past the IPVS step the packet walks iptables rules again: their tab comes back, the rule lit
  await expect(rules.getByRole('tab', { name: /iptables-save/ })).toHaveAttribute('aria-selected', 'true');
  const lineOf = async (row: number) => (await rows.nth(row).locator('td.line').textContent())?.trim() ?? '';
  let later = at + 1;
  while ((await lineOf(later)) === '') later++;
  await rows.nth(later).click();
  await expect(rules.locator('.rl.current')).toHaveAttribute('data-line', await lineOf(later));
});

test('1000 packets in IPVS mode split a third each over the three pods (rr)', async ({ page }) => {
  await nginxIpvs(page);
  await page.getByRole('button', { name: 'Send 1000 packets' }).click();
  const fates = page.getByRole('region', { name: 'Where new connections go' }).locator('li');
  await expect(fates).toHaveCount(3);
  for (const ep of ['10.244.154.195:80', '10.244.154.196:80', '10.244.235.208:80']) await expect(fates.filter({ hasText: ep })).toContainText('33.3');
  await expect(page.getByRole('table', { name: 'Endpoint distribution' })).toBeVisible();
});

if (process.env.SCREENSHOT) {
  test('screenshot of the IPVS view at the IPVS step', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await nginxIpvs(page);
    await page.getByRole('button', { name: 'Send packet' }).click();
    const row = page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr').filter({ hasText: 'IPVS at LOCAL_IN' });
    await row.dispatchEvent('click');
    await expect(row).toHaveAttribute('aria-current', 'step');
    await page.waitForTimeout(300);
    await page.screenshot({ path: process.env.SCREENSHOT_PATH ?? 'docs/ipvs.png' });
  });
}

test('lc with connection counts: the next picks, Send packet to the least loaded, a burst of 1000 that grows the counts', async ({ page }) => {
  await nginxIpvs(page);
  await page.getByRole('combobox', { name: 'Scheduler' }).selectOption('lc');
  const table = page.getByRole('table', { name: 'Connections of TCP 10.102.249.128:80' });
  await expect(table).toBeVisible();
  // overheads (active × 256 + inactive): .195 1280, .196 612, .208 768
  await table.getByRole('spinbutton', { name: 'Active connections 10.244.154.195:80', exact: true }).fill('5');
  await table.getByRole('spinbutton', { name: 'Active connections 10.244.154.196:80', exact: true }).fill('2');
  await table.getByRole('spinbutton', { name: 'Inactive connections 10.244.154.196:80', exact: true }).fill('100');
  await table.getByRole('spinbutton', { name: 'Active connections 10.244.235.208:80', exact: true }).fill('3');
  // picked by hand from the kernel rule; the 6th is a tie (1280 each) that the kernel list order
  // (newest first: .208 before .195) breaks
  const picks = page.getByRole('list', { name: 'Next 12 picks of lc for TCP 10.102.249.128:80' }).getByRole('listitem');
  const b = '10.244.154.195:80', c = '10.244.154.196:80', d = '10.244.235.208:80';
  await expect(picks).toHaveText([c, d, c, d, c, d, b, c, d, b, c, d]);
  await expect(table.locator(`tr[data-rs="${d}"] td[data-after]`)).toHaveText('8 / 0');
  await expect(table.locator(`tr[data-rs="${c}"] td[data-after]`)).toHaveText('7 / 100');
  // a bad count is refused with a message and changes nothing
  const active195 = table.getByRole('spinbutton', { name: `Active connections ${b}`, exact: true });
  await active195.fill('-4');
  await expect(table.getByRole('alert')).toHaveText('A count cannot be negative.');
  await expect(picks.first()).toHaveText(c);
  expect(await axeIn(page, '.ipvs-scheduler')).toEqual([]);
  await active195.fill('5');
  await expect(table.getByRole('alert')).toHaveCount(0);

  // ipvsadm -Ln shows the simulated counts in ActiveConn / InActConn
  await page.getByRole('tab', { name: 'ipvsadm -Ln' }).click();
  await expect(page.getByRole('region', { name: 'Node rules' })).toContainText(/-> 10\.244\.154\.196:80 +Masq +1 +2 +100/);
  await page.getByRole('tab', { name: 'iptables-save' }).click();

  // the counts survive a reload (share link and autosave)
  await expect.poll(() => page.url()).toContain('#s=');
  await page.waitForTimeout(500);
  await page.reload();
  await expect(page.getByRole('table', { name: 'Connections of TCP 10.102.249.128:80' }).getByRole('spinbutton', { name: `Inactive connections ${c}`, exact: true })).toHaveValue('100');

  await page.getByRole('button', { name: 'Send packet' }).click();
  const ipvsRow = page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr').filter({ hasText: 'IPVS at LOCAL_IN chose real server' });
  await expect(ipvsRow).toContainText(c);
  // given the counts the choice is certain: one fate, 100%
  const fates = page.getByRole('region', { name: 'Where new connections go' }).locator('li');
  await expect(fates).toHaveCount(1);
  await expect(fates).toContainText(c);
  await expect(fates).toContainText('100.0%');

  // 1000 new connections that stay open: the least loaded fill up first, then all level out
  await page.getByRole('button', { name: 'Send 1000 packets' }).click();
  const dist = page.getByRole('table', { name: 'Endpoint distribution' });
  await expect(dist).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  const count = (ep: string) => dist.locator('tbody tr').filter({ hasText: ep }).locator('td').last();
  await expect(count(c)).toHaveText('334');
  await expect(count(d)).toHaveText('334');
  await expect(count(b)).toHaveText('332');
});
