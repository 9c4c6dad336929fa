// Turns one parsed YAML document into plain JSON-like data (what kubectl sends after its
// YAML-to-JSON step) while remembering where every field sits in the text.
// Objects get a null prototype so keys such as "__proto__" stay ordinary data.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node as YNode } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';

export interface Pos {
  line: number;
  col: number;
}

/** Path segments: a string is a map key, a number a list index. */
export type Segment = string | number;

const segKey = (s: Segment): string =>
  typeof s === 'number' ? `[${s}]` : `.${s.replace(/\\/g, '\\\\').replace(/[.[\]]/g, (c) => '\\' + c)}`;

export const pathKey = (segs: readonly Segment[]): string => segs.map(segKey).join('');

const TREE_ERROR_KEYS: Record<string, string> = {
  'too-deep': 'manifest.tooDeep',
  'yaml-alias': 'manifest.excessiveAliasing',
  'yaml-syntax': 'manifest.badAnchor',
};

export class TreeError extends Error {
  readonly key: string;
  constructor(
    message: string,
    readonly code: string,
    readonly pos: Pos,
  ) {
    super(message);
    this.key = TREE_ERROR_KEYS[code] ?? 'manifest.yamlSyntax';
  }
}

export interface TreeLimits {
  /** nodes produced by alias expansion, across the document */
  maxAliasNodes: number;
  maxDepth: number;
}

const MAX_DUPLICATE_WARNINGS = 20;

export const DEFAULT_LIMITS: TreeLimits = { maxAliasNodes: 100_000, maxDepth: 1000 };

export interface Tree {
  value: unknown;
  /** pathKey(segments) -> position of the key (map entries) or of the item (list items) */
  positions: Map<string, Pos>;
  diagnostics: Diagnostic[];
}

export function newObject(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** Sets an own property; on null-prototype objects "__proto__" is an ordinary key, elsewhere define it. */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (Object.getPrototypeOf(o) === null) o[k] = v;
  else Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export function buildTree(doc: Document, lc: LineCounter, limits: TreeLimits = DEFAULT_LIMITS): Tree {
  const positions = new Map<string, Pos>();
  const diagnostics: Diagnostic[] = [];
  const pos = (offset: number | undefined): Pos => {
    const p = lc.linePos(offset ?? 0);
    return { line: p.line, col: p.col };
  };
  let aliasNodes = 0;
  let duplicates = 0;
  const expanding = new Set<YNode>();

  const convert = (node: unknown, key: string, depth: number, inAlias: boolean): unknown => {
    if (depth > limits.maxDepth) {
      throw new TreeError(`nesting deeper than ${limits.maxDepth} levels`, 'too-deep', pos((node as YNode)?.range?.[0]));
    }
    if (inAlias && ++aliasNodes > limits.maxAliasNodes) {
      throw new TreeError('yaml: document contains excessive aliasing', 'yaml-alias', pos((node as YNode)?.range?.[0]));
    }
    if (node == null) return null;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) throw new TreeError(`yaml: unknown anchor '${node.source}' referenced`, 'yaml-syntax', pos(node.range?.[0]));
      if (expanding.has(target)) throw new TreeError(`yaml: anchor '${node.source}' value contains itself`, 'yaml-syntax', pos(node.range?.[0]));
      expanding.add(target);
      try {
        return convert(target, key, depth + 1, true);
      } finally {
        expanding.delete(target);
      }
    }
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      if (typeof v === 'bigint') return Number(v);
      // timestamps and !!binary: the JSON form kubectl sends is the source text
      return node.source ?? String(v);
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => {
        const itemKey = key + segKey(i);
        const r = (item as YNode | null)?.range;
        if (r && !inAlias) positions.set(itemKey, pos(r[0]));
        return convert(item, itemKey, depth + 1, inAlias);
      });
    }
    if (isMap(node)) {
      const out = newObject();
      const seenAt = new Map<string, Pos>();
      const merges: unknown[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YNode | null;
        const keyText = keyString(keyNode, doc);
        const keyPos = pos(keyNode?.range?.[0] ?? (pair.value as YNode | null)?.range?.[0]);
        if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
          merges.push(pair.value);
          continue;
        }
        const childKey = key + segKey(keyText);
        const prev = seenAt.get(keyText);
        // a few are enough to make the point; thousands would drown every other finding
        if (prev && !inAlias && ++duplicates <= MAX_DUPLICATE_WARNINGS) {
          diagnostics.push({
            code: 'duplicate-key',
            severity: 'warning',
            message: `duplicate key "${keyText}" (first at line ${prev.line}): kubectl keeps the last value`,
            line: keyPos.line,
            col: keyPos.col,
            key: 'manifest.duplicateKey',
            params: { key: keyText, firstLine: prev.line },
          });
        }
        seenAt.set(keyText, keyPos);
        if (!inAlias) positions.set(childKey, keyPos);
        setOwn(out, keyText, convert(pair.value, childKey, depth + 1, inAlias));
      }
      // YAML 1.1 merge keys: explicit keys win over merged ones
      for (const m of merges) {
        const sources = isSeq(m) ? m.items : [m];
        for (const src of sources) {
          const merged = convert(src, key, depth + 1, true);
          if (merged && typeof merged === 'object' && !Array.isArray(merged)) {
            for (const [k, v] of Object.entries(merged)) if (!(k in out)) setOwn(out, k, v);
          }
        }
      }
      return out;
    }
    return null;
  };

  const value = convert(doc.contents, '', 0, false);
  return { value, positions, diagnostics };
}

function keyString(key: YNode | null, doc: Document): string {
  if (key == null) return 'null';
  if (isScalar(key)) {
    const v = key.value;
    if (typeof v === 'string') return v;
    if (v === null) return 'null';
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    return key.source ?? String(v as unknown);
  }
  if (isAlias(key)) return keyString((key.resolve(doc) as YNode | undefined) ?? null, doc);
  return String(key);
}
