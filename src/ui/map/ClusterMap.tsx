// The cluster map: zones, nodes, pods (readiness visible, click to cycle), the Service VIP, and
// the path the traced packet took (source, VIP, the pod it was DNATed to, and the reply back),
// with the translations marked where they happen, and the burst of `Send 1000 packets`. d3
// computes the layout; React draws the SVG.
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MapModel } from '../../engine/scenario/mapModel.ts';
import { nextReadiness } from '../../engine/scenario/mapModel.ts';
import type { PacketRun } from '../../worker/dump.ts';
import { useWorkspace } from '../StoreContext.tsx';
import { useT } from '../useT.tsx';
import { layoutMap } from './layout.ts';
import { packetProgress, quadPoint } from './packetProgress.ts';
import { mapMarks } from './mapMarks.ts';
import { inFlight } from '../trace/burst.ts';
import type { MapLayout } from './layout.ts';

type Pt = { x: number; y: number };
/** connections drawn in flight at once during a burst */
const BURST_WINDOW = 28;

const HEIGHT = 190;
const host = (hp: string | null | undefined) => (hp ? hp.replace(/^\[/, '').replace(/\](:\d+)?$/, '').replace(/:\d+$/, '') : '');

/** `service`: the Service port the packet dialled (kube-proxy's name), to label the address it dialled */
export function ClusterMap({ map, run, cursor = 0, node = null, shown, service = null }: { map: MapModel | null; run: PacketRun | null; cursor?: number; node?: string | null; shown?: number; service?: string | null }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(400);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.max(200, Math.floor(e!.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const layout = useMemo(() => (map ? layoutMap(map, width, HEIGHT) : null), [map, width]);

  const at = useMemo(() => (layout && map ? placeOf(layout, map) : null), [layout, map]);
  const path = useMemo(() => {
    if (!run || !at) return null;
    const src = host(run.packet.src);
    const vip = host(run.packet.dst);
    const dest = host(run.outcome.dnat) || vip;
    const from = at(src) ?? { x: 8, y: 14 };
    const to = at(dest);
    const mid = { x: width * 0.35, y: 14 };
    return { from, to, mid, external: !at(src), dnat: !!run.outcome.dnat, verdict: run.outcome.verdict, reply: !!run.reply };
  }, [run, at, width]);

  // the packet itself, placed by the trace step; CSS eases between places (not when reduced motion is asked)
  const dot = useMemo(() => {
    if (!path || !run) return null;
    const pr = packetProgress(run.events, cursor);
    const p =
      pr.leg === 'reply' && path.to
        ? quadPoint({ x: path.to.x, y: path.to.y - 10 }, replyControl(path.from, path.to), path.from, pr.t)
        : pr.leg === 'toService' || !path.to
          ? quadPoint(path.from, { x: (path.from.x + path.mid.x) / 2, y: path.mid.y - 8 }, path.mid, pr.leg === 'toService' ? pr.t : 1)
          : quadPoint(path.mid, { x: (path.mid.x + path.to.x) / 2, y: path.mid.y }, { x: path.to.x, y: path.to.y - 10 }, pr.t);
    return { ...p, leg: pr.leg };
  }, [path, run, cursor]);
  const marks = useMemo(() => (run ? mapMarks(run.events, cursor) : null), [run, cursor]);
  const nodeBox = node && layout ? layout.nodes.find((b) => b.name === node) ?? null : null;

  // the burst: each sampled connection flies from the client through the VIP to its endpoint
  const burst = useMemo(() => {
    const order = run?.samples?.order;
    if (!order || !path || !at || shown === undefined || shown >= order.length) return [];
    const targets = run!.samples!.counts.map((c) => (c.dnat ? at(host(c.dnat)) : null));
    return inFlight(order, shown, BURST_WINDOW).map((f) => {
      const to = targets[f.fate];
      const p =
        f.t < 0.5 || !to
          ? quadPoint(path.from, { x: (path.from.x + path.mid.x) / 2, y: path.mid.y - 8 }, path.mid, Math.min(1, f.t * 2))
          : quadPoint(path.mid, { x: (path.mid.x + to.x) / 2, y: path.mid.y }, { x: to.x, y: to.y - 6 }, (f.t - 0.5) * 2);
      return { key: f.i, ...p, rejected: !to };
    });
  }, [run, path, at, shown]);

  // the address the client dialled (ClusterIP, node port, load-balancer IP), named by its Service
  const vip = useMemo(() => {
    if (!map) return null;
    if (run && service) return { name: service, address: run.packet.dst };
    const dstHost = run ? host(run.packet.dst) : '';
    const svc = map.services.find((s) => s.clusterIP === dstHost) ?? map.services.find((s) => s.clusterIP && s.clusterIP !== 'None');
    return svc ? { name: svc.key, address: run && svc.clusterIP === dstHost ? run.packet.dst : (svc.clusterIP ?? '') } : null;
  }, [map, run, service]);

  if (!map || !layout) {
    return (
      <figure className="cluster-map empty" aria-label={t('map.label')}>
        <p className="muted small">{t('map.empty')}</p>
      </figure>
    );
  }

  return (
    <figure className="cluster-map" aria-label={t('map.label')} ref={box}>
      <svg width={width} height={HEIGHT} role="group" aria-label={t('map.label')}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrowhead" />
          </marker>
        </defs>
        {layout.zones.map((z) => (
          <g key={z.name} className="zone">
            <rect x={z.x - 2} y={30} width={z.w + 4} height={HEIGHT - 30} rx={8} />
            <text x={z.x + 4} y={41}>{z.name}</text>
          </g>
        ))}
        {layout.nodes.map((n) => (
          <g key={n.name} className="node">
            <rect x={n.x} y={n.y} width={n.w} height={n.h} rx={6} />
            <text x={n.x + 6} y={n.y + 14}>{n.name}</text>
          </g>
        ))}
        {vip && (
          <g className="vip">
            <path d={`M ${width * 0.35} 4 l 9 9 l -9 9 l -9 -9 z`} />
            {/* the Service's name, and the address the client dialled below it */}
            <text x={width * 0.35 + 14} y={11}>{vip.name}</text>
            <text x={width * 0.35 + 14} y={23}>{vip.address}</text>
          </g>
        )}
        {path && (
          <g className={`packet-path verdict-${path.verdict}`}>
            <path d={`M ${path.from.x} ${path.from.y} Q ${(path.from.x + path.mid.x) / 2} ${path.mid.y - 8} ${path.mid.x} ${path.mid.y}`} markerEnd={path.to ? undefined : 'url(#arrow)'} />
            {path.to && <path d={`M ${path.mid.x} ${path.mid.y} Q ${(path.mid.x + path.to.x) / 2} ${path.mid.y} ${path.to.x} ${path.to.y - 10}`} markerEnd="url(#arrow)" />}
            {path.external && <text x={4} y={26} className="client">{t('map.client')}</text>}
            {path.to && path.reply && marks?.reply && (
              <path className="reply-path" d={`M ${path.to.x} ${path.to.y - 10} Q ${replyControl(path.from, path.to).x} ${replyControl(path.from, path.to).y} ${path.from.x} ${path.from.y}`} markerEnd="url(#arrow)" />
            )}
          </g>
        )}
        {marks?.dnat && path && (
          <text className="mark mark-dnat" x={path.mid.x + 14} y={36}>
            {t('map.dnat', { dst: marks.dnat })}
          </text>
        )}
        {marks?.masq && nodeBox && (
          <text className="mark mark-masq" x={nodeBox.x + 6} y={nodeBox.y + nodeBox.h - 6}>
            {t('map.masq', { src: marks.masq })}
          </text>
        )}
        {marks?.reply && path && (
          <text className="mark mark-reply" x={Math.max(4, path.from.x + 10)} y={Math.min(HEIGHT - 4, path.from.y + 34)}>
            {t('map.reply')}
          </text>
        )}
        {burst.map((b) => (
          <circle key={b.key} className={b.rejected ? 'burst-dot rejected' : 'burst-dot'} r={3} cx={b.x} cy={b.y} aria-hidden="true" />
        ))}
        {dot && <circle className="packet-dot" r={6} cx={0} cy={0} style={{ transform: `translate(${dot.x.toFixed(1)}px, ${dot.y.toFixed(1)}px)` }} data-leg={dot.leg} aria-hidden="true" />}
        <Pods pods={layout.pods} target={run ? host(run.outcome.dnat) : ''} />
      </svg>
      <figcaption className="muted small">
        {t('map.hint')} {map.truncated && t('map.truncated', { count: map.pods.length })}
      </figcaption>
    </figure>
  );
}

/** Where an address sits on the map: a pod's circle, else its node's box. */
function placeOf(layout: MapLayout, map: MapModel): (ip: string) => Pt | null {
  const pods = new Map(layout.pods.map((d) => [d.pod.ip, { x: d.x, y: d.y }]));
  return (ip: string) => {
    const p = pods.get(ip);
    if (p) return p;
    const n = map.nodes.find((x) => x.ip === ip);
    const b = n && layout.nodes.find((x) => x.name === n.name);
    return b ? { x: b.x + b.w / 2, y: b.y + 8 } : null;
  };
}

/** the reply swings below the request's path on its way back */
function replyControl(from: Pt, to: Pt): Pt {
  return { x: (from.x + to.x) / 2, y: Math.max(from.y, to.y) + 30 };
}

/** The pods, drawn apart from the packet so a moving packet does not redraw 300 of them. */
const Pods = memo(function Pods({ pods, target }: { pods: MapLayout['pods']; target: string }) {
  const t = useT();
  const setPodReadiness = useWorkspace((s) => s.setPodReadiness);
  const cycle = (key: string, r: Parameters<typeof nextReadiness>[0]) => setPodReadiness(key, nextReadiness(r));
  const onKey = (e: KeyboardEvent, key: string, r: Parameters<typeof nextReadiness>[0]) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      cycle(key, r);
    }
  };
  return (
    <>
      {pods.map((d) => {
        const p = d.pod;
        const next = nextReadiness(p.readiness);
        return (
          <g
            key={p.key}
            className={`pod pod-${p.readiness}${target && target === p.ip ? ' target' : ''}`}
            role="button"
            tabIndex={0}
            aria-label={t('map.pod', { name: p.name, ip: p.ip ?? '-', state: t(`readiness.${p.readiness}`), next: t(`readiness.${next}`) })}
            onClick={() => cycle(p.key, p.readiness)}
            onKeyDown={(e) => onKey(e, p.key, p.readiness)}
          >
            <circle cx={d.x} cy={d.y} r={d.r} />
            {d.r >= 8 && (
              <text x={d.x} y={d.y + d.r + 11} textAnchor="middle">
                {p.name.slice(p.name.lastIndexOf('-') + 1)}
              </text>
            )}
          </g>
        );
      })}
    </>
  );
});
