// The `Cluster YAML` editor: a plain textarea at once, CodeMirror 6 when its chunk has loaded
// (React.lazy keeps it out of the first load). Both carry the same accessible name.
import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { Diagnostic } from '../../engine/diagnostics.ts';

export interface EditorProps {
  value: string;
  /** bumps when the text is replaced from outside (scenario, link) */
  revision: number;
  onChange(value: string): void;
  diagnostics: Diagnostic[];
  label: string;
  dark: boolean;
}

const CodeMirrorEditor = lazy(() => import('./CodeMirrorEditor.tsx'));

export function PlainEditor({ value, onChange, label, diagnostics }: EditorProps) {
  return (
    <textarea
      className="plain-editor"
      aria-label={label}
      aria-invalid={diagnostics.some((d) => d.severity === 'error')}
      spellCheck={false}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

// If the editor chunk fails to load (offline, blocked), keep the textarea instead of a blank pane.
class FallbackOnError extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export function YamlEditor(props: EditorProps) {
  const plain = <PlainEditor {...props} />;
  return (
    <FallbackOnError fallback={plain}>
      <Suspense fallback={plain}>
        <CodeMirrorEditor {...props} />
      </Suspense>
    </FallbackOnError>
  );
}
