import { useWorkspace } from './StoreContext.tsx';
import { useT } from './useT.tsx';

export function StatusLine() {
  const t = useT();
  const engine = useWorkspace((s) => s.engine);
  const pending = useWorkspace((s) => s.pending);
  const message = useWorkspace((s) => s.engineMessage);
  const ms = useWorkspace((s) => s.ms);
  const node = useWorkspace((s) => s.result?.dataplane?.node ?? '');
  const hasErrors = useWorkspace((s) => (s.result?.diagnostics ?? []).some((d) => d.severity === 'error'));

  let text: string;
  if (engine === 'starting') text = t('status.starting');
  else if (engine === 'notReady') text = t('status.engineNotReady');
  else if (engine === 'failed') text = t('status.engineFailed', { message });
  else if (pending) text = t('status.running');
  else if (hasErrors && !node) text = t('status.invalid');
  else text = node ? t('status.ready', { node, ms }) : t('status.readyNoNode', { ms });

  return (
    <footer className={`status status-${engine}`} role="status" aria-label={t('status.label')}>
      <span className="dot" aria-hidden="true" /> {text}
    </footer>
  );
}
