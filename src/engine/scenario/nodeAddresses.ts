// The addresses a node owns, read from the Node objects in the user's YAML. The evaluator needs
// them to decide what is local (addrtype LOCAL, NodePorts, routing); kube-proxy's generated
// rules do not carry them. Tolerant by design: text the manifest layer would refuse gives [].

import { parseAllDocuments } from 'yaml';

const MAX_DOCS = 20_000;

export function nodeAddresses(yamlText: string, nodeName: string): string[] {
  if (!nodeName || yamlText.length > 3 * 1024 * 1024) return [];
  let docs;
  try {
    docs = parseAllDocuments(yamlText);
  } catch {
    return [];
  }
  if (!Array.isArray(docs)) return [];
  const out: string[] = [];
  for (const d of docs.slice(0, MAX_DOCS)) {
    let obj: unknown;
    try {
      obj = d.toJS({ maxAliasCount: 100 });
    } catch {
      continue;
    }
    for (const node of nodesIn(obj)) {
      if (node.metadata?.name !== nodeName) continue;
      for (const a of node.status?.addresses ?? []) {
        if ((a.type === 'InternalIP' || a.type === 'ExternalIP') && typeof a.address === 'string' && !out.includes(a.address)) out.push(a.address);
      }
    }
  }
  return out;
}

interface NodeLike {
  kind?: string;
  metadata?: { name?: string };
  status?: { addresses?: { type?: string; address?: unknown }[] };
}

function nodesIn(obj: unknown): NodeLike[] {
  if (!obj || typeof obj !== 'object') return [];
  const o = obj as NodeLike & { items?: unknown };
  if (o.kind === 'Node') return [o];
  // `kind: List` as kubectl get -o yaml prints it
  if (o.kind === 'List' || o.kind === 'NodeList') return Array.isArray(o.items) ? o.items.flatMap(nodesIn) : [];
  return [];
}
