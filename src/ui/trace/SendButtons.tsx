import { useContractLabel } from '../useT.tsx';

export function SendButtons({ onSend, disabled }: { onSend(samples: number): void; disabled?: boolean }) {
  const label = useContractLabel();
  return (
    <>
      <button type="button" className="primary" aria-label={label.text('explain.send')} onClick={() => onSend(0)} disabled={disabled}>
        {label.node('explain.send')}
      </button>
      <button type="button" aria-label={label.text('explain.sendMany')} onClick={() => onSend(1000)} disabled={disabled}>
        {label.node('explain.sendMany')}
      </button>
    </>
  );
}
