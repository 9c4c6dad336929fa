import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Dataplane } from '../../engine/pipeline.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useWorkspace } from '../StoreContext.tsx';
import { useContractLabel, useT } from '../useT.tsx';
import { NodeRules } from './NodeRules.tsx';
import { splitRuleText } from './ruleLines.ts';
import { IPVS_TABS, ipvsadmFocus, type IpvsTab } from './ipvsView.ts';

/** The text `Node rules` shows for a dataplane: iptables in its chosen form, or nft. */
export function rulesText(dp: Dataplane | null, output: 'save' | 'restore'): string {
  if (!dp) return '';
  if (dp.mode === 'nftables') return dp.nftables?.text ?? '';
  return dp.iptables ? (output === 'save' ? dp.iptables.save : dp.iptables.restore) : '';
}

const TAB_KEYS: Record<IpvsTab, MessageKey> = {
  iptables: 'rules.tab.iptables',
  ipvsadm: 'rules.tab.ipvsadm',
  ipset: 'rules.tab.ipset',
  ipaddr: 'rules.tab.ipaddr',
};

/** The IPVS step being shown: its virtual server and chosen real server, lit in `ipvsadm -Ln`. */
export interface IpvsFocus {
  proto: string;
  vip: string;
  target: string | null;
}

function IpvsTabs({ tab, setTab }: { tab: IpvsTab; setTab(t: IpvsTab): void }) {
  const t = useT();
  const refs = useRef<Partial<Record<IpvsTab, HTMLButtonElement | null>>>({});
  // arrow keys move between tabs, as the ARIA tabs pattern expects
  const onKey = (e: KeyboardEvent) => {
    const i = IPVS_TABS.indexOf(tab);
    const next = e.key === 'ArrowRight' ? IPVS_TABS[(i + 1) % IPVS_TABS.length] : e.key === 'ArrowLeft' ? IPVS_TABS[(i + IPVS_TABS.length - 1) % IPVS_TABS.length] : null;
    if (!next) return;
    e.preventDefault();
    setTab(next);
    refs.current[next]?.focus();
  };
  return (
    <div className="ipvs-tabs" role="tablist" aria-label={t('rules.ipvsViews')} onKeyDown={onKey}>
      {IPVS_TABS.map((k) => (
        <button
          key={k}
          ref={(el) => {
            refs.current[k] = el;
          }}
          type="button"
          role="tab"
          id={`ipvs-tab-${k}`}
          aria-selected={tab === k}
          aria-controls="ipvs-tabpanel"
          tabIndex={tab === k ? 0 : -1}
          className={tab === k ? 'seg active' : 'seg'}
          onClick={() => setTab(k)}
        >
          {t(TAB_KEYS[k])}
        </button>
      ))}
    </div>
  );
}

export function RulesPanel({ lit, current, ipvsFocus = null }: { lit?: Set<number>; current?: number | null; ipvsFocus?: IpvsFocus | null }) {
  const t = useT();
  const label = useContractLabel();
  const dp = useWorkspace((s) => s.result?.dataplane ?? null);
  const views = useWorkspace((s) => s.ipvsViews);
  const output = useWorkspace((s) => s.output);
  const mode = useWorkspace((s) => s.mode);
  const engine = useWorkspace((s) => s.engine);
  const [tab, setTab] = useState<IpvsTab>('iptables');
  const ipvs = dp?.mode === 'ipvs' && !!dp.ipvs && !!views;

  // stepping onto the IPVS event shows where it happened: the virtual server in ipvsadm -Ln
  const focusKey = ipvsFocus ? `${ipvsFocus.vip} ${ipvsFocus.target}` : null;
  // and stepping past it goes back to the iptables rules the later steps walk, unless the
  // reader picked a tab themselves meanwhile
  const autoTab = useRef(false);
  useEffect(() => {
    if (focusKey) {
      autoTab.current = true;
      setTab('ipvsadm');
    } else if (autoTab.current) {
      autoTab.current = false;
      setTab('iptables');
    }
  }, [focusKey]);
  const pickTab = (k: IpvsTab) => {
    autoTab.current = false;
    setTab(k);
  };

  const shown: IpvsTab = ipvs ? tab : 'iptables';
  const text = shown === 'iptables' ? rulesText(dp, output) : views![shown];
  const count = splitRuleText(text).length;
  const modeName = mode === 'ipvs' ? 'IPVS' : mode;
  const empty = engine === 'notReady' ? t('status.engineNotReady') : dp && !text ? t('rules.modeUnavailable', { mode: modeName }) : t('rules.empty');

  let litLines = lit;
  let currentLine = current;
  if (shown === 'ipvsadm') {
    const f = ipvsFocus ? ipvsadmFocus(text, ipvsFocus.proto, ipvsFocus.vip, ipvsFocus.target) : { vs: null, rs: null };
    litLines = new Set([f.vs, f.rs].filter((n): n is number => n !== null));
    currentLine = f.rs ?? f.vs;
  } else if (shown !== 'iptables') {
    litLines = undefined;
    currentLine = null;
  }

  return (
    <NodeRules
      label={label.text('rules.region')}
      heading={dp ? t('rules.heading', { node: dp.node, mode: modeName }) : t('rules.headingNoNode')}
      text={text}
      emptyText={empty}
      linesText={t('rules.lines', { count })}
      {...(litLines ? { lit: litLines } : {})}
      {...(currentLine !== undefined ? { current: currentLine } : {})}
      changeKey={dp ? `${dp.node}|${dp.mode}|${output}|${shown}` : undefined}
      changedText={(added, removed) => t('rules.changed', { added, removed })}
      {...(ipvs ? { tabs: <IpvsTabs tab={tab} setTab={pickTab} />, tabpanel: { id: 'ipvs-tabpanel', labelledBy: `ipvs-tab-${shown}` } } : {})}
    />
  );
}
