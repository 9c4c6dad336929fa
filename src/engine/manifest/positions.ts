// positionOf: kubectl-style field paths ("spec.ports[0].port", "metadata.labels[app]") to the
// position recorded while building the tree, falling back to the nearest recorded parent.
import { pathKey, type Pos, type Segment } from './yaml-tree.ts';

export function parseFieldPath(path: string): Segment[] {
  const segs: Segment[] = [];
  let i = 0;
  let name = '';
  const flush = (): void => {
    if (name) segs.push(name);
    name = '';
  };
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.') {
      flush();
      i++;
    } else if (c === '[') {
      flush();
      const end = path.indexOf(']', i + 1);
      const inner = end < 0 ? path.slice(i + 1) : path.slice(i + 1, end);
      segs.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = end < 0 ? path.length : end + 1;
    } else {
      name += c;
      i++;
    }
  }
  flush();
  return segs;
}

export function makePositionOf(positions: Map<string, Pos>, prefix: Segment[], start: Pos): (path: string) => Pos {
  return (path: string): Pos => {
    const segs = [...prefix, ...parseFieldPath(path)];
    for (let n = segs.length; n > prefix.length; n--) {
      const p = positions.get(pathKey(segs.slice(0, n)));
      if (p) return { line: p.line, col: p.col };
    }
    return { line: start.line, col: start.col };
  };
}

/** Was this path written by the user (recorded before defaulting)? */
export function makeHas(positions: Map<string, Pos>, prefix: Segment[]): (path: string) => boolean {
  return (path: string): boolean => positions.has(pathKey([...prefix, ...parseFieldPath(path)]));
}
