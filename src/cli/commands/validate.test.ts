// `svcpath validate` through a fake io: output lines, exit status, options.
import { describe, expect, it } from 'vitest';
import { run } from './validate.ts';
import { fakeIo } from '../fake-io.ts';

const GOOD = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n';
const BAD = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n  - port: 0\n    targetPort: 80\n';

describe('svcpath validate', () => {
  it('exits 0 and prints nothing for valid manifests', async () => {
    const io = fakeIo({ 'svc.yaml': GOOD });
    expect(await run(['svc.yaml'], io)).toBe(0);
    expect(io.out.join('')).toBe('');
  });
  it('prints LINE:COL severity code message and exits 1 on errors', async () => {
    const io = fakeIo({ 'svc.yaml': BAD });
    expect(await run(['svc.yaml'], io)).toBe(1);
    expect(io.out.join('')).toBe('6:5 error invalid-value The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n');
  });
  it('exits 0 when there are only warnings and notes', async () => {
    const io = fakeIo({ 'svc.yaml': GOOD + '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' });
    expect(await run(['svc.yaml'], io)).toBe(0);
    expect(io.out.join('')).toBe('7:1 info ignored-kind ConfigMap "c" is accepted but not simulated: svcpath only models what kube-proxy reads.\n');
  });
  it('reads standard input for "-" and names it STDIN as kubectl does', async () => {
    const io = fakeIo({}, 'apiVersion: apps/v1\nkind: Service\nmetadata: {name: web}\n');
    expect(await run(['-'], io)).toBe(1);
    expect(io.out.join('')).toBe(
      '1:1 error unknown-kind error: resource mapping not found for name: "web" namespace: "" from "STDIN": no matches for kind "Service" in version "apps/v1"\n  ensure CRDs are installed first\n',
    );
  });
  it('passes the version and ranges through', async () => {
    const tk = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  topologyKeys: ["*"]\n  ports: [{port: 80}]\n';
    expect(await run(['--kubernetes-version', '1.20', 'tk.yaml'], fakeIo({ 'tk.yaml': tk }))).toBe(0);
    expect(await run(['tk.yaml'], fakeIo({ 'tk.yaml': tk }))).toBe(1);
    const np = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 80}]\n';
    const io = fakeIo({ 'np.yaml': np });
    expect(await run(['--service-node-port-range=30000-32767', 'np.yaml'], io)).toBe(1);
    expect(io.out.join('')).toContain('provided port is not in the valid range. The range of valid ports is 30000-32767');
  });
  it('usage errors exit 2', async () => {
    const cases: string[][] = [[], ['a.yaml', 'b.yaml'], ['--bogus', 'a.yaml'], ['--kubernetes-version']];
    for (const args of cases) {
      const io = fakeIo({ 'a.yaml': GOOD, 'b.yaml': GOOD });
      expect(await run(args, io), args.join(' ')).toBe(2);
      expect(io.err.join('')).toMatch(/^svcpath validate: .*\nusage: svcpath validate/);
    }
  });
  it('an unreadable file is reported, not thrown', async () => {
    const io = fakeIo({});
    expect(await run(['missing.yaml'], io)).toBe(2);
    expect(io.err.join('')).toContain('cannot read missing.yaml: ENOENT');
  });
});
