import { expect, test } from '@playwright/test';
import { deflateSync } from 'fflate';
import { editor, replaceYaml } from './helpers.ts';

const SEED_SVC_LINES = [
  '-A KUBE-SERVICES -d 10.102.249.128/32 -p tcp -m comment --comment "default/nginx-basic:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-WWRFY3PZ7W3FGMQW',
  '-A KUBE-SVC-WWRFY3PZ7W3FGMQW -m comment --comment "default/nginx-basic:http -> 10.244.154.195:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-TPL3DXVO5A7FMTEY',
  '-A KUBE-SVC-WWRFY3PZ7W3FGMQW -m comment --comment "default/nginx-basic:http -> 10.244.154.196:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-WC7WUVTVEWVSPTYM',
  '-A KUBE-SVC-WWRFY3PZ7W3FGMQW -m comment --comment "default/nginx-basic:http -> 10.244.235.208:80" -j KUBE-SEP-5WXBOBXHEYR4QL4Y',
  '-A KUBE-SEP-TPL3DXVO5A7FMTEY -p tcp -m comment --comment "default/nginx-basic:http" -m tcp -j DNAT --to-destination 10.244.154.195:80',
];

test('the first screen loads with every contract control named', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'svcpath' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toBeVisible();
  const mode = page.getByRole('combobox', { name: 'Proxy mode' });
  await expect(mode.locator('option')).toHaveText(['iptables', 'IPVS', 'nftables']);
  await expect(page.getByRole('combobox', { name: 'Node' })).toBeAttached();
  await expect(editor(page)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Node rules' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Language' }).locator('option')).toHaveText(['English', '中文']);
  // the editor upgrades to CodeMirror, keeping its name
  await expect(page.locator('.cm-content[aria-label="Cluster YAML"]')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /computed|not ready|failed/i })).toBeVisible();
});

test('the nginx scenario shows the seed’s KUBE-SVC-WWRFY3PZ7W3FGMQW rules in Node rules', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-clusterip');
  const rules = page.getByRole('region', { name: 'Node rules' });
  for (const line of SEED_SVC_LINES) await expect(rules).toContainText(line);
});

test('invalid YAML shows a finding at its line', async ({ page }) => {
  await page.goto('/');
  await replaceYaml(page, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [80\n');
  const findings = page.getByRole('region', { name: 'Findings' }).or(page.locator('section.diagnostics'));
  await expect(findings.locator('li.diag-error').first()).toContainText(/^\s*[67]:\d+/);
  await expect(page.locator('.cm-lint-marker-error').first()).toBeVisible();
});

test('switching to 中文 changes the UI strings and keeps the contract names', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByText('Kubernetes Service 如何找到它的 Pod')).toBeVisible();
  await expect(page.locator('.controls')).toContainText('场景');
  await expect(page.locator('.controls')).toContainText('代理模式');
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Node rules' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy link' })).toContainText('复制链接');
  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'English' });
  await expect(page.locator('.controls')).not.toContainText('场景');
  await expect(page.getByText('Kubernetes Service 如何找到它的 Pod')).toHaveCount(0);
});

test('Copy link, then opening the link in a fresh browser restores the state', async ({ page, browser, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('session-affinity');
  await page.getByRole('combobox', { name: 'Proxy mode' }).selectOption('nftables');
  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文' });
  await page.getByRole('textbox', { name: 'Packet source' }).fill('10.244.154.195');
  await replaceYaml(page, '# 课程实验 shared\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByText('链接已复制。')).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/);

  await page.goto('about:blank');
  const fresh = await browser.newContext({ baseURL });
  const p2 = await fresh.newPage();
  await p2.goto(link);
  await expect(p2.getByRole('combobox', { name: 'Proxy mode' })).toHaveValue('nftables');
  await expect(p2.getByRole('combobox', { name: 'Language' })).toHaveValue('zh-CN');
  await expect(p2.getByRole('textbox', { name: 'Packet source' })).toHaveValue('10.244.154.195');
  await expect(p2.locator('.cm-content')).toContainText('# 课程实验 shared');
  await expect(p2.locator('.cm-content')).toContainText('name: demo');
  await expect(p2.getByText('已从链接打开场景。')).toBeVisible();
  await fresh.close();
});

test('a reload restores the autosaved workspace', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Proxy mode' }).selectOption('ipvs');
  await replaceYaml(page, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: autosaved-42\n');
  await page.waitForFunction(() => (localStorage.getItem('svcpath.workspace.v1') ?? '').includes('autosaved-42'));
  await page.goto('/'); // no fragment: only the autosave can bring it back
  await expect(page.getByRole('combobox', { name: 'Proxy mode' })).toHaveValue('ipvs');
  await expect(page.locator('.cm-content')).toContainText('name: autosaved-42');
  await expect(page.getByText('Restored your last workspace.')).toBeVisible();
});

test('a hostile link gets a message and the app stays usable', async ({ page }) => {
  const bomb = Buffer.from(deflateSync(new Uint8Array(64 * 1024 * 1024).fill(0x41), { level: 9 }))
    .toString('base64url');
  await page.goto(`/#s=${bomb}`);
  await expect(page.getByRole('alert')).toContainText('This link could not be opened');
  await expect(page.getByRole('alert')).toContainText('4 MiB');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-nodeport');
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('nginx-nodeport');
  await expect(page).not.toHaveURL(new RegExp(bomb.slice(0, 40)));

  await page.goto('/#s=AAAA-not-a-link');
  await expect(page.getByRole('alert')).toContainText('damaged');
  await expect(editor(page)).toBeVisible();
});

test('the nginx scenario: send a packet through the generated rules and step through it', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-clusterip');
  const rules = page.getByRole('region', { name: 'Node rules' });
  await expect(rules).toContainText('KUBE-SVC-WWRFY3PZ7W3FGMQW');
  await page.getByRole('button', { name: 'Send packet' }).click();
  const table = page.getByRole('table', { name: 'Packet trace' });
  await expect(table).toContainText('KUBE-SVC-WWRFY3PZ7W3FGMQW');
  // each trace row's line is a line of `Node rules`; stepping moves the highlighted rule
  const last = table.locator('tbody tr').filter({ hasText: 'KUBE-SVC-WWRFY3PZ7W3FGMQW' }).last();
  const line = Number(await last.locator('td.line').textContent());
  await last.dispatchEvent('click');
  await expect(rules.locator(`[data-line="${line}"]`)).toHaveAttribute('aria-current', 'step');
  await expect(rules.locator(`[data-line="${line}"]`)).toContainText('-A KUBE-SVC-WWRFY3PZ7W3FGMQW');
  const fates = page.getByRole('region', { name: 'Where new connections go' });
  for (const ep of ['10.244.154.195:80', '10.244.154.196:80', '10.244.235.208:80']) {
    await expect(fates.locator('li').filter({ hasText: ep })).toContainText('33.3%');
  }
});

test('a link taken mid-trace reopens at the same step', async ({ page, browser, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('nginx-clusterip');
  await expect(page.getByRole('region', { name: 'Node rules' })).toContainText('KUBE-SVC-WWRFY3PZ7W3FGMQW');
  await page.getByRole('button', { name: 'Send packet' }).click();
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Step forward' }).click();
  const rows = page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr');
  await expect(rows.nth(4)).toHaveAttribute('aria-current', 'step');
  const stepText = await page.locator('.live').textContent();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  const fresh = await browser.newContext({ baseURL });
  const p2 = await fresh.newPage();
  await p2.goto(link);
  await expect(p2.getByRole('table', { name: 'Packet trace' }).locator('tbody tr').nth(4)).toHaveAttribute('aria-current', 'step');
  await expect(p2.locator('.live')).toHaveText(stepText!);
  await fresh.close();
});
