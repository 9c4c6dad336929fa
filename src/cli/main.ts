// `npm run -s svcpath -- <command> [options] [FILE|-]` (CONTRACTS.md). Each command lives in
// commands/<name>.ts and returns its exit status; this file only dispatches.
import { processIo, type CliIo } from './io.ts';

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  validate: () => import('./commands/validate.ts'),
  generate: () => import('./commands/generate.ts'),
  explain: () => import('./commands/explain.ts'),
  trace: () => import('./commands/trace.ts'),
};

export const USAGE = `usage: svcpath <command> [options] [FILE|-]

commands:
  validate FILE.yaml   parse and validate manifests (LINE:COL severity code message)
  generate FILE.yaml   simulate the cluster and print one node's dataplane
                       --mode iptables|ipvs|nftables  --node NAME  --config FILE.json
                       --output restore|save|ipvsadm|ipset|nft|json
  explain FILE         explain a pasted dump (iptables-save, ipvsadm -Ln, ipset list, nft ...)
                       --format text|json
  trace FILE           run a packet through a dump or a generated node
                       --src IP[:PORT] --dst IP:PORT|NAME.NS:PORT --proto tcp|udp|sctp
                       --from auto|pod|node|external --samples N --seed N --format text|json
`;

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`svcpath: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    const mod = await load();
    return await mod.run(rest, io);
  } catch (err) {
    // A crash is a bug, but the user still gets a message and a non-zero status, not a stack dump.
    io.stderr(`svcpath ${name}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
