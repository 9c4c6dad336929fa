import { describe, expect, it } from 'vitest';
import { ipvsadmFocus } from './ipvsView.ts';
import { renderIpvsadm } from '../../engine/proxy/ipvs/render.ts';
import type { VirtualServer } from '../../engine/ipvs/types.ts';

const vs = (address: string, port: number, rs: string[]): VirtualServer => ({
  address,
  port,
  protocol: 'TCP',
  scheduler: 'rr',
  flags: 0,
  timeout: 0,
  realServers: rs.map((r) => ({ address: r.split(':')[0]!, port: Number(r.split(':')[1]), weight: 1 })),
});

describe('ipvsadmFocus', () => {
  const text = renderIpvsadm({
    virtualServers: [vs('10.96.0.1', 443, ['192.168.56.10:6443']), vs('10.102.249.128', 80, ['10.244.154.195:80', '10.244.154.196:80', '10.244.235.208:80'])],
  });
  const lines = text.split('\n');

  it('finds the virtual server and the chosen real server in ipvsadm’s own output', () => {
    const f = ipvsadmFocus(text, 'tcp', '10.102.249.128:80', '10.244.154.196:80');
    expect(lines[f.vs! - 1]).toMatch(/^TCP {2}10\.102\.249\.128:80 rr/);
    expect(lines[f.rs! - 1]).toMatch(/^ {2}-> 10\.244\.154\.196:80 +Masq/);
    expect(f.rs! - f.vs!).toBe(2);
  });

  it('does not take a real server of another virtual server', () => {
    expect(ipvsadmFocus(text, 'tcp', '10.96.0.1:443', '10.244.154.196:80')).toEqual({ vs: expect.any(Number), rs: null });
    expect(ipvsadmFocus(text, 'udp', '10.102.249.128:80', '10.244.154.196:80')).toEqual({ vs: null, rs: null });
  });
});
