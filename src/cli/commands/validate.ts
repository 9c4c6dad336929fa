// `svcpath validate FILE.yaml|-`: parse and validate manifests as the API server would, printing
// one `LINE:COL severity code message` per finding. Exit 0 without errors, 1 with errors, 2 on usage.
import { formatDiagnostic } from '../../engine/diagnostics.ts';
import { parseManifests, type ParseOptions } from '../../engine/manifest/index.ts';
import { readInput, type CliIo } from '../io.ts';

const USAGE = `usage: svcpath validate [options] FILE.yaml|-

options:
  --kubernetes-version 1.N        API server behaviour to simulate (default 1.35; 1.17-1.21 accept spec.topologyKeys)
  --service-cluster-ip-range CIDR check requested clusterIPs against it (one CIDR, or two comma-separated)
  --service-node-port-range A-B   check requested nodePorts against it, e.g. 30000-32767
`;

const VALUE_OPTIONS: Record<string, keyof ParseOptions> = {
  '--kubernetes-version': 'kubernetesVersion',
  '--service-cluster-ip-range': 'serviceClusterIPRange',
  '--service-node-port-range': 'nodePortRange',
};

function usage(io: CliIo, problem: string): number {
  io.stderr(`svcpath validate: ${problem}\n${USAGE}`);
  return 2;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const opts: ParseOptions = {};
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') {
      io.stdout(USAGE);
      return 0;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const opt = VALUE_OPTIONS[name];
    if (opt) {
      const value = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') return usage(io, `${name} needs a value`);
      opts[opt] = value as never;
      continue;
    }
    if (a.startsWith('-') && a !== '-') return usage(io, `unknown option "${a}"`);
    if (file !== undefined) return usage(io, 'give one FILE (or - for standard input)');
    file = a;
  }
  if (file === undefined) return usage(io, 'missing FILE (or - for standard input)');

  let text: string;
  try {
    text = await readInput(io, file);
  } catch (err) {
    io.stderr(`svcpath validate: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  opts.fileName = file === '-' ? 'STDIN' : file;
  const { diagnostics } = parseManifests(text, opts);
  for (const d of diagnostics) {
    // continuation lines of kubectl's multi-line messages stay visibly attached to their finding
    io.stdout(formatDiagnostic(d).replace(/\n/g, '\n  ') + '\n');
  }
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
