import { describe, expect, it, vi } from 'vitest';
import { deflateSync } from 'fflate';
import { bytesToBase64Url, decodeShare, payloadFromHash } from '../engine/scenario/codec.ts';
import { AUTOSAVE_KEY, readInitial, shareUrl, startSync, type StorageLike } from './persistence.ts';
import { createWorkspaceStore, initialFields } from './workspace.ts';

class MemStorage implements StorageLike {
  map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
}

const bomb = () => bytesToBase64Url(deflateSync(new Uint8Array(20 * 1024 * 1024).fill(65), { level: 9 }));

describe('readInitial', () => {
  it('starts from defaults without link or autosave', () => {
    expect(readInitial('', new MemStorage())).toEqual({ fields: {}, notice: null });
  });

  it('restores a share link exactly', () => {
    const f = { ...initialFields(), yaml: 'kind: Service # 中文\n', mode: 'ipvs' as const, node: 'k8s-node-01', cursor: 3, lang: 'zh-CN' as const };
    const url = shareUrl('https://x.test/app/#old', f);
    expect(url.startsWith('https://x.test/app/#s=')).toBe(true);
    const init = readInitial(new URL(url).hash, null);
    expect(init.notice).toEqual({ key: 'share.restored', tone: 'info' });
    const { theme: _t, ...expected } = f;
    expect(init.fields).toEqual(expected);
  });

  it('refuses a hostile link with its reason and keeps the autosaved workspace', () => {
    const storage = new MemStorage();
    storage.setItem(AUTOSAVE_KEY, JSON.stringify({ v: 1, yaml: 'saved: yes\n', theme: 'dark' }));
    const init = readInitial(`#s=${bomb()}`, storage);
    expect(init.notice).toMatchObject({ key: 'share.refused', tone: 'error', reasonKey: 'share.tooLarge' });
    expect(init.fields).toMatchObject({ yaml: 'saved: yes\n', theme: 'dark' });
  });

  it('ignores a corrupt autosave instead of crashing', () => {
    const storage = new MemStorage();
    storage.setItem(AUTOSAVE_KEY, '{"v":1,"mode":"userspace"');
    expect(readInitial('', storage)).toEqual({ fields: {}, notice: null });
    storage.setItem(AUTOSAVE_KEY, JSON.stringify({ v: 1, mode: 'userspace' }));
    expect(readInitial('', storage)).toEqual({ fields: {}, notice: null });
  });

  it('restores a valid autosave with a notice', () => {
    const storage = new MemStorage();
    storage.setItem(AUTOSAVE_KEY, JSON.stringify({ v: 1, yaml: 'a: 1\n', node: 'k8s-master' }));
    const init = readInitial('', storage);
    expect(init.notice).toEqual({ key: 'autosave.restored', tone: 'info' });
    expect(init.fields).toMatchObject({ yaml: 'a: 1\n', node: 'k8s-master' });
  });
});

describe('startSync', () => {
  it('writes the hash with replaceState and autosaves, debounced', () => {
    vi.useFakeTimers();
    try {
      const store = createWorkspaceStore();
      const storage = new MemStorage();
      const urls: string[] = [];
      const stop = startSync(store, { storage, history: { replaceState: (_d, _u, url) => urls.push(String(url)) }, location: { href: 'http://h/#s=bad' } }, 300);
      expect(urls).toHaveLength(1); // the initial flush replaces whatever hash the page opened with
      store.getState().setYaml('a: 1\n');
      store.getState().setYaml('a: 12\n');
      store.getState().setMode('nftables');
      expect(urls).toHaveLength(1);
      vi.advanceTimersByTime(350);
      expect(urls).toHaveLength(2);
      const r = decodeShare(payloadFromHash(new URL(urls[1]!).hash)!);
      expect(r.ok && r.state).toMatchObject({ yaml: 'a: 12\n', mode: 'nftables' });
      expect(JSON.parse(storage.getItem(AUTOSAVE_KEY)!)).toMatchObject({ v: 1, yaml: 'a: 12\n', mode: 'nftables', theme: 'light' });
      stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not autosave YAML over the size cap, and says so', () => {
    vi.useFakeTimers();
    try {
      const store = createWorkspaceStore();
      const storage = new MemStorage();
      startSync(store, { storage, history: null, location: { href: 'http://h/' } }, 10);
      const before = storage.getItem(AUTOSAVE_KEY);
      store.getState().setYaml('x'.repeat(3 * 1024 * 1024 + 1));
      vi.advanceTimersByTime(20);
      expect(storage.getItem(AUTOSAVE_KEY)).toBe(before);
      expect(store.getState().notice?.key).toBe('autosave.tooLarge');
      expect(readInitial('', storage).fields.yaml).toBe(initialFields().yaml);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a full storage instead of throwing', () => {
    const store = createWorkspaceStore();
    const storage: StorageLike = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    startSync(store, { storage, history: null, location: { href: 'http://h/' } }, 10);
    expect(store.getState().notice).toMatchObject({ key: 'autosave.failed', params: { message: 'QuotaExceededError' } });
  });
});

describe('startSync with an off-thread encoder', () => {
  it('writes the hash when the encoding arrives, and drops one overtaken by a newer edit', async () => {
    vi.useFakeTimers();
    try {
      const store = createWorkspaceStore();
      const urls: string[] = [];
      const pending: ((p: string) => void)[] = [];
      const encode = (s: { yaml: string }) => new Promise<string>((res) => pending.push(() => res(`P-${s.yaml.length}`)));
      startSync(store, { storage: null, history: { replaceState: (_d, _u, url) => urls.push(String(url)) }, location: { href: 'http://h/' }, encode }, 10);
      store.getState().setYaml('a');
      vi.advanceTimersByTime(20);
      store.getState().setYaml('abc');
      vi.advanceTimersByTime(20);
      expect(pending).toHaveLength(3);
      pending[1]!(''); // the encoding of 'a' arrives after 'abc' was flushed: ignored
      pending[2]!('');
      await vi.runAllTimersAsync();
      expect(urls).toEqual(['http://h/#s=P-3']);
    } finally {
      vi.useRealTimers();
    }
  });
});
