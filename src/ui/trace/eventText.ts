// One trace event in words, in the chosen language: the table `Packet trace` and the live region
// both show this. The event's reasonKey names an i18n template (or a variant of it where the
// English sentence has an optional part), its params fill it, and a rule's "why" (params `whyKey`
// and `w_*`, from netfilter/match.ts) is rendered first from its own key. The English rendering
// must be exactly the evaluator's `reason`: when it is not (an event these keys do not cover yet),
// the English `reason` is shown, so a translation never says something the engine did not.
import { isMessageKey, translate, type Lang, type MessageKey } from '../../i18n/index.ts';
import type { TraceEvent } from '../../engine/netfilter/trace-types.ts';

export type EventWords = Pick<TraceEvent, 'reason' | 'reasonKey' | 'params'>;

/** the IPVS hook's label (ipvs/path.ts key) for why it found no destination -> its sentence */
const IPVS_LEAVE: Readonly<Record<string, string>> = {
  'ipvs.no-real-server': 'trace.ipvs.reject.noRealServer',
  'ipvs.no-destination': 'trace.ipvs.reject.noDestination',
};

/** The i18n key whose template tells this event: the reasonKey, or the variant its params call for. */
export function templateKey(e: Pick<TraceEvent, 'reasonKey' | 'params'>): string {
  const p = e.params;
  switch (e.reasonKey) {
    case 'trace.ct.established':
      return p.direction === 'reply' ? 'trace.ct.established.reply' : e.reasonKey;
    case 'trace.policy':
      return p.end !== undefined && p.end !== p.chain ? 'trace.policy.goto' : e.reasonKey;
    case 'trace.routing.forward':
      return p.iface ? 'trace.routing.forward.iface' : e.reasonKey;
    case 'trace.rule.return':
      return p.to === '' ? 'trace.rule.return.policy' : e.reasonKey;
    case 'trace.rule.masquerade':
      return p.source === '' ? 'trace.rule.masquerade.iface' : e.reasonKey;
    case 'trace.verdict.accept':
      return p.dnat ? (p.masquerade === 'true' ? 'trace.verdict.accept.dnatMasq' : 'trace.verdict.accept.dnat') : e.reasonKey;
    case 'trace.verdict.drop':
      return p.policy ? 'trace.verdict.drop.policy' : e.reasonKey;
    case 'trace.ipvs':
      return p.label ? 'trace.ipvs.label' : e.reasonKey;
    case 'trace.ipvs.reject':
      return IPVS_LEAVE[String(p.label)] ?? e.reasonKey;
    case 'trace.ipvs.drop':
      // the hook drops only an ICMP packet it has no destination for
      return 'trace.ipvs.drop.icmp';
    default:
      return e.reasonKey;
  }
}

function fill(lang: Lang, key: MessageKey, params: Readonly<Record<string, string | number>>): string {
  const whyKey = params.whyKey;
  if (typeof whyKey !== 'string' || !isMessageKey(whyKey)) return translate(lang, key, params);
  const whyParams: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) if (k.startsWith('w_')) whyParams[k.slice(2)] = v;
  return translate(lang, key, { ...params, why: translate(lang, whyKey, whyParams) });
}

/** The template filled in, without the English check (null: no template for this event). Tests use it. */
export function renderEvent(lang: Lang, e: Pick<TraceEvent, 'reasonKey' | 'params'>): string | null {
  const key = templateKey(e);
  return isMessageKey(key) ? fill(lang, key, e.params) : null;
}

/** What the screen says for an event: its translation, or its English `reason` when no template tells it exactly. */
export function eventText(lang: Lang, e: EventWords): string {
  const english = renderEvent('en', e);
  if (english !== e.reason) return e.reason;
  return lang === 'en' ? e.reason : (renderEvent(lang, e) ?? e.reason);
}
