import type { ProxyMode } from '../engine/pipeline.ts';
import { SCENARIOS, findScenario, settingsFor } from '../engine/scenario/scenarios.ts';
import { CLUSTER_PRESETS, K8S_VERSIONS, type ClusterPresetChoice, type K8sVersionChoice } from '../engine/scenario/clusterSettings.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useWorkspace } from './StoreContext.tsx';
import { useContractLabel, useT } from './useT.tsx';

const MODES: { id: ProxyMode; label: string }[] = [
  { id: 'iptables', label: 'iptables' },
  { id: 'ipvs', label: 'IPVS' },
  { id: 'nftables', label: 'nftables' },
];

export function Controls() {
  const t = useT();
  const label = useContractLabel();
  const scenario = useWorkspace((s) => s.scenario);
  // a boolean selector: typing does not re-render the controls
  const edited = useWorkspace((s) => findScenario(s.scenario)?.yaml !== s.yaml);
  const loadScenario = useWorkspace((s) => s.loadScenario);
  const mode = useWorkspace((s) => s.mode);
  const setMode = useWorkspace((s) => s.setMode);
  const node = useWorkspace((s) => s.node);
  const setNode = useWorkspace((s) => s.setNode);
  const nodes = useWorkspace((s) => s.result?.nodes ?? null);
  const shownNode = useWorkspace((s) => s.result?.dataplane?.node ?? '');
  const k8sVersion = useWorkspace((s) => s.k8sVersion);
  const setK8sVersion = useWorkspace((s) => s.setK8sVersion);
  const preset = useWorkspace((s) => s.nodes);
  const setPreset = useWorkspace((s) => s.setClusterPreset);
  const scenarioVersion = settingsFor(scenario).cluster.kubernetesVersion ?? '1.35';
  const output = useWorkspace((s) => s.output);
  const setOutput = useWorkspace((s) => s.setOutput);

  // Edited text is no longer the scenario: the picker says so rather than pretend.
  const nodeOptions = nodes ?? [];
  // a node kept from an earlier scenario that this cluster lacks: show the node actually rendered
  const nodeValue = node && (nodeOptions.includes(node) || !shownNode) ? node : shownNode;
  const nodeList = nodeValue && !nodeOptions.includes(nodeValue) ? [nodeValue, ...nodeOptions] : nodeOptions;

  return (
    <div className="controls" role="group">
      <label className="field">
        <span>{label.node('controls.scenario')}</span>
        <select
          aria-label={label.text('controls.scenario')}
          value={edited ? '' : scenario}
          onChange={(e) => e.target.value && loadScenario(e.target.value)}
        >
          <option value="">{t('controls.scenarioCustom')}</option>
          {SCENARIOS.map((s) => (
            <option key={s.id} value={s.id}>
              {t(s.titleKey as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{label.node('controls.mode')}</span>
        <select aria-label={label.text('controls.mode')} value={mode} onChange={(e) => setMode(e.target.value as ProxyMode)}>
          {MODES.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{label.node('controls.node')}</span>
        <select aria-label={label.text('controls.node')} value={nodeValue} onChange={(e) => setNode(e.target.value)} disabled={nodeList.length === 0}>
          {nodeList.length === 0 && <option value="">{t('controls.nodeNone')}</option>}
          {nodeList.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{label.node('controls.k8sVersion')}</span>
        <select aria-label={label.text('controls.k8sVersion')} value={k8sVersion} onChange={(e) => setK8sVersion(e.target.value as K8sVersionChoice)}>
          <option value="">{t('controls.k8sVersionScenario', { version: scenarioVersion })}</option>
          {K8S_VERSIONS.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      {/* only YAML of your own can lack nodes: every scenario names its nodes */}
      {(edited || !scenario) && (
      <label className="field">
        <span>{label.node('controls.clusterPreset')}</span>
        <select
          aria-label={label.text('controls.clusterPreset')}
          aria-describedby="cluster-preset-help"
          value={preset}
          onChange={(e) => setPreset(e.target.value as ClusterPresetChoice)}
        >
          <option value="">{t('controls.clusterPresetDefault')}</option>
          {CLUSTER_PRESETS.filter((p) => p.id !== '3x2').map((p) => (
            <option key={p.id} value={p.id}>
              {t(`controls.clusterPreset.${p.id}` as MessageKey)}
            </option>
          ))}
        </select>
        <span id="cluster-preset-help" className="visually-hidden">
          {t('controls.clusterPresetHelp')}
        </span>
      </label>
      )}
      {mode !== 'nftables' && (
        <fieldset className="field segmented">
          <legend>{t('controls.output')}</legend>
          {(['save', 'restore'] as const).map((o) => (
            <label key={o} className={output === o ? 'seg active' : 'seg'}>
              <input type="radio" name="rule-output" value={o} checked={output === o} onChange={() => setOutput(o)} />
              {t(o === 'save' ? 'controls.outputSave' : 'controls.outputRestore')}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
