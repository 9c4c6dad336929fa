// kube-proxy versions as the config names them: "v1.28.0", "1.20", "master@<commit>".
// Unparseable or master versions count as the newest behaviour the engine knows.

export interface ProxyVersion {
  major: number;
  minor: number;
}

const NEWEST: ProxyVersion = { major: 1, minor: Number.MAX_SAFE_INTEGER };

export function parseProxyVersion(text: string | undefined): ProxyVersion {
  const m = /^v?(\d+)\.(\d+)/.exec((text ?? '').trim());
  if (!m) return NEWEST;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** version < 1.minor */
export function versionBefore(v: ProxyVersion, minor: number): boolean {
  return v.major < 1 || (v.major === 1 && v.minor < minor);
}
