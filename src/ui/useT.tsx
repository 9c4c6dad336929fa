// Strings in the chosen language. Controls named in CONTRACTS.md keep their English name inside
// the accessible name in every language ("场景 Scenario"), so scripts and tests that find them by
// name keep working while the visible label is Chinese.
import type { ReactNode } from 'react';
import { messages, translate, type MessageKey } from '../i18n/index.ts';
import { en } from '../i18n/en.ts';
import { useWorkspace } from './StoreContext.tsx';

export function useLang() {
  return useWorkspace((s) => s.lang);
}

export function useT() {
  const lang = useLang();
  return (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
}

/** A label for a contract control, as text (for aria-label) and as nodes (for a visible label). */
export function useContractLabel() {
  const lang = useLang();
  const table = messages(lang);
  const text = (key: MessageKey): string => (lang === 'en' ? en[key] : `${table[key]} ${en[key]}`);
  const node = (key: MessageKey): ReactNode =>
    lang === 'en' ? (
      en[key]
    ) : (
      <>
        {table[key]} <span className="alias" lang="en">{en[key]}</span>
      </>
    );
  return { text, node };
}
