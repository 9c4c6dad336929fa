// `Packet destination` may be a name (`nginx-basic.default:80`): resolve it the way a pod's
// resolver would with the cluster's DNS records (search path <ns>.svc.cluster.local,
// svc.cluster.local, cluster.local), before the packet is sent. Pure: the records come from the
// simulated cluster.

export interface DnsAnswer {
  name: string;
  type: string;
  value: string;
}

export type Resolution =
  | { ok: true; address: string; port: number; via: string | null; others: string[] }
  | { ok: false; code: 'noPort' | 'notFound' | 'external'; message: string; target?: string };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function splitDest(dst: string): { host: string; port: number | null } {
  const t = dst.trim();
  if (t.startsWith('[')) {
    const end = t.indexOf(']');
    const port = Number(t.slice(end + 2));
    return { host: t.slice(1, end), port: t[end + 1] === ':' && Number.isInteger(port) ? port : null };
  }
  const i = t.lastIndexOf(':');
  if (i < 0 || t.indexOf(':') !== i) return { host: t, port: null };
  const port = Number(t.slice(i + 1));
  return { host: t.slice(0, i), port: Number.isInteger(port) && port > 0 && port < 65536 ? port : null };
}

export function resolveDestination(dst: string, records: readonly DnsAnswer[], namespace = 'default', zone = 'cluster.local'): Resolution {
  const { host, port } = splitDest(dst);
  if (IPV4.test(host) || host.includes(':')) {
    return port === null ? { ok: false, code: 'noPort', message: 'the destination needs a port (IP:PORT)' } : { ok: true, address: host, port, via: null, others: [] };
  }
  if (port === null) return { ok: false, code: 'noPort', message: 'the destination needs a port (NAME:PORT)' };
  const bare = host.replace(/\.$/, '');
  const candidates = host.endsWith('.')
    ? [`${bare}.`]
    : [`${bare}.${namespace}.svc.${zone}.`, `${bare}.svc.${zone}.`, `${bare}.${zone}.`, `${bare}.`];
  for (const name of candidates) {
    let current = name;
    // follow CNAMEs a few steps, as a resolver would
    for (let hop = 0; hop < 8; hop++) {
      const a = records.filter((r) => r.name === current && (r.type === 'A' || r.type === 'AAAA'));
      if (a.length > 0) return { ok: true, address: a[0]!.value, port, via: name, others: a.slice(1).map((r) => r.value) };
      const c = records.find((r) => r.name === current && r.type === 'CNAME');
      if (!c) break;
      current = c.value;
      if (!records.some((r) => r.name === current)) {
        return { ok: false, code: 'external', target: current, message: `${name} is a CNAME to ${current}, outside the cluster: kube-proxy writes no rules for it` };
      }
    }
  }
  return { ok: false, code: 'notFound', message: `no DNS record for ${host} in the cluster` };
}
