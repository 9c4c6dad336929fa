// Limits checked before the YAML parser sees the text: the API server's request size, characters
// go-yaml refuses, and flow nesting deep enough to exhaust the parser (it can abort the process,
// not just throw, so it must be refused up front).
import type { Diagnostic } from '../diagnostics.ts';

/** kube-apiserver's request body limit (3 MiB) */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
export const MAX_FLOW_DEPTH = 1000;
/**
 * Lines plus commas. Real YAML averages well over 10 bytes a line, so a 3 MiB manifest stays far
 * below this; text made of millions of one-character items would keep the YAML parser busy for
 * tens of seconds, so it is refused up front.
 */
export const MAX_ITEMS = 200_000;

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const at = (text: string, index: number): { line: number; col: number } => {
  let line = 1;
  let last = -1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) {
    line++;
    last = i;
  }
  return { line, col: index - last };
};

export function checkInput(text: unknown): Diagnostic | null {
  if (typeof text !== 'string')
    return { code: 'not-text', severity: 'error', message: 'The input is not text.', line: 0, col: 0, key: 'manifest.notText' };
  if (text.length > MAX_REQUEST_BYTES || utf8Length(text) > MAX_REQUEST_BYTES)
    return {
      code: 'too-large',
      severity: 'error',
      message: `Request entity too large: limit is ${MAX_REQUEST_BYTES}`,
      line: 1,
      col: 1,
      key: 'manifest.tooLarge',
      params: { limit: MAX_REQUEST_BYTES, bytes: utf8Length(text) },
    };
  const ctrl = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(text);
  if (ctrl)
    return {
      code: 'yaml-syntax',
      severity: 'error',
      message: 'error converting YAML to JSON: yaml: control characters are not allowed',
      ...at(text, ctrl.index),
      key: 'manifest.controlCharacters',
    };
  let items = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 10 || c === 44) && ++items > MAX_ITEMS)
      return {
        code: 'too-many-items',
        severity: 'error',
        message: `The input has more than ${MAX_ITEMS.toLocaleString('en-US')} lines and list items; svcpath refuses to read it (a real 3 MiB manifest has far fewer).`,
        ...at(text, i),
        key: 'manifest.tooManyItems',
        params: { limit: MAX_ITEMS },
      };
  }
  const deep = flowDepthExceeded(text, MAX_FLOW_DEPTH);
  if (deep >= 0)
    return {
      code: 'too-deep',
      severity: 'error',
      message: `The input nests [ ] or { } more than ${MAX_FLOW_DEPTH} levels deep; svcpath refuses to read it.`,
      ...at(text, deep),
      key: 'manifest.tooDeep',
      params: { limit: MAX_FLOW_DEPTH },
    };
  return null;
}

/** Index of the bracket that goes past `limit`, or -1. Quoted text and comments are skipped roughly. */
function flowDepthExceeded(text: string, limit: number): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\n') quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
    } else if (c === '[' || c === '{') {
      if (++depth > limit) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return -1;
}
