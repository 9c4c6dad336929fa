// The cluster choices (Kubernetes version, default cluster) travel in the share link.
import { describe, expect, it } from 'vitest';
import { deflateSync, strToU8 } from 'fflate';
import { DEFAULT_SHARE_STATE, bytesToBase64Url, decodeShare, encodeShare } from './codec.ts';

const link = (o: Record<string, unknown>) => bytesToBase64Url(deflateSync(strToU8(JSON.stringify(o))));

describe('share link: cluster choices', () => {
  it('round-trips the Kubernetes version and the default cluster', () => {
    const s = { ...DEFAULT_SHARE_STATE, yaml: 'kind: Service', k8sVersion: '1.20' as const, nodes: '6x3' as const };
    const r = decodeShare(encodeShare(s));
    expect(r.ok && r.state.k8sVersion).toBe('1.20');
    expect(r.ok && r.state.nodes).toBe('6x3');
  });
  it('an older link without them gets the defaults', () => {
    const r = decodeShare(link({ v: 1, yaml: 'x' }));
    expect(r.ok && [r.state.k8sVersion, r.state.nodes]).toEqual(['', '']);
  });
  it('refuses a version or cluster it does not offer, naming the field', () => {
    const a = decodeShare(link({ v: 1, k8sVersion: '0.1' }));
    expect(!a.ok && a.error.params.field).toBe('k8sVersion');
    const b = decodeShare(link({ v: 1, nodes: '999' }));
    expect(!b.ok && b.error.params.field).toBe('nodes');
  });
});
