// People paste what is on their screen. Recognise the common things that are not Kubernetes YAML
// and say what they are and what to do, instead of showing a YAML syntax error.
import type { Diagnostic } from '../diagnostics.ts';

interface PasteKind {
  code: string;
  /** first matching line wins; the test sees one line at a time */
  line: RegExp;
  /** needs this many matching lines before we are sure */
  min: number;
  message: string;
  key: string;
}

const KINDS: PasteKind[] = [
  {
    code: 'looks-like-iptables-save',
    line: /^(\*(nat|filter|mangle|raw|security)\s*$|:[A-Z][-\w]* (ACCEPT|DROP|RETURN|-) \[\d+:\d+\]|-A [A-Z][-\w]* |COMMIT\s*$)/,
    min: 2,
    message: 'This looks like an iptables-save dump, not Kubernetes YAML: paste it into "Rules to explain" (or run `svcpath explain FILE`).',
    key: 'manifest.hint.iptablesSave',
  },
  {
    code: 'looks-like-iptables-list',
    line: /^(Chain [A-Z][-\w]* \((policy \w+|\d+ references)|target\s+prot\s+opt\s+source\s+destination)/,
    min: 2,
    message:
      'This looks like an `iptables -L` listing, not Kubernetes YAML. Paste it into "Rules to explain"; for exact rules run `iptables-save -t nat` on the node.',
    key: 'manifest.hint.iptablesList',
  },
  {
    code: 'looks-like-ipvsadm',
    line: /^(IP Virtual Server version|Prot LocalAddress:Port Scheduler Flags|\s+->\s+RemoteAddress:Port|(TCP|UDP|SCTP)\s+\S+:\d+\s+\w+)/,
    min: 2,
    message: 'This looks like `ipvsadm -Ln` output, not Kubernetes YAML: paste it into "Rules to explain" (or run `svcpath explain FILE`).',
    key: 'manifest.hint.ipvsadm',
  },
  {
    code: 'looks-like-nft',
    line: /^\s*(table (ip|ip6|inet) \S+ \{|chain \S+ \{|(type (nat|filter) hook \w+))/,
    min: 2,
    message: 'This looks like `nft list` output, not Kubernetes YAML: paste it into "Rules to explain" (or run `svcpath explain FILE`).',
    key: 'manifest.hint.nft',
  },
  {
    code: 'looks-like-ipset',
    line: /^(Name: KUBE-|Type: hash:|Members:\s*$)/,
    min: 2,
    message: 'This looks like `ipset list` output, not Kubernetes YAML: paste it into "Rules to explain" (or run `svcpath explain FILE`).',
    key: 'manifest.hint.ipset',
  },
  {
    code: 'looks-like-kubectl-table',
    // kubectl get's header: NAME then upper-case columns separated by 2+ spaces
    line: /^(NAMESPACE\s{2,})?NAME\s{2,}(READY|STATUS|TYPE|CLUSTER-IP|ENDPOINTS|AGE|UP-TO-DATE|DATA|ADDRESSTYPE|ROLES|DESIRED)\b/,
    min: 1,
    message:
      'This looks like a `kubectl get` table, which has no spec to simulate. Run `kubectl get svc,deploy,endpointslices -o yaml` (or `kubectl get svc NAME -o yaml`) and paste that.',
    key: 'manifest.hint.kubectlTable',
  },
];

const MAX_SCAN_LINES = 400;

/** A diagnostic when the text is not YAML but something recognisable; null otherwise. */
export function detectForeignPaste(text: string): Diagnostic | null {
  const lines = text.split(/\r?\n/, MAX_SCAN_LINES);
  for (const k of KINDS) {
    let count = 0;
    let first = -1;
    for (let i = 0; i < lines.length; i++) {
      if (k.line.test(lines[i]!)) {
        if (first < 0) first = i;
        if (++count >= k.min) break;
      }
    }
    if (count >= k.min && !looksLikeK8sYaml(lines)) return { code: k.code, severity: 'error', message: k.message, line: first + 1, col: 1, key: k.key };
  }
  return null;
}

const looksLikeK8sYaml = (lines: string[]): boolean => lines.some((l) => /^\s*(apiVersion|kind)\s*:/.test(l) || /^\s*"(apiVersion|kind)"\s*:/.test(l));

// Helm's directives; a lone `{{` inside a quoted annotation (e.g. a Prometheus template) is not one.
const HELM = /\{\{-?\s*(\.Values|\.Release|\.Chart|\.Capabilities|\.Files|include\b|template\b|if\b|else\b|end\b|range\b|with\b|define\b|toYaml\b|tpl\b|\$)/;

export function detectHelm(text: string): Diagnostic | null {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const col = lines[i]!.search(HELM);
    if (col >= 0)
      return {
        code: 'helm-template',
        severity: 'error',
        message:
          'This is an unrendered Helm template ({{ ... }} directives). Render it first: `helm template RELEASE CHART -f values.yaml`, then paste the output.',
        line: i + 1,
        col: col + 1,
        key: 'manifest.hint.helm',
      };
  }
  return null;
}

// CommonMark fences are indented at most 3 spaces; deeper ones live inside YAML block scalars.
const FENCE = /^ {0,3}(```+|~~~+)\s*([\w+-]*)\s*$/;

/**
 * Markdown fences: keep what is inside the fences and blank every other line, so line and column
 * numbers still match the user's text. Returns null when there are no fences.
 */
export function stripFences(text: string): { text: string; note: Diagnostic } | null {
  const lines = text.split('\n');
  const firstFence = lines.findIndex((l) => FENCE.test(l));
  if (firstFence < 0) return null;
  let inside = false;
  let keep = false;
  let fence = '';
  let blocks = 0;
  const blank = (l: string): string => (l.endsWith('\r') ? '\r' : '');
  const out = lines.map((l) => {
    const m = FENCE.exec(l);
    if (m && !inside) {
      inside = true;
      fence = m[1]!;
      // a shell session or other code block in the same paste is not part of the manifest
      keep = /^(|ya?ml|json)$/i.test(m[2]!);
      if (keep) blocks++;
      return blank(l);
    }
    if (m && inside && m[2] === '' && m[1]!.startsWith(fence)) {
      inside = false;
      return blank(l);
    }
    return inside && keep ? l : blank(l);
  });
  return {
    text: out.join('\n'),
    note: {
      code: 'markdown-fence',
      severity: 'info',
      message: `Read the YAML inside ${blocks} Markdown code fence${blocks === 1 ? '' : 's'} and ignored the text around ${blocks === 1 ? 'it' : 'them'}.`,
      line: firstFence + 1,
      col: 1,
      key: 'manifest.hint.markdownFence',
      params: { blocks },
    },
  };
}
