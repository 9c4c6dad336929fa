import { expect, type Page } from '@playwright/test';

/** Waits for CodeMirror to replace the textarea, then replaces the whole text. */
export async function replaceYaml(page: Page, text: string): Promise<void> {
  const content = page.locator('.cm-content');
  await expect(content).toBeVisible();
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

export function editor(page: Page) {
  return page.getByRole('textbox', { name: 'Cluster YAML' });
}
