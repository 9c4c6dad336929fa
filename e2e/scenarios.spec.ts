import { expect, test, type Page } from '@playwright/test';

// Each scenario walked as a learner would: pick it, read the node's rules, send the suggested
// packet, and check where new connections go. The expectations are Kubernetes' behaviour for
// the scenario, not numbers copied from the engine.
const third = ['10.244.154.195:80', '10.244.154.196:80', '10.244.235.208:80'];
const cases: { id: string; node: string; fates: string[] | 'REJECT' | 'noDnat' | 'external' | { without: string; count: number } }[] = [
  { id: 'nginx-clusterip', node: 'k8s-master', fates: third },
  { id: 'nginx-nodeport', node: 'k8s-node-01', fates: third },
  { id: 'nginx-loadbalancer', node: 'k8s-master', fates: third },
  { id: 'nginx-headless', node: 'k8s-master', fates: 'noDnat' },
  { id: 'externalname', node: 'k8s-master', fates: 'external' },
  { id: 'selectorless', node: 'k8s-master', fates: ['192.168.100.50:80'] },
  { id: 'topology-node-only', node: 'k8s-node-02', fates: 'REJECT' },
  { id: 'topology-node-zone-region', node: 'k8s-node-02', fates: third },
  { id: 'topology-zone-any', node: 'k8s-node-02', fates: third },
  { id: 'traffic-distribution', node: 'k8s-node-02', fates: ['10.244.36.5:80'] },
  { id: 'etp-local', node: 'k8s-master', fates: ['10.244.235.208:80'] },
  { id: 'itp-local', node: 'k8s-master', fates: ['10.244.235.208:80'] },
  { id: 'session-affinity', node: 'k8s-master', fates: third },
  { id: 'not-ready-pod', node: 'k8s-master', fates: ['10.244.154.195:80', '10.244.235.208:80'] },
  // the terminating pod is left out while ready ones exist; its replacement has already started
  { id: 'terminating-pod', node: 'k8s-master', fates: { without: '10.244.154.196:80', count: 3 } },
  { id: 'no-endpoints', node: 'k8s-master', fates: 'REJECT' },
];

async function pick(page: Page, id: string, node: string) {
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption(id);
  await expect(page.getByRole('region', { name: 'Node rules' })).toContainText(`Rules on ${node} (iptables)`);
}

test('every scenario sends its suggested packet to the right place', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  for (const c of cases) {
    await test.step(c.id, async () => {
      await pick(page, c.id, c.node);
      if (c.fates === 'external') {
        await expect(page.locator('.packet-note')).toContainText('outside the cluster');
        await expect(page.getByRole('button', { name: 'Send packet' })).toBeDisabled();
        return;
      }
      await page.getByRole('button', { name: 'Send packet' }).click();
      const table = page.getByRole('table', { name: 'Packet trace' });
      await expect(table.locator('tbody tr').first()).toBeVisible();
      const fates = page.getByRole('region', { name: 'Where new connections go' }).locator('li');
      if (c.fates === 'REJECT') {
        await expect(fates).toHaveCount(1);
        await expect(fates.first()).toContainText('REJECT');
        await expect(page.locator('.outcome')).toContainText('REJECT');
      } else if (c.fates === 'noDnat') {
        await expect(fates).toHaveCount(1);
        await expect(page.locator('.outcome')).not.toContainText('DNAT');
      } else if (!Array.isArray(c.fates)) {
        await expect(fates).toHaveCount(c.fates.count);
        await expect(fates.filter({ hasText: c.fates.without })).toHaveCount(0);
      } else {
        await expect(fates).toHaveCount(c.fates.length);
        for (const ep of c.fates) await expect(fates.filter({ hasText: ep })).toHaveCount(1);
      }
    });
  }
});

test('step through with the keyboard, in Chinese, with the live region telling each step', async ({ page }) => {
  await page.goto('/');
  await pick(page, 'nginx-clusterip', 'k8s-master');
  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文' });
  await page.getByRole('button', { name: 'Send packet' }).click();
  const live = page.locator('.live');
  await expect(live).toContainText('第 1 步');
  await page.getByRole('toolbar').getByRole('button', { name: 'Step forward' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(live).toContainText('第 2 步');
  await page.keyboard.press('ArrowRight');
  await expect(live).toContainText('第 3 步');
  await page.keyboard.press('ArrowLeft');
  await expect(live).toContainText('第 2 步');
  await expect(page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr').nth(1)).toHaveAttribute('aria-current', 'step');
});

test('clicking a pod on the map cycles its readiness and the rules follow', async ({ page }) => {
  await page.goto('/');
  await pick(page, 'nginx-clusterip', 'k8s-master');
  const rules = page.getByRole('region', { name: 'Node rules' });
  const pod = page.getByRole('button', { name: /nginx-deployment-8f458dc5b-xpf7n, 10\.244\.154\.196, ready/ });
  await expect(pod).toBeVisible();
  await pod.click();
  await expect(page.getByRole('button', { name: /xpf7n, 10\.244\.154\.196, not ready/ })).toBeVisible();
  await expect(rules).not.toContainText('-> 10.244.154.196:80');
  await expect(rules).toContainText('"default/nginx-basic:http -> 10.244.154.195:80" -m statistic --mode random --probability 0.50000000000');
  // the lines the readiness change brought are highlighted, with a count in the panel's head
  await expect(rules.locator('.rl.changed').filter({ hasText: '--probability 0.50000000000' })).toHaveCount(1);
  await expect(rules.getByRole('status')).toContainText(/\d+ lines new or changed, \d+ gone/);
  await page.getByRole('button', { name: /xpf7n, 10\.244\.154\.196, not ready/ }).press('Enter');
  await expect(page.getByRole('button', { name: /xpf7n, 10\.244\.154\.196, terminating/ })).toBeVisible();
  await page.getByRole('button', { name: /xpf7n, 10\.244\.154\.196, terminating/ }).click();
  await expect(rules).toContainText('"default/nginx-basic:http -> 10.244.154.195:80" -m statistic --mode random --probability 0.33333333349');
});

test('the reply comes back un-NATed by conntrack, on the map and in the trace', async ({ page }) => {
  await page.goto('/');
  await pick(page, 'nginx-nodeport', 'k8s-node-01');
  await page.getByRole('button', { name: 'Send packet' }).click();
  const table = page.getByRole('table', { name: 'Packet trace' });
  await expect(table.locator('tbody tr').first()).toBeVisible();
  // the DNAT step: headers before and after, the DNAT mark at the VIP
  const dnatRow = table.locator('tbody tr').filter({ hasText: /DNAT/ }).first();
  await dnatRow.click();
  const headers = page.getByRole('table', { name: 'Packet headers at this step' });
  await expect(headers.locator('tr.changed')).toContainText(/destination/);
  await expect(page.locator('.cluster-map .mark-dnat')).toContainText('DNAT to 10.244.');
  // masquerade shows on the node where it happens (a NodePort from outside is masqueraded)
  await table.locator('tbody tr').filter({ hasText: /MASQUERADE/ }).first().click();
  await expect(page.locator('.cluster-map .mark-masq')).toContainText('MASQUERADE');
  // the reply leg: its rows follow the request's, the packet dot travels back
  const replyRows = table.locator('tbody tr.ev-reply');
  await expect(replyRows.first()).toBeVisible();
  await replyRows.first().click();
  await expect(page.locator('.live')).toContainText('reply direction');
  await expect(page.locator('.cluster-map .packet-dot')).toHaveAttribute('data-leg', 'reply');
  await expect(page.locator('.cluster-map .reply-path')).toHaveCount(1);
  await expect(replyRows.filter({ hasText: 'un-NATs the reply' }).first()).toBeVisible();
});

test('eligible endpoints: the topologyKeys walk and the Local policy, with the column the packet picks from', async ({ page }) => {
  await page.goto('/');
  await pick(page, 'topology-node-zone-region', 'k8s-node-02');
  await page.getByRole('button', { name: 'Send packet' }).click();
  const panel = page.getByRole('region', { name: 'Eligible endpoints' });
  await expect(panel).toContainText('topologyKeys kubernetes.io/hostname=k8s-node-02: no endpoint matches');
  await expect(panel).toContainText('the walk stops here');
  await pick(page, 'etp-local', 'k8s-master');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await expect(panel).toContainText('externalTrafficPolicy Local');
  const rows = panel.getByRole('table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  // a step inside the KUBE-EXT chain (not the jump to it)
  const ext = page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr').filter({ has: page.locator('td.chain-cell', { hasText: 'KUBE-EXT-' }) }).first();
  await ext.click();
  await expect(panel.locator('th.active')).toHaveText('Local policy');
  await expect(panel.locator('tr.eligible')).toHaveCount(1);
  await expect(panel.locator('tr.eligible')).toContainText('10.244.235.208:80');
  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文' });
  await expect(page.getByRole('region', { name: '可选的端点' })).toContainText('externalTrafficPolicy Local：');
});

test('Send 1000 packets: the burst flies on the map and fills the distribution', async ({ page }) => {
  await page.goto('/');
  await pick(page, 'nginx-clusterip', 'k8s-master');
  await page.getByRole('button', { name: 'Send 1000 packets' }).click();
  await expect(page.locator('.cluster-map .burst-dot').first()).toBeAttached();
  const dist = page.getByRole('table', { name: 'Endpoint distribution' });
  await expect(dist).toHaveAttribute('aria-busy', 'false');
  await expect(page.locator('.cluster-map .burst-dot')).toHaveCount(0);
  const counts = (await dist.locator('tbody tr td:nth-child(4)').allTextContents()).map(Number);
  expect(counts).toHaveLength(3);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
});

test('session affinity: the second connection from the same client sticks', async ({ page }) => {
  await page.goto('/');
  await pick(page, 'session-affinity', 'k8s-master');
  await page.getByRole('button', { name: 'Send packet' }).click();
  const again = page.getByRole('region', { name: 'A second connection from the same client' });
  await expect(again).toContainText(/goes to 10\.244\.\d+\.\d+:80 too: the rule at line \d+ in KUBE-SVC-/);
  const target = (await page.locator('.outcome').textContent())!.match(/10\.244\.\d+\.\d+:80/)![0];
  await expect(again).toContainText(target);
});

test('externalTrafficPolicy Local: the load balancer\'s packet is dropped on a node without a local pod', async ({ page }) => {
  await page.goto('/');
  await pick(page, 'etp-local', 'k8s-master');
  await page.getByRole('combobox', { name: 'Node' }).selectOption('k8s-node-02');
  await expect(page.getByRole('region', { name: 'Node rules' })).toContainText('Rules on k8s-node-02 (iptables)');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await expect(page.locator('.outcome')).toContainText('DROP');
  await expect(page.getByRole('region', { name: 'Eligible endpoints' })).toContainText('k8s-node-02 has no local endpoint');
  // the source was never masqueraded: the client address is what a pod would have seen
  await expect(page.locator('.cluster-map .mark-masq')).toHaveCount(0);
});

test('Play runs the trace at the chosen speed to its last step; space pauses', async ({ page }) => {
  await page.goto('/');
  await pick(page, 'nginx-clusterip', 'k8s-master');
  await page.getByRole('button', { name: 'Send packet' }).click();
  const player = page.getByRole('toolbar');
  await player.getByRole('combobox', { name: 'Speed' }).selectOption('4');
  await player.getByRole('button', { name: 'Play' }).click();
  await expect(player.getByRole('button', { name: 'Pause' })).toBeVisible();
  const rows = page.getByRole('table', { name: 'Packet trace' }).locator('tbody tr');
  const total = await rows.count();
  await expect(player).toContainText(`${total} / ${total}`, { timeout: 30_000 });
  await expect(player.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(rows.last()).toHaveAttribute('aria-current', 'step');
  // space on the toolbar starts and stops playback
  await player.getByRole('button', { name: 'Reset' }).click();
  await player.getByRole('combobox', { name: 'Speed' }).selectOption('0.5');
  await player.focus();
  await page.keyboard.press(' ');
  await expect(player.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press(' ');
  await expect(player.getByRole('button', { name: 'Play' })).toBeVisible();
});
