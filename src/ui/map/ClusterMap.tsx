// The cluster map: zones, nodes, pods (readiness visible, click to cycle), the Service VIP, and
// the path the traced packet took (source, VIP, the pod it was DNATed to). d3 computes the
// layout; React draws the SVG.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MapModel } from '../../engine/scenario/mapModel.ts';
import { nextReadiness } from '../../engine/scenario/mapModel.ts';
import type { PacketRun } from '../../worker/dump.ts';
import { useWorkspace } from '../StoreContext.tsx';
import { useT } from '../useT.tsx';
import { layoutMap } from './layout.ts';
import { packetProgress, quadPoint } from './packetProgress.ts';

const HEIGHT = 190;
const host = (hp: string | null | undefined) => (hp ? hp.replace(/^\[/, '').replace(/\](:\d+)?$/, '').replace(/:\d+$/, '') : '');

export function ClusterMap({ map, run, cursor = 0 }: { map: MapModel | null; run: PacketRun | null; cursor?: number }) {
  const t = useT();
  const setPodReadiness = useWorkspace((s) => s.setPodReadiness);
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

  const path = useMemo(() => {
    if (!run || !layout || !map) return null;
    const src = host(run.packet.src);
    const vip = host(run.packet.dst);
    const dest = host(run.outcome.dnat) || vip;
    const at = (ip: string) => {
      const p = layout.pods.find((d) => d.pod.ip === ip);
      if (p) return { x: p.x, y: p.y };
      const n = map.nodes.find((x) => x.ip === ip);
      const b = n && layout.nodes.find((x) => x.name === n.name);
      return b ? { x: b.x + b.w / 2, y: b.y + 8 } : null;
    };
    const from = at(src) ?? { x: 8, y: 14 };
    const to = at(dest);
    const mid = { x: width * 0.35, y: 14 };
    return { from, to, mid, external: !at(src), dnat: !!run.outcome.dnat, verdict: run.outcome.verdict };
  }, [run, layout, map, width]);

  // the packet itself, placed by the trace step; CSS eases between places (not when reduced motion is asked)
  const dot = useMemo(() => {
    if (!path || !run) return null;
    const pr = packetProgress(run.events, cursor);
    const p =
      pr.leg === 'toService' || !path.to
        ? quadPoint(path.from, { x: (path.from.x + path.mid.x) / 2, y: path.mid.y - 8 }, path.mid, pr.leg === 'toService' ? pr.t : 1)
        : quadPoint(path.mid, { x: (path.mid.x + path.to.x) / 2, y: path.mid.y }, { x: path.to.x, y: path.to.y - 10 }, pr.t);
    return { ...p, leg: pr.leg };
  }, [path, run, cursor]);

  const vipLabel = useMemo(() => {
    if (!map) return '';
    const dstHost = run ? host(run.packet.dst) : '';
    const svc = map.services.find((s) => s.clusterIP === dstHost) ?? map.services.find((s) => s.clusterIP && s.clusterIP !== 'None');
    return svc ? `${svc.key} ${svc.clusterIP ?? ''}` : '';
  }, [map, run]);

  if (!map || !layout) {
    return (
      <figure className="cluster-map empty" aria-label={t('map.label')}>
        <p className="muted small">{t('map.empty')}</p>
      </figure>
    );
  }

  const cycle = (key: string, r: Parameters<typeof nextReadiness>[0]) => setPodReadiness(key, nextReadiness(r));
  const onKey = (e: KeyboardEvent, key: string, r: Parameters<typeof nextReadiness>[0]) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      cycle(key, r);
    }
  };

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
        {vipLabel && (
          <g className="vip">
            <path d={`M ${width * 0.35} 4 l 9 9 l -9 9 l -9 -9 z`} />
            <text x={width * 0.35 + 14} y={17}>{vipLabel}</text>
          </g>
        )}
        {path && (
          <g className={`packet-path verdict-${path.verdict}`}>
            <path d={`M ${path.from.x} ${path.from.y} Q ${(path.from.x + path.mid.x) / 2} ${path.mid.y - 8} ${path.mid.x} ${path.mid.y}`} markerEnd={path.to ? undefined : 'url(#arrow)'} />
            {path.to && <path d={`M ${path.mid.x} ${path.mid.y} Q ${(path.mid.x + path.to.x) / 2} ${path.mid.y} ${path.to.x} ${path.to.y - 10}`} markerEnd="url(#arrow)" />}
            {path.external && <text x={4} y={26} className="client">{t('map.client')}</text>}
          </g>
        )}
        {dot && <circle className="packet-dot" r={6} cx={0} cy={0} style={{ transform: `translate(${dot.x.toFixed(1)}px, ${dot.y.toFixed(1)}px)` }} data-leg={dot.leg} aria-hidden="true" />}
        {layout.pods.map((d) => {
          const p = d.pod;
          const next = nextReadiness(p.readiness);
          const target = run && host(run.outcome.dnat) === p.ip;
          return (
            <g
              key={p.key}
              className={`pod pod-${p.readiness}${target ? ' target' : ''}`}
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
      </svg>
      <figcaption className="muted small">
        {t('map.hint')} {map.truncated && t('map.truncated', { count: map.pods.length })}
      </figcaption>
    </figure>
  );
}
