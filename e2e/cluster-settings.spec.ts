import { expect, test } from '@playwright/test';
import { replaceYaml } from './helpers.ts';

test('Kubernetes version: topologyKeys is accepted under 1.20 and refused under 1.35, with the change in the link', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('topology-node-only');
  const rules = page.getByRole('region', { name: 'Node rules' });
  await expect(rules).toContainText('KUBE-SVC-WWRFY3PZ7W3FGMQW');
  const findings = page.locator('section.diagnostics');
  await expect(findings.locator('li.diag-error')).toHaveCount(0);
  const version = page.getByRole('combobox', { name: 'Kubernetes version' });
  await expect(version.locator('option').first()).toHaveText('scenario default (1.20)');
  await version.selectOption('1.35');
  await expect(findings.locator('li.diag-error').first()).toContainText('topologyKeys');
  // the choice travels in the share link and survives a reload
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
