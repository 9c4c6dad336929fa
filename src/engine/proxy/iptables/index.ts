// kube-proxy's iptables mode: restore input (what kube-proxy writes), iptables-save text (what
// the node shows), the test normalizer, multi-sync sequences and benchmark inputs.
export { generateIptablesRestore, renderRestore, syncIptables, nextNatChains } from './proxier.ts';
export type { IptablesSync, RestoreTable, ServicePortSync, SyncOptions } from './proxier.ts';
export { generateIptablesSave, renderSave, DEFAULT_SAVE_DATE, DEFAULT_SAVE_VERSION } from './save.ts';
export type { SaveOptions, SaveTable } from './save.ts';
export { normalizeRestore, parseRestoreDump, DumpParseError } from './normalize.ts';
export { IptablesProxier, changedServices, serviceFingerprints } from './sequence.ts';
export type { SequenceSync } from './sequence.ts';
export { makeLargeCluster } from './bench.ts';
export type { LargeCluster } from './bench.ts';
