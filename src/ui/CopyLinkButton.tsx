import { useState } from 'react';
import { shareStateOf, shareUrl, urlWithPayload } from '../store/persistence.ts';
import { pickFields } from '../store/workspace.ts';
import { getEngineClient } from './engineClient.ts';
import { useWorkspaceStore } from './StoreContext.tsx';
import { useContractLabel, useT } from './useT.tsx';

export function CopyLinkButton() {
  const store = useWorkspaceStore();
  const t = useT();
  const label = useContractLabel();
  const [manual, setManual] = useState<string | null>(null);

  const copy = async () => {
    const fields = pickFields(store.getState());
    const client = getEngineClient();
    const out = client ? await client.encodeShare(shareStateOf(fields)) : null;
    const url = out?.kind === 'result' ? urlWithPayload(location.href, out.result) : shareUrl(location.href, fields);
    history.replaceState(null, '', url);
    try {
      await navigator.clipboard.writeText(url);
      store.getState().setNotice({ key: 'share.copied', tone: 'info' });
      setManual(null);
    } catch {
      // no clipboard permission (e.g. plain http): show the link so it can be copied by hand
      setManual(url);
    }
  };

  return (
    <>
      <button type="button" className="primary" aria-label={label.text('share.copy')} onClick={() => void copy()}>
        {label.node('share.copy')}
      </button>
      {manual && (
        <div className="manual-link" role="dialog" aria-label={t('share.copyManual')}>
          <label>
            {t('share.copyManual')}
            <input readOnly value={manual} onFocus={(e) => e.currentTarget.select()} autoFocus />
          </label>
          <button type="button" onClick={() => setManual(null)}>
            {t('share.dismiss')}
          </button>
        </div>
      )}
    </>
  );
}
