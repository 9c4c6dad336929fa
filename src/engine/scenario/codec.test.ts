import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import {
  DEFAULT_SHARE_STATE,
  MAX_INFLATED_BYTES,
  bytesToBase64Url,
  decodeShare,
  encodeShare,
  inflateCapped,
  migrateAndValidate,
  payloadFromHash,
  type ShareState,
} from './codec.ts';

const pack = (obj: unknown): string => bytesToBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(obj))));

const sample: ShareState = {
  ...DEFAULT_SHARE_STATE,
  yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-basic # 服务发现\n',
  mode: 'ipvs',
  node: 'k8s-node-01',
  src: '10.244.154.195',
  dst: '10.102.249.128:80',
  proto: 'udp',
  cursor: 7,
  lang: 'zh-CN',
  scenario: 'nginx-clusterip',
  output: 'restore',
  readiness: { 'default/nginx-deployment-8f458dc5b-xpf7n': 'terminating' },
};

describe('share link codec', () => {
  it('round-trips a full state, CJK included', () => {
    const payload = encodeShare(sample);
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    const r = decodeShare(payload);
    expect(r).toEqual({ ok: true, state: sample });
  });

  it('is raw deflate of UTF-8 JSON with a version field, as CONTRACTS.md says', () => {
    const payload = encodeShare(sample);
    const bytes = inflateCapped(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (payload.length % 4)) % 4)), (c) => c.charCodeAt(0)));
    const json = JSON.parse(new TextDecoder().decode(bytes));
    expect(json.v).toBe(1);
    expect(json.yaml).toBe(sample.yaml);
  });

  it('round-trips arbitrary strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), fc.string({ maxLength: 40 }), fc.nat(5000), (yaml, node, cursor) => {
        const st = { ...DEFAULT_SHARE_STATE, yaml, node, cursor };
        const r = decodeShare(encodeShare(st));
        expect(r.ok && r.state).toEqual(st);
      }),
      { numRuns: 40 },
    );
  });

  it('compresses repetitive YAML below its JSON size', () => {
    const yaml = sample.yaml.repeat(50);
    expect(encodeShare({ ...sample, yaml }).length).toBeLessThan(yaml.length / 4);
  });

  it('finds the payload in a hash', () => {
    expect(payloadFromHash('#s=abc')).toBe('abc');
    expect(payloadFromHash('#x=1&s=abc')).toBe('abc');
    expect(payloadFromHash('#nothing')).toBeNull();
    expect(payloadFromHash('')).toBeNull();
  });
});

describe('hostile and damaged links', () => {
  const codeOf = (payload: string) => {
    const r = decodeShare(payload);
    return r.ok ? 'ok' : r.error.code;
  };

  it('refuses a deflate bomb before inflating it all', () => {
    const bomb = deflateSync(new Uint8Array(MAX_INFLATED_BYTES * 4).fill(0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const r = decodeShare(bytesToBase64Url(bomb));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('share.tooLarge');
      expect(r.error.message).toMatch(/4 MiB/);
    }
  });

  it('gives each kind of damage its own code', () => {
    expect(codeOf('')).toBe('share.empty');
    expect(codeOf('not base64!')).toBe('share.notBase64');
    expect(codeOf('AAAA')).toBe('share.notDeflate');
    expect(codeOf(bytesToBase64Url(deflateSync(new Uint8Array([0xff, 0xfe, 0x80]))))).toBe('share.notUtf8');
    expect(codeOf(bytesToBase64Url(deflateSync(new TextEncoder().encode('{not json'))))).toBe('share.notJson');
    expect(codeOf(pack([1, 2]))).toBe('share.notObject');
    expect(codeOf(pack({ yaml: 'x' }))).toBe('share.badVersion');
    expect(codeOf(pack({ v: 99 }))).toBe('share.futureVersion');
    expect(codeOf(pack({ v: 1, mode: 'userspace' }))).toBe('share.badField');
    expect(codeOf(pack({ v: 1, cursor: -1 }))).toBe('share.badField');
    expect(codeOf(pack({ v: 1, yaml: 42 }))).toBe('share.badField');
    expect(codeOf(pack({ v: 1, readiness: { 'default/a': 'dead' } }))).toBe('share.badField');
    expect(codeOf(pack({ v: 1, readiness: ['default/a'] }))).toBe('share.badField');
  });

  it('refuses a truncated payload', () => {
    const p = encodeShare({ ...sample, yaml: 'x: 1\n'.repeat(500) + 'end' });
    expect(codeOf(p.slice(0, Math.floor(p.length / 2)))).not.toBe('ok');
  });

  it('never throws on random payloads (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = decodeShare(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const r = decodeShare(bytesToBase64Url(b));
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('drops unknown and prototype keys instead of copying them', () => {
    expect(migrateAndValidate(JSON.parse('{"v":1,"readiness":{"__proto__":"ready"}}')).ok).toBe(false);
    const r = migrateAndValidate(JSON.parse('{"v":1,"__proto__":{"polluted":true},"constructor":1,"yaml":"a"}'));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.keys(r.state).sort()).toEqual(Object.keys(DEFAULT_SHARE_STATE).sort());
      expect((r.state as unknown as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('migrates a version-0 link (YAML under "text", no mode)', () => {
    const r = decodeShare(pack({ v: 0, text: 'kind: Service\n' }));
    expect(r).toEqual({ ok: true, state: { ...DEFAULT_SHARE_STATE, yaml: 'kind: Service\n' }, migratedFrom: 0 });
  });
});
