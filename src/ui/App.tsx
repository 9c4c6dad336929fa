import { lazy, Suspense, useEffect } from 'react';
import { Header } from './Header.tsx';
import { GenerateScreen } from './GenerateScreen.tsx';
import { NoticeBar } from './NoticeBar.tsx';
import { StatusLine } from './StatusLine.tsx';
import { useWorkspace } from './StoreContext.tsx';

const ExplainScreen = lazy(() => import('./explain/ExplainScreen.tsx'));

export function App() {
  const theme = useWorkspace((s) => s.theme);
  const lang = useWorkspace((s) => s.lang);
  const screen = useWorkspace((s) => s.screen);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  return (
    <div className="app">
      <Header />
      <NoticeBar />
      {screen === 'explain' ? (
        <Suspense fallback={<main className="explain" />}>
          <ExplainScreen />
        </Suspense>
      ) : (
        <GenerateScreen />
      )}
      {screen === 'generate' && <StatusLine />}
    </div>
  );
}
