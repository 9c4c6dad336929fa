// Which eligibility report belongs to the traced packet, and which policy column the packet is
// choosing from at the current step. Pure, so the screen's choice is tested without a DOM.
import type { EligibilityReport } from '../../engine/proxy/eligibility-report.ts';
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';

export { reportForPacket } from '../../engine/proxy/eligibility-report.ts';

export type PolicyColumn = 'cluster' | 'local';

/**
 * The policy the packet is choosing under at `cursor`: inside KUBE-SVC-* (Cluster), KUBE-SVL-*
 * (Local), KUBE-EXT-* (the external policy), or at the IPVS step (the policy of how it came:
 * the Local policy only when the report has no Cluster set at all). null elsewhere.
 */
export function activeColumn(events: readonly TraceEvent[], cursor: number, report: EligibilityReport): { column: PolicyColumn; chain: string } | null {
  const e = events[Math.max(0, Math.min(cursor, events.length - 1))];
  if (!e || e.leg === 'reply') return null;
  const chain = e.chain ?? '';
  if (chain.startsWith('KUBE-SVC-')) return { column: 'cluster', chain };
  if (chain.startsWith('KUBE-SVL-')) return { column: 'local', chain };
  if (chain.startsWith('KUBE-EXT-')) return { column: report.externalPolicy === 'Local' ? 'local' : 'cluster', chain };
  if (e.kind === 'ipvs') return { column: report.internalPolicy === 'Local' && report.externalPolicy !== 'Cluster' ? 'local' : 'cluster', chain: 'IPVS' };
  return null;
}
