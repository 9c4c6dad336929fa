// Where the workspace lives between visits: the URL fragment (a share link, CONTRACTS.md) and
// localStorage (autosave). Both are read through the same validating codec, so a damaged entry
// is refused with a message and never crashes the page or poisons the next load.

import {
  MAX_YAML_CHARS,
  SHARE_VERSION,
  decodeShare,
  encodeShare,
  migrateAndValidate,
  payloadFromHash,
  type ShareState,
} from '../engine/scenario/codec.ts';
import { isMessageKey } from '../i18n/index.ts';
import { pickFields, type Notice, type Theme, type WorkspaceFields, type WorkspaceStore } from './workspace.ts';

export const AUTOSAVE_KEY = 'svcpath.workspace.v1';
/** localStorage holds ~5 MB per origin in Chromium; stay well under it */
export const MAX_AUTOSAVE_CHARS = 2 * 1024 * 1024;

export interface StorageLike {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
}

export interface HistoryLike {
  replaceState(data: unknown, unused: string, url?: string | URL | null): void;
}

export interface Initial {
  fields: Partial<WorkspaceFields>;
  notice: Notice | null;
}

function toFields(s: ShareState): Partial<WorkspaceFields> {
  const { v: _v, ...rest } = s;
  return rest;
}

function refusal(code: string, params: Record<string, string | number>): Notice {
  const reasonKey = isMessageKey(code) ? code : 'share.notObject';
  return { key: 'share.refused', tone: 'error', reasonKey, params };
}

function readAutosave(storage: StorageLike | null): { fields: Partial<WorkspaceFields> | null; theme?: Theme } {
  if (!storage) return { fields: null };
  let raw: string | null = null;
  try {
    raw = storage.getItem(AUTOSAVE_KEY);
  } catch {
    return { fields: null };
  }
  if (!raw) return { fields: null };
  try {
    const obj = JSON.parse(raw) as Record<string, unknown>;
    const r = migrateAndValidate(obj);
    if (!r.ok) return { fields: null };
    const theme = obj.theme === 'dark' || obj.theme === 'light' ? obj.theme : undefined;
    return { fields: toFields(r.state), theme };
  } catch {
    return { fields: null };
  }
}

/** The workspace to start with: the link if it is valid, else the autosave, else the defaults. */
export function readInitial(hash: string, storage: StorageLike | null): Initial {
  const saved = readAutosave(storage);
  const base: Partial<WorkspaceFields> = { ...(saved.fields ?? {}), ...(saved.theme ? { theme: saved.theme } : {}) };
  const payload = payloadFromHash(hash);
  if (payload !== null) {
    const r = decodeShare(payload);
    if (r.ok) {
      const notice: Notice =
        r.migratedFrom !== undefined
          ? { key: 'share.migrated', tone: 'info', params: { from: r.migratedFrom } }
          : { key: 'share.restored', tone: 'info' };
      return { fields: { ...base, ...toFields(r.state) }, notice };
    }
    return { fields: base, notice: refusal(r.error.code, r.error.params) };
  }
  if (saved.fields) return { fields: base, notice: { key: 'autosave.restored', tone: 'info' } };
  return { fields: base, notice: null };
}

export function shareStateOf(f: WorkspaceFields): ShareState {
  const { theme: _theme, ...rest } = pickFields(f);
  return { v: SHARE_VERSION, ...rest };
}

export function shareUrl(base: string, f: WorkspaceFields): string {
  return urlWithPayload(base, encodeShare(shareStateOf(f)));
}

export function urlWithPayload(base: string, payload: string): string {
  return `${base.split('#')[0]}#s=${payload}`;
}

/** Encodes a workspace for the link; the app passes the worker's, tests the synchronous one. */
export type ShareEncoder = (s: ShareState) => Promise<string | null> | string | null;
const syncEncoder: ShareEncoder = (s) => encodeShare(s);

/**
 * Keeps the URL fragment and the autosave in step with the store (debounced: typing does not
 * re-encode on every key). replaceState, not pushState: no history entry per keystroke.
 */
export function startSync(
  store: WorkspaceStore,
  env: { history: HistoryLike | null; storage: StorageLike | null; location: { href: string }; encode?: ShareEncoder },
  delayMs = 300,
): () => void {
  const encode = env.encode ?? syncEncoder;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = '';
  const flush = () => {
    timer = null;
    const s = store.getState();
    const fields = pickFields(s);
    const key = JSON.stringify(fields);
    if (key === last) return;
    last = key;
    const writeHash = (payload: string | null) => {
      // a newer edit has been flushed meanwhile: its own encoding will land
      if (payload === null || last !== key) return;
      try {
        env.history?.replaceState(null, '', urlWithPayload(env.location.href, payload));
      } catch {
        // some embedders forbid replaceState; the Copy link button still works
      }
    };
    const encoded = encode(shareStateOf(fields));
    if (typeof encoded === 'string' || encoded === null) writeHash(encoded);
    else void encoded.then(writeHash, () => undefined);
    if (!env.storage) return;
    // Oversized text is refused by the engine anyway; saving it would only break the next load.
    if (fields.yaml.length > MAX_YAML_CHARS || key.length > MAX_AUTOSAVE_CHARS) {
      if (s.notice?.key !== 'autosave.tooLarge') store.getState().setNotice({ key: 'autosave.tooLarge', tone: 'error' });
      return;
    }
    try {
      env.storage.setItem(AUTOSAVE_KEY, JSON.stringify({ ...shareStateOf(fields), theme: fields.theme }));
    } catch (e) {
      store.getState().setNotice({ key: 'autosave.failed', tone: 'error', params: { message: (e as Error).message } });
    }
  };
  const unsub = store.subscribe(() => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  });
  flush();
  return () => {
    unsub();
    if (timer) {
      clearTimeout(timer);
      flush();
    }
  };
}
