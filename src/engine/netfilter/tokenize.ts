// Splits a rule line the way iptables-restore does: whitespace separates words, double or single
// quotes group a word (quotes dropped), a backslash escapes the next character inside quotes.

export interface Token {
  text: string;
  /** quoted words are never options, even when they start with "-" */
  quoted: boolean;
}

export interface TokenizeResult {
  tokens: Token[];
  /** set when a quote was never closed; the rest of the line became one word */
  unterminatedQuote: boolean;
}

export function tokenize(line: string): TokenizeResult {
  // fast path: no quotes at all, words are plain slices between blanks
  if (line.indexOf('"') < 0 && line.indexOf("'") < 0) {
    const tokens: Token[] = [];
    let i = 0;
    const n = line.length;
    while (i < n) {
      let c = line.charCodeAt(i);
      while (i < n && (c === 32 || c === 9)) c = line.charCodeAt(++i);
      if (i >= n) break;
      const start = i;
      while (i < n && c !== 32 && c !== 9) c = line.charCodeAt(++i);
      tokens.push({ text: line.slice(start, i), quoted: false });
    }
    return { tokens, unterminatedQuote: false };
  }
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  let unterminatedQuote = false;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    let text = '';
    let quoted = false;
    while (i < n) {
      const ch = line[i];
      if (ch === ' ' || ch === '\t') break;
      if (ch !== '"' && ch !== "'") {
        let j = i + 1;
        while (j < n && line[j] !== ' ' && line[j] !== '\t' && line[j] !== '"' && line[j] !== "'") j++;
        text += line.slice(i, j);
        i = j;
        continue;
      }
      if (ch === '"' || ch === "'") {
        quoted = true;
        const q = ch;
        i++;
        let closed = false;
        while (i < n) {
          const d = line[i];
          if (d !== '\\' && d !== q) {
            let j = i + 1;
            while (j < n && line[j] !== '\\' && line[j] !== q) j++;
            text += line.slice(i, j);
            i = j;
            continue;
          }
          if (d === '\\' && i + 1 < n) {
            text += line[i + 1];
            i += 2;
            continue;
          }
          if (d === q) {
            closed = true;
            i++;
            break;
          }
          text += d;
          i++;
        }
        if (!closed) unterminatedQuote = true;
        continue;
      }
      text += ch;
      i++;
    }
    tokens.push({ text, quoted });
  }
  return { tokens, unterminatedQuote };
}
