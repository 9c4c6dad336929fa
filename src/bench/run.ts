// `npm run bench`: every speed figure svcpath reports (no timed tests anywhere else).
import { benchIptables } from './iptables.ts';
import { benchManifest } from './manifest.ts';
import { benchNetfilter } from './netfilter.ts';
import { benchIpvs } from './ipvs.ts';
import { benchFuzz } from './fuzz.ts';
import { benchBrowser } from './browser.ts';

const sections: [string, () => string | Promise<string>][] = [
  ['manifest', benchManifest],
  ['iptables', benchIptables],
  ['netfilter', benchNetfilter],
  ['ipvs', benchIpvs],
  ['fuzz', benchFuzz],
  ['browser', benchBrowser],
];

const only = process.argv.slice(2);
for (const [name, fn] of sections) {
  if (only.length && !only.includes(name)) continue;
  console.log(await fn());
}
