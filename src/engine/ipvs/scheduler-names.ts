// The IPVS schedulers kube-proxy can be told to use (--ipvs-scheduler). Names only, dependency
// free: the share-link codec reads them on the page without loading the schedulers themselves.

export type SchedulerName = 'rr' | 'wrr' | 'lc' | 'wlc' | 'sed' | 'nq' | 'sh' | 'dh' | 'mh';
export const SCHEDULERS: readonly SchedulerName[] = ['rr', 'wrr', 'lc', 'wlc', 'sed', 'nq', 'sh', 'dh', 'mh'];

export function isScheduler(s: string): s is SchedulerName {
  return (SCHEDULERS as readonly string[]).includes(s);
}

/** The most a simulated count may be: far above a real node, and small enough that the kernel's int arithmetic never overflows. */
export const MAX_CONNS = 1_000_000;
