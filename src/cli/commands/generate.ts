// `svcpath generate FILE.yaml [--mode iptables|ipvs] [--node NAME] [--config FILE.json]
// [--output restore|save|ipvsadm|ipset|json]`: one node's dataplane (CONTRACTS.md).
import { isMap, LineCounter, parseAllDocuments } from 'yaml';
import type { CliIo } from '../io.ts';
import { readInput } from '../io.ts';
import type { EndpointSlice, Service } from '../../engine/k8s/types.ts';
import { resolveProxierConfig, type ProxierConfig } from '../../engine/proxy/config.ts';
import { syncIptables, renderRestore } from '../../engine/proxy/iptables/proxier.ts';
import { renderSave } from '../../engine/proxy/iptables/save.ts';
import { generateIpvs } from '../../engine/proxy/ipvs/proxier.ts';
import { ipvsJson, renderIpsetList, renderIpvsadm } from '../../engine/proxy/ipvs/render.ts';

const USAGE = `usage: svcpath generate FILE.yaml|- [--mode iptables|ipvs] [--node NAME] [--config FILE.json]
                         [--output restore|save|ipvsadm|ipset|json]
`;

const MODES = ['iptables', 'ipvs', 'nftables'] as const;
const OUTPUTS = ['restore', 'save', 'ipvsadm', 'ipset', 'nft', 'json'] as const;

export interface ProxyInputs {
  services: Service[];
  slices: EndpointSlice[];
  /** `LINE:COL message` findings that make the input unusable */
  errors: string[];
  /** findings worth telling the user that do not stop generation */
  warnings: string[];
}

/**
 * Services and EndpointSlices straight from the YAML, for the proxier. Stand-in for the
 * manifest + cluster pipeline (src/engine/pipeline.ts): objects of other kinds are not
 * simulated here, so they are counted in a warning.
 */
export function loadProxyInputs(text: string): ProxyInputs {
  const out: ProxyInputs = { services: [], slices: [], errors: [], warnings: [] };
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  const where = (offset: number | undefined) => {
    const p = lc.linePos(offset ?? 0);
    return `${p.line}:${p.col}`;
  };
  const ignored = new Map<string, number>();
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    for (const e of doc.errors) out.errors.push(`${where(e.pos[0])} ${e.message.split('\n')[0]}`);
    if (doc.errors.length > 0) continue;
    const node = doc.contents;
    if (node === null) continue;
    if (!isMap(node)) {
      out.errors.push(`${where(node.range?.[0])} expected a Kubernetes object (a mapping with apiVersion and kind)`);
      continue;
    }
    const obj = doc.toJS() as Record<string, unknown>;
    const at = where(node.range?.[0]);
    const kind = obj.kind;
    if (kind === 'List' && Array.isArray(obj.items)) {
      out.errors.push(`${at} kind List is not supported here: paste the items as separate documents`);
      continue;
    }
    const meta = obj.metadata as Record<string, unknown> | undefined;
    if (kind === 'Service' || kind === 'EndpointSlice') {
      if (!meta || typeof meta.name !== 'string' || meta.name === '') {
        out.errors.push(`${at} ${kind}: metadata.name: Required value`);
        continue;
      }
    }
    if (kind === 'Service') {
      const spec = obj.spec as Record<string, unknown> | undefined;
      if (!spec || typeof spec !== 'object') {
        out.errors.push(`${at} Service ${meta!.name}: spec: Required value`);
        continue;
      }
      const ports = spec.ports;
      if (ports !== undefined && (!Array.isArray(ports) || ports.some((p) => !p || typeof (p as { port?: unknown }).port !== 'number'))) {
        out.errors.push(`${at} Service ${meta!.name}: spec.ports[].port: must be a number`);
        continue;
      }
      out.services.push(obj as unknown as Service);
    } else if (kind === 'EndpointSlice') {
      if (!['IPv4', 'IPv6', 'FQDN'].includes(obj.addressType as string)) {
        out.errors.push(`${at} EndpointSlice ${meta!.name}: addressType: Unsupported value: ${JSON.stringify(obj.addressType)}: supported values: "FQDN", "IPv4", "IPv6"`);
        continue;
      }
      out.slices.push(obj as unknown as EndpointSlice);
    } else {
      const k = typeof kind === 'string' ? kind : '(no kind)';
      ignored.set(k, (ignored.get(k) ?? 0) + 1);
    }
  }
  if (ignored.size > 0) {
    const list = [...ignored].map(([k, n]) => `${n} ${k}`).join(', ');
    out.warnings.push(`generate reads Services and EndpointSlices only (cluster simulation not wired yet); ignored: ${list}`);
  }
  return out;
}

interface Options {
  file: string;
  mode: (typeof MODES)[number];
  node?: string;
  config?: string;
  output: (typeof OUTPUTS)[number];
}

function parseArgs(args: string[]): Options | string {
  const o: Partial<Options> = { mode: 'iptables' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    try {
      switch (flag) {
        case '--mode': {
          const v = value();
          if (!(MODES as readonly string[]).includes(v)) return `--mode must be one of ${MODES.join(', ')}`;
          o.mode = v as Options['mode'];
          break;
        }
        case '--node':
          o.node = value();
          break;
        case '--config':
          o.config = value();
          break;
        case '--output': {
          const v = value();
          if (!(OUTPUTS as readonly string[]).includes(v)) return `--output must be one of ${OUTPUTS.join(', ')}`;
          o.output = v as Options['output'];
          break;
        }
        default:
          if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
          if (o.file !== undefined) return `only one input file, got ${o.file} and ${a}`;
          o.file = a;
      }
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (o.file === undefined) return 'missing FILE.yaml (or - for standard input)';
  o.output ??= o.mode === 'ipvs' ? 'ipvsadm' : 'restore';
  return o as Options;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout(USAGE);
    return 0;
  }
  const opts = parseArgs(args);
  if (typeof opts === 'string') {
    io.stderr(`svcpath generate: ${opts}\n${USAGE}`);
    return 2;
  }

  let partial: Partial<ProxierConfig> = {};
  if (opts.config) {
    let text: string;
    try {
      text = io.readFile(opts.config);
    } catch (e) {
      io.stderr(`svcpath generate: cannot read config ${opts.config}: ${(e as Error).message}\n`);
      return 1;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
      partial = parsed as Partial<ProxierConfig>;
    } catch (e) {
      io.stderr(`svcpath generate: ${opts.config}: invalid JSON: ${(e as Error).message}\n`);
      return 1;
    }
  }
  if (opts.node) partial = { ...partial, nodeName: opts.node };
  const config = resolveProxierConfig(partial);

  let text: string;
  try {
    text = await readInput(io, opts.file);
  } catch (e) {
    io.stderr(`svcpath generate: cannot read ${opts.file}: ${(e as Error).message}\n`);
    return 1;
  }
  const inputs = loadProxyInputs(text);
  const name = opts.file === '-' ? '<stdin>' : opts.file;
  for (const w of inputs.warnings) io.stderr(`${name}: warning: ${w}\n`);
  if (inputs.errors.length > 0) {
    for (const e of inputs.errors) io.stderr(`${name}:${e}\n`);
    return 1;
  }

  if (opts.mode === 'nftables') {
    io.stderr('svcpath generate: --mode nftables is not available yet\n');
    return 1;
  }

  if (opts.mode === 'ipvs') {
    const dp = generateIpvs(inputs.services, inputs.slices, config);
    switch (opts.output) {
      case 'restore':
        io.stdout(dp.iptablesRestore);
        return 0;
      case 'ipvsadm':
        io.stdout(renderIpvsadm(dp));
        return 0;
      case 'ipset':
        io.stdout(renderIpsetList(dp));
        return 0;
      case 'json':
        io.stdout(JSON.stringify({ node: config.nodeName, mode: 'ipvs', iptables: { restore: dp.iptablesRestore, save: null }, ipvs: ipvsJson(dp), nftables: null }, null, 2) + '\n');
        return 0;
      default:
        io.stderr(`svcpath generate: --output ${opts.output} is not available in ipvs mode (use restore, ipvsadm, ipset or json)\n`);
        return 2;
    }
  }

  const sync = syncIptables(inputs.services, inputs.slices, config);
  switch (opts.output) {
    case 'restore':
      io.stdout(renderRestore(sync.tables));
      return 0;
    case 'save':
      io.stdout(renderSave(sync, config.ipFamily));
      return 0;
    case 'json':
      io.stdout(
        JSON.stringify(
          { node: config.nodeName, mode: 'iptables', iptables: { restore: renderRestore(sync.tables), save: renderSave(sync, config.ipFamily) }, ipvs: null, nftables: null },
          null,
          2,
        ) + '\n',
      );
      return 0;
    default:
      io.stderr(`svcpath generate: --output ${opts.output} needs --mode ${opts.output === 'nft' ? 'nftables' : 'ipvs'}\n`);
      return 2;
  }
}
