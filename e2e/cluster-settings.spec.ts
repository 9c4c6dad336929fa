import { expect, test } from '@playwright/test';
import { inflateSync, strFromU8 } from 'fflate';
import { replaceYaml } from './helpers.ts';

/** The k8sVersion field of the share link in the page's URL (null when there is none yet). */
function linkedVersion(url: string): string | null {
  const m = /#s=([A-Za-z0-9_-]+)/.exec(url);
  if (!m) return null;
  return (JSON.parse(strFromU8(inflateSync(Buffer.from(m[1]!, 'base64url')))) as { k8sVersion?: string }).k8sVersion ?? '';
}

test('Kubernetes version: topologyKeys is accepted under 1.20 and refused under 1.35, with the change in the link', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('topology-node-only');
  // k8s-node-02 has no nginx pod: under ["kubernetes.io/hostname"] kube-proxy 1.20 rejects
  const rules = page.getByRole('region', { name: 'Node rules' });
  await expect(rules).toContainText('"default/nginx-basic:http has no endpoints"');
  const findings = page.locator('section.diagnostics');
  await expect(findings.locator('li.diag-error')).toHaveCount(0);
  const version = page.getByRole('combobox', { name: 'Kubernetes version' });
  await expect(version.locator('option').first()).toHaveText('default (1.20)');
  await version.selectOption('1.35');
  await expect(findings.locator('li.diag-error').first()).toContainText('topologyKeys');
  // the API server refuses the Service, so kube-proxy never sees it
  await expect(rules).not.toContainText('nginx-basic');
  // the choice travels in the share link (written off the main thread) and survives a reload
  await expect.poll(() => linkedVersion(page.url())).toBe('1.35');
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Kubernetes version' })).toHaveValue('1.35');
  await expect(page.locator('section.diagnostics li.diag-error').first()).toContainText('topologyKeys');
});

test('Default cluster: YAML that names no nodes runs on the chosen default cluster', async ({ page }) => {
  await page.goto('/');
  await replaceYaml(
    page,
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  replicas: 2',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec: {containers: [{name: web, image: nginx}]}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: web}',
      'spec:',
      '  selector: {app: web}',
      '  ports: [{port: 80}]',
      '',
    ].join('\n'),
  );
  const node = page.getByRole('combobox', { name: 'Node', exact: true });
  await expect(node.locator('option')).toHaveText(['node-1', 'node-2', 'node-3']);
  await page.getByRole('combobox', { name: 'Default cluster' }).selectOption({ label: '6 nodes in 3 zones' });
  await expect(node.locator('option')).toHaveCount(6);
  await page.getByRole('combobox', { name: 'Default cluster' }).selectOption({ label: '1 node' });
  await expect(node.locator('option')).toHaveText(['node-1']);
  // both pods now sit on the one node: its rules hold both endpoints
  await expect(page.getByRole('region', { name: 'Node rules' })).toContainText('default/web -> 10.244.0.3:80');
});
