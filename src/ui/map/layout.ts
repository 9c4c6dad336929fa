// Where things sit on the cluster map: nodes side by side grouped by zone (d3 band scales),
// pods in a grid inside their node. Pure, so it is tested without a DOM.
import { scaleBand } from 'd3';
import type { MapModel, MapPod } from '../../engine/scenario/mapModel.ts';

export interface NodeBox {
  name: string;
  zone: string | null;
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface PodDot {
  pod: MapPod;
  x: number;
  y: number;
  r: number;
}
export interface MapLayout {
  nodes: NodeBox[];
  pods: PodDot[];
  zones: { name: string; x: number; w: number }[];
}

export function layoutMap(m: MapModel, width: number, height: number, top = 46): MapLayout {
  // zone order first so a zone's nodes stand together
  const nodes = [...m.nodes].sort((a, b) => (a.zone ?? '').localeCompare(b.zone ?? '') || a.name.localeCompare(b.name));
  const x = scaleBand<string>().domain(nodes.map((n) => n.name)).range([4, width - 4]).paddingInner(0.06);
  const h = Math.max(40, height - top - 4);
  const boxes: NodeBox[] = nodes.map((n) => ({ name: n.name, zone: n.zone, x: x(n.name) ?? 0, y: top, w: x.bandwidth(), h }));
  const pods: PodDot[] = [];
  for (const b of boxes) {
    const mine = m.pods.filter((p) => p.node === b.name);
    if (mine.length === 0) continue;
    // the largest radius at which every pod fits in the box below its label
    const inner = { w: b.w - 8, h: b.h - 22 };
    // labels under pods only while there is room for them
    const pitch = (r: number) => ({ x: 2 * r + (r >= 8 ? 6 : 2), y: 2 * r + (r >= 8 ? 14 : 2) });
    let r = 14;
    let cols = 1;
    for (; r > 1; r -= 0.5) {
      cols = Math.max(1, Math.floor(inner.w / pitch(r).x));
      if (Math.ceil(mine.length / cols) * pitch(r).y <= inner.h) break;
    }
    const py = pitch(r).y;
    mine.forEach((p, i) => {
      const c = i % cols;
      const row = Math.floor(i / cols);
      pods.push({ pod: p, r, x: b.x + 4 + (c + 0.5) * (inner.w / cols), y: b.y + 22 + row * py + r });
    });
  }
  const zones: MapLayout['zones'] = [];
  for (const b of boxes) {
    const z = b.zone ?? '';
    const last = zones[zones.length - 1];
    if (last && last.name === z) last.w = b.x + b.w - last.x;
    else zones.push({ name: z, x: b.x, w: b.w });
  }
  return { nodes: boxes, pods, zones: zones.filter((z) => z.name !== '') };
}
