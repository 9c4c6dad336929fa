// `Compare modes`: one scenario through the pipeline, then iptables and IPVS mode side by side
// (src/engine/proxy/ipvs/compare.ts) and what one pod restart changes in each. Runs in the compare
// worker: it simulates the cluster and generates both modes.
import type { PipelineInput } from '../../engine/pipeline.ts';
import { runPipeline } from '../../engine/pipeline.ts';
import type { EndpointSlice } from '../../engine/k8s/types.ts';
import type { PacketSpec } from '../../engine/netfilter/trace-types.ts';
import { compareModes, podRestartDiff, type ModeSide } from '../../engine/proxy/ipvs/compare.ts';
import { canonicalIp } from '../../engine/ipvs/addr.ts';

export interface CompareAnswer {
  iptables: Omit<ModeSide, 'fates'>;
  ipvs: Omit<ModeSide, 'fates'>;
  /** the pod that restarts: its old and new address; null when no Service has an endpoint */
  restart: null | {
    pod: string;
    from: string;
    to: string;
    iptablesAdded: number;
    iptablesRemoved: number;
    realServersChanged: number;
    ipsetEntriesChanged: number;
    ipvsIptablesLinesChanged: number;
  };
}

/** A restarted pod comes back with a new IP: the next free IPv4 address in its /24. */
function nextFreeIPv4(ip: string, used: Set<string>): string | null {
  const parts = ip.split('.').map(Number);
  for (let k = 1; k < 254; k++) {
    const last = ((parts[3]! - 1 + k) % 254) + 1;
    const cand = `${parts[0]}.${parts[1]}.${parts[2]}.${last}`;
    if (!used.has(cand)) return cand;
  }
  return null;
}

/** The first endpoint of the packet's Service (else of any Service) replaced by its restarted pod. */
export function restartOnePod(slices: EndpointSlice[], serviceName: string | null): { after: EndpointSlice[]; pod: string; from: string; to: string } | null {
  const used = new Set(slices.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses)));
  const order = serviceName ? [...slices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === serviceName), ...slices] : slices;
  for (const slice of order) {
    if (slice.addressType !== 'IPv4') continue;
    const i = (slice.endpoints ?? []).findIndex((e) => e.addresses.length > 0 && e.conditions?.ready !== false);
    if (i < 0) continue;
    const ep = slice.endpoints![i]!;
    const from = ep.addresses[0]!;
    const to = nextFreeIPv4(from, used);
    if (!to) continue;
    const replaced = { ...ep, addresses: [to] };
    const after = slices.map((s) => (s === slice ? { ...s, endpoints: s.endpoints!.map((e, j) => (j === i ? replaced : e)) } : s));
    return { after, pod: ep.targetRef?.name ?? from, from, to };
  }
  return null;
}

export function compareScenario(input: PipelineInput, packet: PacketSpec): CompareAnswer | { error: string } {
  const r = runPipeline({ ...input, mode: 'iptables' });
  if (!r.cluster || !r.config) return { error: r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'no cluster' };
  const { services, endpointSlices } = r.cluster;
  const config = r.config;
  const localIPs = [...new Set([config.nodeIP, ...(config.nodeInterfaces ?? []).flatMap((i) => i.addresses.map((a) => a.split('/')[0]!))].filter((x): x is string => !!x))];
  const node = { localIPs, nodeIP: config.nodeIP ?? null, ...(config.nodeInterfaces ? { interfaces: config.nodeInterfaces } : {}) };
  const m = compareModes(services, endpointSlices, config, packet, node);
  const dstIp = canonicalIp(packet.dst.replace(/^\[|\](:\d+)?$|:\d+$/g, '')) ?? '';
  const svc = services.find((s) => (s.spec?.clusterIPs ?? [s.spec?.clusterIP]).includes(dstIp));
  const restart = restartOnePod(endpointSlices, svc?.metadata.name ?? null);
  const strip = ({ fates: _f, ...rest }: ModeSide) => rest;
  let restartOut: CompareAnswer['restart'] = null;
  if (restart) {
    const d = podRestartDiff(services, endpointSlices, restart.after, config);
    restartOut = {
      pod: restart.pod,
      from: restart.from,
      to: restart.to,
      iptablesAdded: d.iptables.linesAdded.length,
      iptablesRemoved: d.iptables.linesRemoved.length,
      realServersChanged: d.ipvs.realServersAdded.length + d.ipvs.realServersRemoved.length,
      ipsetEntriesChanged: d.ipvs.ipsetEntriesAdded.length + d.ipvs.ipsetEntriesRemoved.length,
      ipvsIptablesLinesChanged: d.ipvs.iptablesLinesChanged,
    };
  }
  return { iptables: strip(m.iptables), ipvs: strip(m.ipvs), restart: restartOut };
}
