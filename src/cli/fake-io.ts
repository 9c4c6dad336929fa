// A CliIo over in-memory files, for the commands' tests: what a command printed is in out/err.
import type { CliIo } from './io.ts';

export function fakeIo(files: Record<string, string>, stdin = ''): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdin: async () => stdin,
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    readFile: (p) => {
      if (!(p in files)) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
      return files[p]!;
    },
  };
}
