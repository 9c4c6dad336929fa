import { readFileSync } from 'node:fs';
import { explain, explainJson } from './src/engine/explain/index.ts';
const f = process.argv[2];
const x = explain(readFileSync(f, 'utf8'));
const j = explainJson(x);
console.log(JSON.stringify({ format: j.format, era: j.era, services: j.services.map(s => ({ name: s.name, proto: s.protocol, cip: s.clusterIP, port: s.port, np: s.nodePorts, ext: s.externalIPs, lb: s.loadBalancerIPs, eps: s.endpoints.map(e => `${e.address}=${e.probability}`), local: s.localEndpoints?.map(e => `${e.address}=${e.probability}`), noEp: s.noEndpoints, etp: s.externalTrafficPolicy, itp: s.internalTrafficPolicy, aff: s.affinity, masq: s.masquerade.map(m=>m.when), rej: s.rejectLines })) }, null, 1));
for (const d of j.diagnostics) console.log(d.line, d.severity, d.code, d.message);
if (process.argv[3]) for (const n of j.notes) console.log(n.line, n.notes.map(m => m.en).join(' | '));
