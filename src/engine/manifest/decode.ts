// The API server's decode step: encoding/json type errors (the first one wins, as in Go) and
// strict decoding's unknown fields (reported only when there is no type error).
import { goTypeName, type StructSpec, type TypeSpec } from './schema.ts';
import type { Segment } from './yaml-tree.ts';

export interface TypeError_ {
  segs: Segment[];
  /** e.g. json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32 */
  message: string;
}

export interface UnknownField {
  segs: Segment[];
  /** strict decoding's path, e.g. spec.ports[0].prots */
  path: string;
  /** for the pre-1.27 client-side message: the parent's path in ValidationError(...) form and its OpenAPI type */
  parentPath: string;
  parentOpenapi: string;
  name: string;
}

export interface DecodeResult {
  typeError: TypeError_ | null;
  unknown: UnknownField[];
}

const jsonKind = (v: unknown): string =>
  typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : 'object';

export function pathText(segs: readonly Segment[]): string {
  let s = '';
  for (const seg of segs) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s;
}

const INT32 = [-2147483648, 2147483647] as const;

export function decode(value: Record<string, unknown>, schema: StructSpec, kind: string): DecodeResult {
  const result: DecodeResult = { typeError: null, unknown: [] };
  // Go's FieldStack: struct field names only (no indices, no map keys); Struct: innermost struct type
  // one mutable path stack, copied only when something is reported
  const segs: Segment[] = [];
  const walk = (v: unknown, t: TypeSpec, fieldStack: string[], structName: string): void => {
    if (v === null || v === undefined) return;
    const fail = (valueDesc: string, goType: string): void => {
      if (result.typeError) return;
      result.typeError = {
        segs: [...segs],
        message: `json: cannot unmarshal ${valueDesc} into Go struct field ${structName}.${fieldStack.join('.')} of type ${goType}`,
      };
    };
    switch (t.t) {
      case 'any':
        return;
      case 'string':
        if (typeof v !== 'string') fail(jsonKind(v), 'string');
        return;
      case 'bool':
        if (typeof v !== 'boolean') fail(jsonKind(v), 'bool');
        return;
      case 'int32':
      case 'int64':
        if (typeof v !== 'number') return fail(jsonKind(v), t.t);
        if (!Number.isInteger(v) || (t.t === 'int32' && (v < INT32[0] || v > INT32[1])) || !Number.isSafeInteger(v))
          fail(`number ${goNumber(v)}`, t.t);
        return;
      case 'intstr':
        if (typeof v === 'string') return;
        if (typeof v !== 'number') return fail(jsonKind(v), 'int32');
        if (!Number.isInteger(v) || v < INT32[0] || v > INT32[1]) fail(`number ${goNumber(v)}`, 'int32');
        return;
      case 'map':
        if (typeof v !== 'object' || Array.isArray(v)) return fail(jsonKind(v), goTypeName(t));
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
          segs.push(k);
          walk(item, t.of, fieldStack, structName);
          segs.pop();
        }
        return;
      case 'list':
        if (!Array.isArray(v)) return fail(jsonKind(v), goTypeName(t));
        v.forEach((item, i) => {
          segs.push(i);
          walk(item, t.of, fieldStack, structName);
          segs.pop();
        });
        return;
      case 'struct': {
        if (typeof v !== 'object' || Array.isArray(v)) return fail(jsonKind(v), t.go);
        const ownName = t.go.slice(t.go.indexOf('.') + 1);
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
          const ft = Object.prototype.hasOwnProperty.call(t.fields, k) ? t.fields[k] : undefined;
          if (!ft) {
            if (t.strict)
              result.unknown.push({
                segs: [...segs, k],
                path: pathText([...segs, k]),
                parentPath: [kind, pathText(segs)].filter(Boolean).join('.'),
                parentOpenapi: t.openapi,
                name: k,
              });
            continue;
          }
          segs.push(k);
          walk(item, ft, [...fieldStack, k], ownName);
          segs.pop();
        }
        return;
      }
    }
  };
  walk(value, schema, [], schema.go.slice(schema.go.indexOf('.') + 1));
  return result;
}

// Go prints the JSON literal as written; JS numbers print close enough for integers and decimals.
function goNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
}
