// The only component that re-renders on every keystroke: the editor and its findings.
import { useCallback } from 'react';
import type { Diagnostic } from '../../engine/diagnostics.ts';
import { DiagnosticsList } from '../DiagnosticsList.tsx';
import { useWorkspace } from '../StoreContext.tsx';
import { useContractLabel } from '../useT.tsx';
import { YamlEditor } from './YamlEditor.tsx';

const NO_DIAGNOSTICS: Diagnostic[] = [];

export function EditorPanel() {
  const label = useContractLabel();
  const yaml = useWorkspace((s) => s.yaml);
  const revision = useWorkspace((s) => s.yamlRevision);
  const setYaml = useWorkspace((s) => s.setYaml);
  const diagnostics = useWorkspace((s) => s.result?.diagnostics ?? NO_DIAGNOSTICS);
  const dark = useWorkspace((s) => s.theme === 'dark');
  const onChange = useCallback((v: string) => setYaml(v), [setYaml]);
  return (
    <section className="editor-pane">
      <div className="panel-head">
        <h2>{label.node('editor.label')}</h2>
      </div>
      <div className="editor-box">
        <YamlEditor value={yaml} revision={revision} onChange={onChange} diagnostics={diagnostics} label={label.text('editor.label')} dark={dark} />
      </div>
      <DiagnosticsList diagnostics={diagnostics} />
    </section>
  );
}
