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
  // the burst lands connection by connection; the table is busy until the last one
  await expect(dist).toHaveAttribute('aria-busy', 'false');
  await expect(dist.locator('caption')).toContainText('1000 of 1000');
  const counts = await dist.locator('tbody tr td:nth-child(4)').allTextContents();
  expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(1000);
});

// Hand-written, as people paste it: a shell prompt, ipvsadm's header, two virtual servers.
const IPVSADM = `$ sudo ipvsadm -Ln
IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  10.96.0.10:53 rr
  -> 10.244.0.2:53                Masq    1      0          0
  -> 10.244.0.3:53                Masq    1      0          0
TCP  10.102.249.128:80 wrr
  -> 10.244.154.195:80            Masq    2      3          1
  -> 10.244.154.196:80            Masq    1      0          0
  -> 10.244.235.208:80            Masq    1      0          0
`;

test('Explain a dump: a pasted ipvsadm -Ln listing gives each virtual server its real servers and shares', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Explain a dump' }).click();
  await page.getByRole('textbox', { name: 'Rules to explain' }).fill(IPVSADM);
  const services = page.getByRole('region', { name: 'Services found' });
  const web = services.getByRole('article', { name: 'TCP 10.102.249.128:80' });
  await expect(web).toContainText('scheduler wrr');
  // wrr: shares follow the weights 2:1:1
  await expect(web.locator('li').filter({ hasText: '10.244.154.195:80' })).toContainText('weight 2');
  await expect(web.locator('li').filter({ hasText: '10.244.154.195:80' })).toContainText('50.0%');
  await expect(web.locator('li').filter({ hasText: '10.244.154.196:80' })).toContainText('25.0%');
  await expect(web.locator('li').filter({ hasText: '10.244.235.208:80' })).toContainText('25.0%');
  const dns = services.getByRole('article', { name: 'TCP 10.96.0.10:53' });
  await expect(dns).toContainText('scheduler rr');
  await expect(dns.locator('li')).toHaveCount(2);
  for (const ep of ['10.244.0.2:53', '10.244.0.3:53']) await expect(dns.locator('li').filter({ hasText: ep })).toContainText('50.0%');

  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文' });
  // the cards' region is named in Chinese now; the card keeps the virtual server's name
  const webZh = page.getByRole('article', { name: 'TCP 10.102.249.128:80' });
  await expect(webZh).toContainText('调度算法 wrr');
  await expect(webZh.locator('li').filter({ hasText: '10.244.154.195:80' })).toContainText('权重 2');
});

test('Explain a dump: the chain graph shows who jumps where, clicks through to the dump, and lights the path', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Explain a dump' }).click();
  await page.getByRole('button', { name: /lecture note/ }).click();
  const graph = page.getByRole('region', { name: 'Chain graph' });
  const svc = graph.getByRole('button', { name: /^KUBE-SVC-WWRFY3PZ7W3FGMQW \(nat table\)/ });
  await expect(svc).toBeVisible();
  for (const c of ['KUBE-SERVICES', 'KUBE-SEP-TPL3DXVO5A7FMTEY', 'KUBE-SEP-WC7WUVTVEWVSPTYM', 'KUBE-SEP-5WXBOBXHEYR4QL4Y'])
    await expect(graph.getByRole('button', { name: new RegExp(`^${c} \\(nat table\\)`) })).toHaveCount(1);
  await expect(graph.locator('path.edge[data-from="nat/KUBE-SERVICES"][data-to="nat/KUBE-SVC-WWRFY3PZ7W3FGMQW"]')).toHaveCount(1);

  // a chain picked in the graph is marked in the dump at its declaration
  await svc.click();
  await expect(page.locator('.dl.picked')).toContainText('KUBE-SVC-WWRFY3PZ7W3FGMQW');
  await graph.getByRole('button', { name: /^KUBE-SERVICES \(nat table\)/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.dl.picked')).toContainText('KUBE-SERVICES');

  // after the whole trace, the chains and jumps the packet took are lit
  await page.getByRole('button', { name: 'Send packet' }).click();
  const rows = page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(graph.locator('path.edge.lit')).toHaveCount(0);
  await rows.last().dispatchEvent('click');
  await expect(graph.locator('g.node.lit[data-chain="nat/KUBE-SVC-WWRFY3PZ7W3FGMQW"]')).toHaveCount(1);
  await expect(graph.locator('path.edge.lit[data-from="nat/KUBE-SERVICES"][data-to="nat/KUBE-SVC-WWRFY3PZ7W3FGMQW"]')).toHaveCount(1);
  const hooks = page.getByRole('figure', { name: 'Netfilter hooks and tables on the packet’s path' });
  await expect(hooks.locator('.hook.lit').filter({ hasText: 'PREROUTING' }).locator('.tb-nat.lit')).toHaveCount(1);
  await expect(hooks.locator('.tb-ipvs')).toHaveCount(0);
  // exactly one KUBE-SEP chain was taken
  await expect(graph.locator('path.edge.lit[data-from="nat/KUBE-SVC-WWRFY3PZ7W3FGMQW"]')).toHaveCount(1);
});
