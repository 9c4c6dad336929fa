// The cluster settings the API server's checks depend on, parsed from ParseOptions.
import type { Diagnostic } from '../diagnostics.ts';
import { usesJsonValues } from './field-error.ts';
import { isCIDR } from './ip.ts';
import { minorOf } from './kinds.ts';
import type { ParseOptions } from './types.ts';

export const DEFAULT_KUBERNETES_VERSION = '1.35';

export interface ClusterOptions {
  version: string;
  minor: number;
  jsonValues: boolean;
  serviceCIDRs: string[];
  nodePortRange: { base: number; size: number } | null;
}

const optionError = (message: string): Diagnostic => ({ code: 'invalid-option', severity: 'error', message, line: 0, col: 0, key: 'manifest.invalidOption' });

export function parseClusterOptions(opts: ParseOptions, diagnostics: Diagnostic[]): ClusterOptions {
  let version = opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  let minor = minorOf(version);
  if (minor === null) {
    diagnostics.push(optionError(`Kubernetes version "${version}" is not of the form 1.N; using ${DEFAULT_KUBERNETES_VERSION}.`));
    version = DEFAULT_KUBERNETES_VERSION;
    minor = minorOf(version)!;
  }
  let serviceCIDRs: string[] = [];
  if (opts.serviceClusterIPRange) {
    const parts = opts.serviceClusterIPRange.split(',').map((s) => s.trim());
    if (parts.length > 2 || !parts.every(isCIDR) || (parts.length === 2 && parts[0]!.includes(':') === parts[1]!.includes(':')))
      diagnostics.push(optionError(`--service-cluster-ip-range "${opts.serviceClusterIPRange}" must be one CIDR, or two of different IP families.`));
    else serviceCIDRs = parts;
  }
  let nodePortRange: ClusterOptions['nodePortRange'] = null;
  if (opts.nodePortRange) {
    const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(opts.nodePortRange);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2]) : NaN;
    if (!m || lo < 1 || hi > 65535 || hi < lo) diagnostics.push(optionError(`--service-node-port-range "${opts.nodePortRange}" must be of the form 30000-32767.`));
    else nodePortRange = { base: lo, size: hi - lo + 1 };
  }
  return { version, minor, jsonValues: usesJsonValues(version), serviceCIDRs, nodePortRange };
}
