// ValidateObjectMeta and the label / annotation / selector rules shared by every kind.
import { matchesSelector } from '../k8s/selector.ts';
import type { LabelSelector } from '../k8s/types.ts';
import { pushAll } from './arrays.ts';
import { forbidden, invalid, required, str, tooLong, type FieldError } from './field-error.ts';
import { isQualifiedName, isValidLabelValue, isDNS1123Label, nameMessages, type NameRule } from './names.ts';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asStr = (v: unknown): string => (typeof v === 'string' ? v : '');
export const asNum = (v: unknown): number => (typeof v === 'number' ? v : 0);
/** String entries of a user map; a null prototype keeps "__proto__" an ordinary key. */
export const strMapOf = (v: unknown): Record<string, string> => {
  const out = Object.create(null) as Record<string, string>;
  if (isObj(v))
    for (const [k, x] of Object.entries(v))
      if (typeof x === 'string') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  return out;
};

/** Map keys appear in kubectl paths in brackets; `at` points at the entry itself. */
const keyAt = (path: string, k: string): string => `${path}[${k}]`;

export function validateLabels(m: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(strMapOf(m))) {
    for (const msg of isQualifiedName(k)) errs.push({ ...invalid(path, str(k), msg), at: keyAt(path, k) });
    for (const msg of isValidLabelValue(v)) errs.push({ ...invalid(path, str(v), msg), at: keyAt(path, k) });
  }
  return errs;
}

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateAnnotations(m: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const enc = new TextEncoder();
  for (const [k, v] of Object.entries(strMapOf(m))) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push({ ...invalid(path, str(k), msg), at: keyAt(path, k) });
    total += enc.encode(k).length + enc.encode(v).length;
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

// Prefix names (generateName) may end in '-': the API server masks the trailing dash before checking.
const maskTrailingDash = (s: string): string => (s.length > 1 && s.endsWith('-') ? s.slice(0, -2) + 'a' : s);

export function validateObjectMeta(metaV: unknown, namespaced: boolean, rule: NameRule): FieldError[] {
  const meta = asObj(metaV);
  const errs: FieldError[] = [];
  const generateName = asStr(meta.generateName);
  const name = asStr(meta.name);
  if (generateName) for (const msg of nameMessages(rule, maskTrailingDash(generateName))) errs.push(invalid('metadata.generateName', str(generateName), msg));
  if (!name) {
    // on create the server has already generated a name from generateName
    if (!generateName) errs.push(required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of nameMessages(rule, name)) errs.push(invalid('metadata.name', str(name), msg));
  }
  const ns = asStr(meta.namespace);
  if (namespaced) {
    if (ns) for (const msg of isDNS1123Label(ns)) errs.push(invalid('metadata.namespace', str(ns), msg));
  } else if (ns) {
    errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  pushAll(errs, validateLabels(meta.labels, 'metadata.labels'));
  pushAll(errs, validateAnnotations(meta.annotations, 'metadata.annotations'));
  return errs;
}

/** metav1 validation.ValidateLabelSelector (strict label values, as Deployments use it). */
export function validateLabelSelector(selV: unknown, path: string): FieldError[] {
  const sel = asObj(selV);
  const errs: FieldError[] = validateLabels(sel.matchLabels, `${path}.matchLabels`);
  asList(sel.matchExpressions).forEach((exprV, i) => {
    const expr = asObj(exprV);
    const p = `${path}.matchExpressions[${i}]`;
    const op = asStr(expr.operator);
    const values = asList(expr.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(`${p}.operator`, str(op), 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(asStr(expr.key))) errs.push(invalid(`${p}.key`, str(asStr(expr.key)), msg));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(asStr(v))) errs.push(invalid(`${p}.values[${j}]`, str(asStr(v)), msg));
    });
  });
  return errs;
}

/** Does a LabelSelector (still untyped here) match these labels? A missing selector matches nothing. */
export function selectorMatches(selV: unknown, labels: Record<string, string>): boolean {
  if (!isObj(selV)) return false;
  const sel: LabelSelector = {
    matchLabels: strMapOf(selV.matchLabels),
    matchExpressions: asList(selV.matchExpressions).map((exprV) => {
      const e = asObj(exprV);
      return { key: asStr(e.key), operator: asStr(e.operator) as 'In', values: asList(e.values).map(asStr) };
    }),
  };
  return matchesSelector(sel, labels);
}
