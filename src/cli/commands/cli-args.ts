// Shared option reading for explain and trace: `--flag value` or `--flag=value`, one input file.

export interface ParsedCli {
  file: string | null;
  values: Map<string, string>;
  error: string | null;
}

export function readArgs(args: string[], valueFlags: readonly string[], boolFlags: readonly string[] = []): ParsedCli {
  const values = new Map<string, string>();
  let file: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (valueFlags.includes(flag)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) return { file, values, error: `${flag} needs a value` };
      values.set(flag, v);
    } else if (boolFlags.includes(flag)) values.set(flag, 'true');
    else if (a.startsWith('-') && a !== '-') return { file, values, error: `unknown option ${a}` };
    else if (file !== null) return { file, values, error: `only one input file, got ${file} and ${a}` };
    else file = a;
  }
  return { file, values, error: null };
}
