// The API server's field errors (apimachinery util/validation/field) and how kubectl prints them.
// The wording is kubectl's, byte for byte: users paste it into search engines.

export type FieldErrorType =
  | 'Required value'
  | 'Invalid value'
  | 'Unsupported value'
  | 'Duplicate value'
  | 'Forbidden'
  | 'Too long'
  | 'Too many'
  | 'Not found'
  | 'Internal error';

/** A value as Go would hold it: `go` marks composite values rendered with %#v before 1.34. */
export type BadValue =
  | { kind: 'string'; v: string }
  | { kind: 'number'; v: number }
  | { kind: 'bool'; v: boolean }
  | { kind: 'null' }
  /** composite value: JSON text (1.34+) and Go %#v text (before 1.34) */
  | { kind: 'composite'; json: string; go: string };

export interface FieldError {
  type: FieldErrorType;
  /** kubectl's field path, e.g. spec.ports[0].port */
  field: string;
  value?: BadValue;
  detail?: string;
  /** where to point in the user's text (a path for positionOf); defaults to `field` */
  at?: string;
}

export const str = (v: string): BadValue => ({ kind: 'string', v });
export const num = (v: number): BadValue => ({ kind: 'number', v });

/** `[]string{"a", "b"}` before 1.34, `["a","b"]` from 1.34 (kubernetes#132314). */
export function strList(list: string[]): BadValue {
  return {
    kind: 'composite',
    json: JSON.stringify(list),
    go: `[]string{${list.map(goQuote).join(', ')}}`,
  };
}

/** `map[string]string{"a":"b"}` before 1.34, `{"a":"b"}` from 1.34; Go sorts map keys. */
export function strMap(m: Record<string, string>): BadValue {
  const keys = Object.keys(m).sort();
  const json = '{' + keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`).join(',') + '}';
  const go = 'map[string]string{' + keys.map((k) => `${goQuote(k)}:${goQuote(m[k]!)}`).join(', ') + '}';
  return { kind: 'composite', json, go };
}

export function required(field: string, detail = ''): FieldError {
  return { type: 'Required value', field, detail };
}
export function invalid(field: string, value: BadValue, detail: string): FieldError {
  return { type: 'Invalid value', field, value, detail };
}
export function notSupported(field: string, value: BadValue, supported: string[]): FieldError {
  const detail = supported.length ? 'supported values: ' + supported.map(goQuote).join(', ') : '';
  return { type: 'Unsupported value', field, value, detail };
}
export function duplicate(field: string, value: BadValue): FieldError {
  return { type: 'Duplicate value', field, value };
}
export function forbidden(field: string, detail: string): FieldError {
  return { type: 'Forbidden', field, detail };
}
export function tooMany(field: string, actual: number, max: number): FieldError {
  return { type: 'Too many', field, value: num(actual), detail: `must have at most ${max} items` };
}
export function tooLong(field: string, maxBytes: number): FieldError {
  return { type: 'Too long', field, detail: `must have at most ${maxBytes} bytes` };
}

/** Go's strconv.Quote for the characters that matter here (ASCII escapes, \u for controls). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

function renderValue(v: BadValue, jsonValues: boolean): string {
  switch (v.kind) {
    case 'string':
      return goQuote(v.v);
    case 'number':
      return String(v.v);
    case 'bool':
      return String(v.v);
    case 'null':
      return 'null';
    case 'composite':
      return jsonValues ? v.json : v.go;
  }
}

/** The body after the field path, as field.Error.ErrorBody() prints it. */
export function errorBody(e: FieldError, jsonValues = true): string {
  let s: string = e.type;
  const noValue = e.type === 'Required value' || e.type === 'Forbidden' || e.type === 'Too long' || e.type === 'Internal error';
  if (!noValue && e.value) s += ': ' + renderValue(e.value, jsonValues);
  if (e.detail) s += ': ' + e.detail;
  return s;
}

export function fieldErrorText(e: FieldError, jsonValues = true): string {
  return `${e.field}: ${errorBody(e, jsonValues)}`;
}

/**
 * kubectl's rendering of a 422: one cause on one line, several as `* ` lines after
 * "is invalid: " (with its trailing space). Duplicate causes are dropped, as ToAggregate does.
 */
export function kubectlInvalidMessage(kind: string, name: string, errors: FieldError[], jsonValues = true): string {
  const texts = [...new Set(errors.map((e) => fieldErrorText(e, jsonValues)))];
  const head = `The ${kind} ${goQuote(name)} is invalid: `;
  if (texts.length === 1) return head + texts[0];
  return head + '\n' + texts.map((t) => `* ${t}`).join('\n');
}

/** Composite values switched from Go syntax to JSON in 1.34. */
export function usesJsonValues(kubernetesVersion: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(kubernetesVersion);
  if (!m) return true;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 1 || minor >= 34;
}
