// `svcpath generate FILE.yaml [--mode iptables|ipvs] [--node NAME] [--config FILE.json]
// [--output restore|save|ipvsadm|ipset|json]`: one node's dataplane (CONTRACTS.md).
import type { CliIo } from '../io.ts';
import { readInput } from '../io.ts';
import type { ProxierConfig } from '../../engine/proxy/config.ts';
import { formatDiagnostic } from '../../engine/diagnostics.ts';
import { runPipeline, simulateFromYaml } from '../../engine/pipeline.ts';
import type { EndpointSlice, Service } from '../../engine/k8s/types.ts';
import { renderIpvsOutput } from '../../engine/proxy/ipvs/index.ts';

const USAGE = `usage: svcpath generate FILE.yaml|- [--mode iptables|ipvs] [--node NAME] [--config FILE.json]
                         [--output restore|save|ipvsadm|ipset|json]
`;

const MODES = ['iptables', 'ipvs', 'nftables'] as const;
const OUTPUTS = ['restore', 'save', 'ipvsadm', 'ipset', 'nft', 'json'] as const;

export interface ProxyInputs {
  services: Service[];
  slices: EndpointSlice[];
  /** `LINE:COL severity code message` findings that make the input unusable */
  errors: string[];
  /** findings worth telling the user that do not stop generation */
  warnings: string[];
}

/**
 * Services and EndpointSlices as kube-proxy would see them after the simulated control plane
 * (manifest + cluster stages of the pipeline), for commands that need the proxier's inputs.
 */
export function loadProxyInputs(text: string, opts: { asGiven?: boolean } = {}): ProxyInputs {
  const { cluster, diagnostics } = simulateFromYaml({ yaml: text, asGiven: opts.asGiven });
  return {
    services: cluster.services,
    slices: cluster.endpointSlices,
    errors: diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
    warnings: diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic),
  };
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
  let text: string;
  try {
    text = await readInput(io, opts.file);
  } catch (e) {
    io.stderr(`svcpath generate: cannot read ${opts.file}: ${(e as Error).message}\n`);
    return 1;
  }
  const name = opts.file === '-' ? '<stdin>' : opts.file;

  if (opts.mode === 'nftables') {
    io.stderr('svcpath generate: --mode nftables is not available yet\n');
    return 1;
  }

  // With --config the objects are taken as kube-proxy's own tests feed them (no API server
  // allocation or refusal in between): that is what config.json describes.
  const result = runPipeline({ yaml: text, mode: opts.mode, node: opts.node, config: partial, asGiven: opts.config !== undefined });
  for (const d of result.diagnostics) {
    if (d.severity !== 'info') io.stderr(`${name}:${formatDiagnostic(d)}\n`);
  }
  if (result.diagnostics.some((d) => d.severity === 'error')) return 1;
  const dp = result.dataplane;
  if (!dp) {
    io.stderr(`svcpath generate: no node to render: the input names none and no default cluster was made\n`);
    return 1;
  }
  if (opts.node && dp.node !== opts.node) {
    io.stderr(`svcpath generate: no node named ${opts.node} (nodes: ${result.nodes.join(', ')})\n`);
    return 1;
  }

  if (opts.mode === 'ipvs') {
    const out = renderIpvsOutput(dp.node, dp.ipvs!, opts.output);
    if (out === null) {
      io.stderr(`svcpath generate: --output ${opts.output} is not available in ipvs mode (use restore, save, ipvsadm, ipset or json)\n`);
      return 2;
    }
    io.stdout(out);
    return 0;
  }

  const ipt = dp.iptables!;
  switch (opts.output) {
    case 'restore':
      io.stdout(ipt.restore);
      return 0;
    case 'save':
      io.stdout(ipt.save);
      return 0;
    case 'json':
      io.stdout(JSON.stringify({ node: dp.node, mode: 'iptables', iptables: ipt, ipvs: null, nftables: null }, null, 2) + '\n');
      return 0;
    default:
      io.stderr(`svcpath generate: --output ${opts.output} needs --mode ${opts.output === 'nft' ? 'nftables' : 'ipvs'}\n`);
      return 2;
  }
}
