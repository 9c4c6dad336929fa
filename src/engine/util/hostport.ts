// `host:port`, IPv6 in brackets. Dependency-free, so the page can print addresses without loading
// the address-parsing library the engine uses.

export function joinHostPort(host: string, port: number | null): string {
  if (port === null) return host;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** the same, for a port that is always known */
export function hostPort(ip: string, port: number): string {
  return joinHostPort(ip, port);
}
