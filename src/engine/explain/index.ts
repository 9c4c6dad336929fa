// kube-proxy-aware explanation of a ruleset: services, shares, notes, chain owners, diagnostics.
export { explain, type ChainReport, type Explanation } from './explain.ts';
export { reconstructServices, type EndpointReport, type ServiceReport } from './services.ts';
export { ruleNotes, type Note, type RuleNotes } from './rule-notes.ts';
export { NOTES, renderNote, type NoteKey, type NoteText } from './notes.ts';
export { chainOwner, SOFTWARE, type ChainOwner, type KubeChainKind, type Owner } from './owners.ts';
export { explainJson, type ExplainJson } from './json.ts';
