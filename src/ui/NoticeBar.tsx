import { useWorkspace } from './StoreContext.tsx';
import { useT } from './useT.tsx';

export function NoticeBar() {
  const t = useT();
  const notice = useWorkspace((s) => s.notice);
  const setNotice = useWorkspace((s) => s.setNotice);
  if (!notice) return null;
  const params = { ...(notice.params ?? {}) };
  if (notice.reasonKey) params.reason = t(notice.reasonKey, notice.params);
  return (
    <div className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <span>{t(notice.key, params)}</span>
      <button type="button" onClick={() => setNotice(null)} aria-label={t('share.dismiss')}>
        ×
      </button>
    </div>
  );
}
