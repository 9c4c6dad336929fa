// The workspace store: what the user set (the share-link fields), what the engine answered, and
// what is pending. Engine work goes through an EngineClient (a Web Worker in the browser), never
// on the main thread; the store only keeps the answer to the latest input.

import { createStore } from 'zustand/vanilla';
import type { PipelineInput, PipelineResult, ProxyMode } from '../engine/pipeline.ts';
import { DEFAULT_SHARE_STATE, type ShareState } from '../engine/scenario/codec.ts';
import { DEFAULT_SCENARIO_ID, findScenario, settingsFor } from '../engine/scenario/scenarios.ts';
import { applyClusterChoices } from '../engine/scenario/clusterSettings.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { EngineClient } from '../worker/client.ts';
import type { DnsAnswer } from '../engine/scenario/resolve.ts';
import type { MapModel } from '../engine/scenario/mapModel.ts';
import type { IpvsViews } from '../worker/protocol.ts';
import type { PodReadiness } from '../engine/k8s/types.ts';
import type { EligibilityReport } from '../engine/proxy/eligibility-report.ts';
import type { PipelineRequest } from '../worker/protocol.ts';

export type Theme = 'light' | 'dark';
export type EngineStatus = 'starting' | 'running' | 'ready' | 'notReady' | 'failed';

export interface Notice {
  key: MessageKey;
  params?: Record<string, string | number>;
  tone: 'info' | 'error';
  /** the reason, itself a message key, for refusals */
  reasonKey?: MessageKey;
}

export interface WorkspaceFields extends Omit<ShareState, 'v'> {
  theme: Theme;
}

export interface WorkspaceState extends WorkspaceFields {
  result: PipelineResult | null;
  /** the cluster's name records, for names in `Packet destination` */
  dns: DnsAnswer[];
  /** what the cluster map draws */
  map: MapModel | null;
  /** IPVS mode: `ipvsadm -Ln`, `ipset list`, `ip addr show kube-ipvs0` of the node */
  ipvsViews: IpvsViews | null;
  /** which endpoints each Service port may use on the node, and why */
  eligibility: EligibilityReport[];
  pending: boolean;
  engine: EngineStatus;
  engineMessage: string;
  ms: number;
  notice: Notice | null;
  /** bumps when the YAML is replaced from outside the editor (scenario, link), so editors reload */
  yamlRevision: number;

  setYaml(yaml: string): void;
  loadScenario(id: string): void;
  setMode(mode: ProxyMode): void;
  setNode(node: string): void;
  setLang(lang: ShareState['lang']): void;
  setTheme(theme: Theme): void;
  setOutput(output: ShareState['output']): void;
  setScreen(screen: ShareState['screen']): void;
  setPacket(p: Partial<Pick<ShareState, 'src' | 'dst' | 'proto'>>): void;
  setDump(dump: string): void;
  setCursor(cursor: number): void;
  setPodReadiness(key: string, r: PodReadiness): void;
  setK8sVersion(v: ShareState['k8sVersion']): void;
  setClusterPreset(p: ShareState['nodes']): void;
  replaceFields(f: Partial<WorkspaceFields>): void;
  setNotice(n: Notice | null): void;
}

export function initialFields(): WorkspaceFields {
  const s = findScenario(DEFAULT_SCENARIO_ID)!;
  const { v: _v, ...share } = DEFAULT_SHARE_STATE;
  return {
    ...share,
    yaml: s.yaml,
    scenario: s.id,
    mode: s.mode,
    node: s.node,
    src: s.packet.src,
    dst: s.packet.dst,
    proto: s.packet.proto,
    theme: 'light',
  };
}

export const FIELD_KEYS: readonly (keyof WorkspaceFields)[] = [
  'yaml', 'mode', 'node', 'src', 'dst', 'proto', 'cursor', 'lang', 'scenario', 'output', 'screen', 'dump', 'readiness', 'theme',
  'k8sVersion', 'nodes', 'ipvsScheduler', 'ipvsConns',
];

export function pickFields(s: WorkspaceFields): WorkspaceFields {
  const out = {} as Record<string, unknown>;
  for (const k of FIELD_KEYS) out[k] = s[k];
  return out as unknown as WorkspaceFields;
}

export function pipelineInput(s: WorkspaceFields): PipelineInput {
  const { config, cluster } = settingsFor(s.scenario);
  const chosen = applyClusterChoices(cluster, s.k8sVersion, s.nodes);
  const input: PipelineInput = { yaml: s.yaml, mode: s.mode, config: s.ipvsScheduler ? { ...config, ipvsScheduler: s.ipvsScheduler } : config, cluster: { ...chosen, podReadiness: s.readiness } };
  if (s.node) input.node = s.node;
  return input;
}

export function createWorkspaceStore(initial: Partial<WorkspaceFields> = {}) {
  return createStore<WorkspaceState>()((set, get) => ({
    ...initialFields(),
    ...initial,
    result: null,
    dns: [],
    map: null,
    eligibility: [],
    ipvsViews: null,
    pending: false,
    engine: 'starting',
    engineMessage: '',
    ms: 0,
    notice: null,
    yamlRevision: 0,

    // Typing makes the YAML "your own": the scenario's settings still apply (so the seed's
    // cluster CIDR stays), but the picker shows that the text was edited.
    setYaml: (yaml) => set({ yaml }),
    loadScenario: (id) => {
      const s = findScenario(id);
      if (!s) return;
      set({
        scenario: s.id,
        yaml: s.yaml,
        mode: s.mode,
        node: s.node,
        src: s.packet.src,
        dst: s.packet.dst,
        proto: s.packet.proto,
        cursor: 0,
        readiness: {},
        k8sVersion: '',
        nodes: '',
        ipvsScheduler: '',
        ipvsConns: {},
        yamlRevision: get().yamlRevision + 1,
      });
    },
    setMode: (mode) => set({ mode }),
    setNode: (node) => set({ node }),
    setLang: (lang) => set({ lang }),
    setTheme: (theme) => set({ theme }),
    setOutput: (output) => set({ output }),
    setScreen: (screen) => set({ screen }),
    setPacket: (p) => set({ ...p, cursor: 0 }),
    setDump: (dump) => set({ dump }),
    setCursor: (cursor) => set({ cursor }),
    setPodReadiness: (key, r) => set({ readiness: { ...get().readiness, [key]: r }, cursor: 0 }),
    setK8sVersion: (k8sVersion) => set({ k8sVersion, cursor: 0 }),
    setClusterPreset: (nodes) => set({ nodes, cursor: 0 }),
    replaceFields: (f) => set({ ...f, yamlRevision: get().yamlRevision + 1 }),
    setNotice: (notice) => set({ notice }),
  }));
}

export type WorkspaceStore = ReturnType<typeof createWorkspaceStore>;

/**
 * Sends the pipeline input to the engine whenever it changes: at once for a control, after a
 * pause for typing. Returns an unsubscribe function.
 */
export function connectEngine(store: WorkspaceStore, client: EngineClient, typingDelayMs = 120): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastKey = '';

  const run = async () => {
    timer = null;
    const s = store.getState();
    const input: PipelineRequest = pipelineInput(s);
    if (s.mode === 'ipvs' && Object.keys(s.ipvsConns ?? {}).length > 0) input.ipvsConns = s.ipvsConns;
    store.setState({ pending: true, engine: s.engine === 'ready' || s.engine === 'running' ? 'running' : s.engine });
    const out = await client.runPipeline(input);
    if (out.kind === 'stale') return;
    if (out.kind === 'result') {
      const { dns = [], map = null, ipvsViews = null, eligibility = [], ...result } = out.result;
      store.setState({ result, dns, map, ipvsViews, eligibility, pending: false, engine: 'ready', ms: out.ms, engineMessage: '' });
    }
    else if (out.kind === 'notReady') store.setState({ result: null, pending: false, engine: 'notReady', engineMessage: out.reason });
    else store.setState({ pending: false, engine: 'failed', engineMessage: out.message });
  };

  const schedule = (delay: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(), delay);
  };

  const keyOf = (s: WorkspaceState) => JSON.stringify([s.mode, s.node, s.scenario, s.readiness, s.k8sVersion, s.nodes, s.ipvsScheduler, s.mode === 'ipvs' ? s.ipvsConns : null]);
  lastKey = keyOf(store.getState());
  let lastYaml = store.getState().yaml;
  schedule(0);
  const unsub = store.subscribe((s) => {
    const key = keyOf(s);
    if (key !== lastKey) {
      lastKey = key;
      lastYaml = s.yaml;
      schedule(0);
    } else if (s.yaml !== lastYaml) {
      lastYaml = s.yaml;
      schedule(typingDelayMs);
    }
  });
  return () => {
    unsub();
    if (timer) clearTimeout(timer);
  };
}
