// The command line's view of the outside world, injected so every command is testable with a fake.
import { readFileSync } from 'node:fs';

export interface CliIo {
  stdin: () => Promise<string>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => string;
}

export const processIo: CliIo = {
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readFile: (p) => readFileSync(p, 'utf8'),
};

/** Reads FILE, or standard input for "-". */
export async function readInput(io: CliIo, file: string): Promise<string> {
  return file === '-' ? io.stdin() : io.readFile(file);
}
