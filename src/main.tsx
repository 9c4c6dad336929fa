import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';
import { StoreContext } from './ui/StoreContext.tsx';
import { setEngineClient } from './ui/engineClient.ts';
import { createWorkspaceStore, connectEngine, pickFields } from './store/workspace.ts';
import { readInitial, shareUrl, startSync } from './store/persistence.ts';
import { createBrowserEngineClient } from './worker/client.ts';
import type { ShareState } from './engine/scenario/codec.ts';
import './ui/styles.css';

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled (private mode, sandboxed iframe): no autosave, nothing breaks
  }
}

const storage = safeStorage();
const initial = readInitial(location.hash, storage);
const store = createWorkspaceStore(initial.fields);
store.setState({ notice: initial.notice });
const client = createBrowserEngineClient();
setEngineClient(client);
connectEngine(store, client);
const encodeOffThread = async (s: ShareState) => {
  const out = await client.encodeShare(s);
  return out.kind === 'result' ? out.result : null;
};
startSync(store, { history: window.history, storage, location: window.location, encode: encodeOffThread });

// A link pasted into the address bar of an open tab changes only the hash: load it too.
window.addEventListener('hashchange', () => {
  const next = readInitial(location.hash, null);
  if (next.notice?.key === 'share.restored' || next.notice?.key === 'share.migrated') {
    store.getState().replaceFields(next.fields);
    store.getState().setNotice(next.notice);
  } else if (next.notice) {
    store.getState().setNotice(next.notice);
    history.replaceState(null, '', shareUrl(location.href, pickFields(store.getState())));
  }
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
