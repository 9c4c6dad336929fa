// parseManifests: YAML/JSON text -> typed, defaulted, validated objects with source positions,
// in the API server's phase order: decode, default, the Service create hook, validate.
import { pushAll } from './arrays.ts';
import { Composer, LineCounter, Parser, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import { checkInput, MAX_REQUEST_BYTES } from './input-limits.ts';
import { detectForeignPaste, detectHelm, stripFences } from './hints.ts';
import { parseClusterOptions } from './options.ts';
import { buildTree, TreeError, type Pos, type Segment, type Tree } from './yaml-tree.ts';
import { processObject, type ObjectContext } from './process-object.ts';
import { makeHas, makePositionOf } from './positions.ts';
import type { ManifestObject, ManifestResult, ParseOptions } from './types.ts';

export { MAX_REQUEST_BYTES };

export function parseManifests(text: string, opts: ParseOptions = {}): ManifestResult {
  try {
    return parseUnguarded(text, opts);
  } catch (e) {
    // hostile input must never take the caller down: report, do not rethrow
    const tooDeep = e instanceof RangeError;
    return {
      objects: [],
      diagnostics: [
        {
          code: tooDeep ? 'too-deep' : 'internal-error',
          severity: 'error',
          message: tooDeep
            ? 'The input is nested too deeply to read (stack exhausted).'
            : `svcpath could not read this input: ${e instanceof Error ? e.message : String(e)}`,
          line: 0,
          col: 0,
          key: tooDeep ? 'manifest.tooDeep' : 'manifest.internalError',
        },
      ],
    };
  }
}

function parseUnguarded(input: string, opts: ParseOptions): ManifestResult {
  const diagnostics: Diagnostic[] = [];
  const objects: ManifestObject[] = [];
  const limit = checkInput(input);
  if (limit) return { objects, diagnostics: [limit] };
  const cluster = parseClusterOptions(opts, diagnostics);

  let text = input;
  const fenced = stripFences(text);
  if (fenced) {
    text = fenced.text;
    diagnostics.push(fenced.note);
  }
  const stop = detectHelm(text) ?? detectForeignPaste(text);
  if (stop) return { objects, diagnostics: [...diagnostics, stop] };

  const lc = new LineCounter();
  // Documents are composed and handled one at a time, so a large stream never holds every tree at once.
  const composer = new Composer({ version: '1.1', uniqueKeys: false, merge: true, prettyErrors: false });
  const docs = composer.compose(new Parser(lc.addNewLine).parse(text)) as Generator<Document>;
  const pos = (offset: number): Pos => lc.linePos(offset);
  const seen = new Map<string, Pos>();
  const ctx: ObjectContext = { cluster, fileName: opts.fileName ?? 'STDIN', diagnostics, objects, seen };

  let docIndex = -1;
  for (const doc of docs) {
    docIndex++;
    handleDocument(doc, docIndex);
  }
  return { objects, diagnostics };

  function handleDocument(doc: Document, docIndex: number): void {
    if (doc.errors.length) {
      for (const err of doc.errors) diagnostics.push(yamlErrorDiagnostic(err.code, err.message, pos(err.pos[0])));
      return;
    }
    if (doc.contents === null) return; // comments only, or an empty document between `---`
    let tree: Tree;
    try {
      tree = buildTree(doc, lc);
    } catch (e) {
      if (!(e instanceof TreeError)) throw e;
      diagnostics.push({ code: e.code, severity: 'error', message: e.message, line: e.pos.line, col: e.pos.col, key: e.key });
      return;
    }
    pushAll(diagnostics, tree.diagnostics);
    if (tree.value === null) return; // `---` followed by nothing but comments
    const start = pos(doc.contents.range?.[0] ?? 0);
    const positionOf = makePositionOf(tree.positions, [], start);
    const v = tree.value;
    if (v && typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>).kind === 'List' && Array.isArray((v as Record<string, unknown>).items)) {
      ((v as Record<string, unknown>).items as unknown[]).forEach((item, i) => {
        const prefix: Segment[] = ['items', i];
        const itemStart = positionOf(`items[${i}]`);
        processObject(item, docIndex, itemStart, { positionOf: makePositionOf(tree.positions, prefix, itemStart), has: makeHas(tree.positions, prefix) }, ctx);
      });
      return;
    }
    processObject(v, docIndex, start, { positionOf, has: makeHas(tree.positions, []) }, ctx);
  }
}

// go-yaml's words for the problems both parsers agree on; anything else keeps the yaml package's own words.
const GO_YAML_TEXT: Record<string, string> = {
  TAB_AS_INDENT: 'found character that cannot start any token',
};

function yamlErrorDiagnostic(code: string, message: string, p: Pos): Diagnostic {
  if (code === 'RESOURCE_EXHAUSTION')
    return { code: 'too-deep', severity: 'error', message: 'The input is nested too deeply to read (stack exhausted).', line: p.line, col: p.col, key: 'manifest.tooDeep' };
  const own = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?\s*$/, '');
  const go = GO_YAML_TEXT[code];
  return {
    code: 'yaml-syntax',
    severity: 'error',
    message: go ? `error converting YAML to JSON: yaml: line ${p.line}: ${go}` : `YAML syntax error: ${own}`,
    line: p.line,
    col: p.col,
    key: 'manifest.yamlSyntax',
    params: { parserCode: code, detail: own },
  };
}
