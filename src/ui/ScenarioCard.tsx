// What the chosen scenario teaches, and the packet it suggests sending.
import { findScenario } from '../engine/scenario/scenarios.ts';
import type { Protocol } from '../engine/scenario/codec.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useWorkspace } from './StoreContext.tsx';
import { useContractLabel, useT } from './useT.tsx';

export function PacketFields() {
  const label = useContractLabel();
  const src = useWorkspace((s) => s.src);
  const dst = useWorkspace((s) => s.dst);
  const proto = useWorkspace((s) => s.proto);
  const setPacket = useWorkspace((s) => s.setPacket);
  return (
    <div className="packet-fields">
      <label className="field">
        <span>{label.node('packet.src')}</span>
        <input aria-label={label.text('packet.src')} value={src} spellCheck={false} onChange={(e) => setPacket({ src: e.target.value })} />
      </label>
      <label className="field">
        <span>{label.node('packet.dst')}</span>
        <input aria-label={label.text('packet.dst')} value={dst} spellCheck={false} onChange={(e) => setPacket({ dst: e.target.value })} />
      </label>
      <label className="field">
        <span>{label.node('packet.proto')}</span>
        <select aria-label={label.text('packet.proto')} value={proto} onChange={(e) => setPacket({ proto: e.target.value as Protocol })}>
          <option value="tcp">TCP</option>
          <option value="udp">UDP</option>
          <option value="sctp">SCTP</option>
        </select>
      </label>
    </div>
  );
}

export function ScenarioCard() {
  const t = useT();
  const id = useWorkspace((s) => s.scenario);
  const s = findScenario(id);
  return (
    <section className="scenario-card" aria-label={s ? t(s.titleKey as MessageKey) : t('controls.scenarioCustom')}>
      {s ? (
        <>
          <h2>
            {t(s.titleKey as MessageKey)} {s.fromSeed && <span className="badge">{t('controls.fromSeed')}</span>}
          </h2>
          <p>{t(s.explainKey as MessageKey)}</p>
        </>
      ) : (
        <h2>{t('controls.scenarioCustom')}</h2>
      )}
    </section>
  );
}
