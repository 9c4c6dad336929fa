import { LANGS, type Lang } from '../i18n/index.ts';
import { useWorkspace } from './StoreContext.tsx';
import { useContractLabel, useT } from './useT.tsx';
import { CopyLinkButton } from './CopyLinkButton.tsx';

export function Header() {
  const t = useT();
  const label = useContractLabel();
  const lang = useWorkspace((s) => s.lang);
  const setLang = useWorkspace((s) => s.setLang);
  const theme = useWorkspace((s) => s.theme);
  const setTheme = useWorkspace((s) => s.setTheme);
  const screen = useWorkspace((s) => s.screen);
  const setScreen = useWorkspace((s) => s.setScreen);

  return (
    <header className="app-header">
      <div className="brand">
        <h1>{t('app.title')}</h1>
        <p className="tagline">{t('app.tagline')}</p>
      </div>
      <nav className="screens" aria-label={t('nav.screens')}>
        {(['generate', 'explain'] as const).map((s) => (
          <button
            key={s}
            type="button"
            className={screen === s ? 'tab active' : 'tab'}
            aria-pressed={screen === s}
            onClick={() => setScreen(s)}
          >
            {t(s === 'generate' ? 'nav.generate' : 'nav.explain')}
          </button>
        ))}
      </nav>
      <div className="header-tools">
        <label className="field inline">
          <span>{label.node('header.language')}</span>
          <select aria-label={label.text('header.language')} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            {LANGS.map((l) => (
              <option key={l.id} value={l.id} lang={l.id}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="theme-toggle"
          aria-label={`${t('header.theme')}: ${t(theme === 'dark' ? 'theme.dark' : 'theme.light')}`}
          aria-pressed={theme === 'dark'}
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? '☾' : '☀'} {t(theme === 'dark' ? 'theme.dark' : 'theme.light')}
        </button>
        <CopyLinkButton />
      </div>
    </header>
  );
}
