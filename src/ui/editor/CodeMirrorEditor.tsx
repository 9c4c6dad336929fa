// CodeMirror 6, assembled from its parts (no basicSetup) to keep the lazy chunk small.
import { useEffect, useRef } from 'react';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { defaultHighlightStyle, HighlightStyle, indentOnInput, syntaxHighlighting, bracketMatching } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import type { EditorProps } from './YamlEditor.tsx';
import { toLintRanges } from './lintMapping.ts';

const darkTheme = EditorView.theme(
  {
    '&': { backgroundColor: 'var(--panel)', color: 'var(--text)' },
    '.cm-gutters': { backgroundColor: 'var(--panel-2)', color: 'var(--muted)', border: 'none' },
    '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'rgba(255,255,255,0.05)' },
    '.cm-cursor': { borderLeftColor: 'var(--text)' },
  },
  { dark: true },
);
// defaultHighlightStyle's dark blues vanish on a dark panel; these follow the page's dark palette.
const darkHighlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: '#79c0ff' },
  { tag: [tags.string, tags.special(tags.string)], color: '#a5d6ff' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: '#ffa657' },
  { tag: [tags.keyword, tags.typeName, tags.labelName], color: '#ff7b72' },
  { tag: tags.comment, color: '#8b949e', fontStyle: 'italic' },
  { tag: [tags.punctuation, tags.separator, tags.meta], color: '#9aa7b8' },
]);

const lightTheme = EditorView.theme({
  '&': { backgroundColor: 'var(--panel)', color: 'var(--text)' },
  '.cm-gutters': { backgroundColor: 'var(--panel-2)', color: 'var(--muted)', border: 'none' },
});

export default function CodeMirrorEditor({ value, onChange, diagnostics, label, dark }: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const attrs = useRef(new Compartment());
  const theme = useRef(new Compartment());

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          history(),
          indentOnInput(),
          bracketMatching(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          yaml(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          lintGutter(),
          attrs.current.of(EditorView.contentAttributes.of({ tabindex: '0', 'aria-label': label })),
          theme.current.of(dark ? [darkTheme, syntaxHighlighting(darkHighlight)] : lightTheme),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // the view is created once; later prop changes are dispatched below
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const cur = v.state.doc.toString();
    if (cur !== value) v.dispatch({ changes: { from: 0, to: cur.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: attrs.current.reconfigure(EditorView.contentAttributes.of({ tabindex: '0', 'aria-label': label })) });
  }, [label]);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(dark ? [darkTheme, syntaxHighlighting(darkHighlight)] : lightTheme) });
  }, [dark]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch(setDiagnostics(v.state, toLintRanges(v.state.doc, diagnostics)));
  }, [diagnostics]);

  return <div className="cm-host" ref={host} data-editor="codemirror" />;
}
