import type { Dataplane } from '../../engine/pipeline.ts';
import { useWorkspace } from '../StoreContext.tsx';
import { useContractLabel, useT } from '../useT.tsx';
import { NodeRules } from './NodeRules.tsx';
import { splitRuleText } from './ruleLines.ts';

/** The text `Node rules` shows for a dataplane: iptables in its chosen form, nft, or IPVS state. */
export function rulesText(dp: Dataplane | null, output: 'save' | 'restore'): string {
  if (!dp) return '';
  if (dp.mode === 'nftables') return dp.nftables?.text ?? '';
  const ipt = dp.iptables ? (output === 'save' ? dp.iptables.save : dp.iptables.restore) : '';
  if (dp.mode === 'ipvs' && dp.ipvs) {
    const ipvs = dp.ipvs as { ipvsadm?: string; text?: string };
    const extra = typeof ipvs.ipvsadm === 'string' ? ipvs.ipvsadm : typeof ipvs.text === 'string' ? ipvs.text : JSON.stringify(dp.ipvs, null, 2);
    return `${ipt}${ipt.endsWith('\n') || ipt === '' ? '' : '\n'}# ipvsadm\n${extra}`;
  }
  return ipt;
}

export function RulesPanel({ lit, current }: { lit?: Set<number>; current?: number | null }) {
  const t = useT();
  const label = useContractLabel();
  const dp = useWorkspace((s) => s.result?.dataplane ?? null);
  const output = useWorkspace((s) => s.output);
  const mode = useWorkspace((s) => s.mode);
  const engine = useWorkspace((s) => s.engine);
  const text = rulesText(dp, output);
  const count = splitRuleText(text).length;
  const modeName = mode === 'ipvs' ? 'IPVS' : mode;
  const empty = engine === 'notReady' ? t('status.engineNotReady') : dp && !text ? t('rules.modeUnavailable', { mode: modeName }) : t('rules.empty');
  return (
    <NodeRules
      label={label.text('rules.region')}
      heading={dp ? t('rules.heading', { node: dp.node, mode: modeName }) : t('rules.headingNoNode')}
      text={text}
      emptyText={empty}
      linesText={t('rules.lines', { count })}
      {...(lit ? { lit } : {})}
      {...(current !== undefined ? { current } : {})}
    />
  );
}
