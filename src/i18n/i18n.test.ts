import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';
import { isMessageKey, translate } from './index.ts';
import { SCENARIOS } from '../engine/scenario/scenarios.ts';

describe('i18n tables', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });
  it('have no empty values', () => {
    for (const [k, v] of [...Object.entries(en), ...Object.entries(zhCN)]) expect(v.trim(), k).not.toBe('');
  });
  it('use the same {placeholders} in both languages', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(ph(zhCN[k]), k).toEqual(ph(en[k]));
  });
  it('translate every scenario title and explanation', () => {
    for (const s of SCENARIOS) {
      expect(isMessageKey(s.titleKey), s.titleKey).toBe(true);
      expect(isMessageKey(s.explainKey), s.explainKey).toBe(true);
    }
  });
  it('fill parameters and leave unknown ones visible', () => {
    expect(translate('en', 'rules.lines', { count: 12 })).toBe('12 lines');
    expect(translate('zh-CN', 'rules.lines', { count: 12 })).toBe('共 12 行');
    expect(translate('en', 'rules.lines')).toBe('{count} lines');
  });
  it('keep the CONTRACTS accessible names in English', () => {
    expect([en['editor.label'], en['controls.scenario'], en['controls.mode'], en['controls.node'], en['rules.region'], en['share.copy'], en['header.language']])
      .toEqual(['Cluster YAML', 'Scenario', 'Proxy mode', 'Node', 'Node rules', 'Copy link', 'Language']);
    expect([en['explain.input'], en['packet.src'], en['packet.dst'], en['packet.proto'], en['explain.send'], en['explain.trace']])
      .toEqual(['Rules to explain', 'Packet source', 'Packet destination', 'Protocol', 'Send packet', 'Packet trace']);
    expect([en['player.play'], en['player.pause'], en['player.back'], en['player.forward'], en['player.reset'], en['explain.sendMany'], en['explain.distribution']])
      .toEqual(['Play', 'Pause', 'Step back', 'Step forward', 'Reset', 'Send 1000 packets', 'Endpoint distribution']);
  });
});

describe('IPVS notes', () => {
  it('say in English exactly what the engine’s IPVS_NOTES say, and exist in Chinese', async () => {
    const { IPVS_NOTES } = await import('../engine/ipvs/path.ts');
    for (const [k, v] of Object.entries(IPVS_NOTES)) {
      expect(isMessageKey(k), k).toBe(true);
      expect(translate('en', k as keyof typeof en), k).toBe(v);
      expect(translate('zh-CN', k as keyof typeof en), k).not.toBe(v);
    }
  });
});
