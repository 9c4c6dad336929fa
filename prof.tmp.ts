import { readFileSync } from 'node:fs';
import { parseDump } from './src/engine/netfilter/index.ts';
import { sample } from './src/engine/netfilter/outcomes.ts';
const rs = parseDump(readFileSync('/work/shared/seed/000_43e922ef28b17eb5.txt','utf8')).ruleset;
const node = { localIPs: ['192.168.0.2'], interfaces: [{ name: 'eth0', addresses: ['192.168.0.2/24'] }], nodeIP: '192.168.0.2' };
const t0 = process.hrtime.bigint();
const s = sample({ ruleset: rs, node, packet: { src: '10.0.0.2', dst: '10.102.249.128', dport: 80, proto: 'tcp' } }, 50000, 1);
console.log(Number(process.hrtime.bigint() - t0)/1e6, 'ms', s.counts);
