// `svcpath explain` through a fake io: text and JSON output, exit codes.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './explain.ts';
import { fakeIo } from '../fake-io.ts';

const fixtures = join(new URL('.', import.meta.url).pathname, '../../engine/netfilter/fixtures');
const SEED = readFileSync(join(fixtures, 'save-counters.save'), 'utf8');

describe('svcpath explain', () => {
  it('prints the contract JSON', async () => {
    const io = fakeIo({ 'dump.txt': SEED });
    expect(await run(['dump.txt', '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.format).toBe('iptables-save');
    expect(j.services).toHaveLength(1);
    expect(j.services[0]).toMatchObject({ name: 'web/front:http', protocol: 'tcp', clusterIP: '10.43.18.200', port: 80, nodePorts: [], externalIPs: [], loadBalancerIPs: [], noEndpoints: false });
    expect(j.services[0].endpoints.map((e: { address: string; probability: number }) => [e.address, e.probability])).toEqual([
      ['10.42.0.8:80', 0.3333333333], ['10.42.1.4:80', 0.3333333333], ['10.42.2.6:80', 0.3333333333],
    ]);
    expect(j.diagnostics.every((d: { code: string; severity: string; line: number; message: string }) => typeof d.code === 'string' && typeof d.line === 'number')).toBe(true);
  });

  it('prints a readable text report, with notes in Chinese on request, from standard input', async () => {
    const io = fakeIo({}, SEED);
    expect(await run(['-', '--notes', '--lang', 'zh'], io)).toBe(0);
    const text = io.out.join('');
    expect(text).toContain('Service web/front:http  tcp  10.43.18.200:80');
    expect(text).toMatch(/10\.42\.0\.8:80\s+33\.33%\s+line 31, rule says 0\.33333333349/);
    expect(text).toContain('占全部的 33.3%');
  });

  it('exits 1 on an unreadable file and 2 on usage errors', async () => {
    const io = fakeIo({});
    expect(await run(['missing.txt'], io)).toBe(1);
    expect(io.err.join('')).toContain('cannot read missing.txt');
    expect(await run([], fakeIo({}))).toBe(2);
    expect(await run(['a', '--format', 'yaml'], fakeIo({ a: '' }))).toBe(2);
    expect(await run(['a', '--bogus'], fakeIo({ a: '' }))).toBe(2);
  });

  it('explains an empty or foreign text without failing', async () => {
    const io = fakeIo({ 'x.txt': 'hello\nworld\n' });
    expect(await run(['x.txt', '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.out.join(''));
    expect(j.format).toBe('unknown');
    expect(j.services).toEqual([]);
    expect(j.diagnostics.filter((d: { code: string }) => d.code === 'unrecognized-line').map((d: { line: number }) => d.line)).toEqual([1, 2]);
  });
});
