/**
 * Marching-cubes triangle table for binary masks, generated (not transcribed) from geometric rules chosen so that the
 * surface, and therefore mesh area and volume, equal those of the classic Lorensen/Bloyd table that pyradiomics uses
 * (checked configuration by configuration: area, signed-volume and vector-area sums of all 254 cases agree):
 *  - corners/edges are numbered in the classic way: 0 (0,0,0) 1 (1,0,0) 2 (1,1,0) 3 (0,1,0) 4 (0,0,1) 5 (1,0,1)
 *    6 (1,1,1) 7 (0,1,1); edges 0..3 bottom ring, 4..7 top ring, 8..11 verticals;
 *  - like pyradiomics, a configuration with corner 7 set is replaced by its complement, and on ambiguous faces the
 *    set corners of that (reduced) configuration are cut off separately;
 *  - non-planar polygons are triangulated as the classic table does, up to the configuration's symmetries (mirror
 *    choices give identical area and volume): pentagons fan from an end corner's out-of-face edge; twisted hexagons
 *    (4 against 4 corners) take a central triangle; 6- and 7-gons around a small side fan from the edge leaving that
 *    side away from its ambiguous faces; the hexagon around three face-diagonal corners is a zig-zag.
 * Every vertex is an edge midpoint (iso-level 0.5 on a 0/1 mask).
 */

export const CORNERS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0],
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 0, 1],
  [1, 1, 1],
  [0, 1, 1],
];

export const EDGES: ReadonlyArray<readonly [number, number]> = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 0],
  [4, 5],
  [5, 6],
  [6, 7],
  [7, 4],
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
];

/** Faces as corner cycles (any consistent cycle; only adjacency matters for segment building). */
const FACES: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 1, 2, 3],
  [4, 5, 6, 7],
  [0, 1, 5, 4],
  [1, 2, 6, 5],
  [2, 3, 7, 6],
  [3, 0, 4, 7],
];

function edgeIndex(a: number, b: number): number {
  for (let e = 0; e < 12; e++) {
    const [u, v] = EDGES[e];
    if ((u === a && v === b) || (u === b && v === a)) return e;
  }
  throw new Error(`no edge between corners ${a} and ${b}`);
}

function adjacent(a: number, b: number): boolean {
  const p = CORNERS[a],
    q = CORNERS[b];
  return Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]) + Math.abs(p[2] - q[2]) === 1;
}

function midpoint(e: number): [number, number, number] {
  const [u, v] = EDGES[e];
  const p = CORNERS[u],
    q = CORNERS[v];
  return [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2];
}

/** Closed loops of crossing edges for a configuration, each loop listed in cyclic order. */
function loopsFor(config: number): number[][] {
  const separated = config & 0x80 ? config ^ 0xff : config;
  const inside = (c: number) => ((config >> c) & 1) === 1;
  const isSep = (c: number) => ((separated >> c) & 1) === 1;
  const links: number[][] = Array.from({ length: 12 }, () => []);
  for (const face of FACES) {
    const crossing: number[] = [];
    for (let k = 0; k < 4; k++) {
      const a = face[k],
        b = face[(k + 1) % 4];
      if (inside(a) !== inside(b)) crossing.push(edgeIndex(a, b));
    }
    if (crossing.length === 2) {
      links[crossing[0]].push(crossing[1]);
      links[crossing[1]].push(crossing[0]);
    } else if (crossing.length === 4) {
      // Ambiguous face: cut off each corner of the separated set on its own.
      for (const c of face) {
        if (!isSep(c)) continue;
        const around = face.filter((d) => adjacent(c, d)).map((d) => edgeIndex(c, d));
        links[around[0]].push(around[1]);
        links[around[1]].push(around[0]);
      }
    }
  }
  const loops: number[][] = [];
  const used = new Array<boolean>(12).fill(false);
  for (let start = 0; start < 12; start++) {
    if (used[start] || links[start].length === 0) continue;
    const loop = [start];
    used[start] = true;
    let prev = start,
      cur = links[start][0];
    while (cur !== start) {
      loop.push(cur);
      used[cur] = true;
      const next = links[cur][0] === prev ? links[cur][1] : links[cur][0];
      prev = cur;
      cur = next;
    }
    loops.push(loop);
  }
  return loops;
}

/** Orient a loop so that its normal points from the inside (set) corners to the outside. */
function orient(loop: number[], config: number): number[] {
  const pts = loop.map(midpoint);
  let nx = 0,
    ny = 0,
    nz = 0;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i],
      q = pts[(i + 1) % pts.length];
    nx += (p[1] - q[1]) * (p[2] + q[2]);
    ny += (p[2] - q[2]) * (p[0] + q[0]);
    nz += (p[0] - q[0]) * (p[1] + q[1]);
  }
  // Each crossing edge runs from an inside corner to an outside one: the outward direction along it.
  let dot = 0;
  for (const e of loop) {
    const [u, v] = EDGES[e];
    const [a, b] = ((config >> u) & 1) === 1 ? [u, v] : [v, u];
    const pa = CORNERS[a],
      pb = CORNERS[b];
    dot += nx * (pb[0] - pa[0]) + ny * (pb[1] - pa[1]) + nz * (pb[2] - pa[2]);
  }
  return dot >= 0 ? loop : [...loop].reverse();
}

/** The corners of `side` lying on a cube face together with edge e (either face). */
function facesOfEdge(e: number): ReadonlyArray<readonly number[]> {
  const [u, v] = EDGES[e];
  return FACES.filter((f) => f.includes(u) && f.includes(v));
}

/**
 * Fan apex for 6- and 7-gons around a small side: a vertex on an edge from a corner t of that side such that neither
 * face through the edge holds another corner of the side (the edge leaves the side "away" from the ambiguous faces).
 */
function awayApex(loop: number[], side: Set<number>): number {
  for (let k = 0; k < loop.length; k++) {
    const [u, v] = EDGES[loop[k]];
    const t = side.has(u) ? u : v;
    const clear = facesOfEdge(loop[k]).every((f) => f.every((c) => c === t || !side.has(c)));
    if (clear) return k;
  }
  return -1;
}

function fan(loop: number[], apex: number): number[] {
  const r = [...loop.slice(apex), ...loop.slice(0, apex)];
  const out: number[] = [];
  for (let k = 1; k + 1 < r.length; k++) out.push(r[0], r[k], r[k + 1]);
  return out;
}

function triangulate(loop: number[], config: number): number[] {
  const n = loop.length;
  if (n === 3) return [...loop];
  if (n === 4) return [loop[0], loop[1], loop[2], loop[0], loop[2], loop[3]]; // always planar here
  // The loop's corners on either side (set / unset in the reduced configuration).
  const reduced = config & 0x80 ? config ^ 0xff : config;
  const sideA = new Set<number>(),
    sideB = new Set<number>();
  for (const e of loop) for (const c of EDGES[e]) (((reduced >> c) & 1) === 1 ? sideA : sideB).add(c);
  const small = sideA.size <= sideB.size ? sideA : sideB;
  if (n === 5) {
    // Three corners on a face: fan from the vertex on the out-of-face edge of an end corner of the run.
    const own = sideA.size === 3 ? sideA : sideB;
    const degIn = (c: number) => [...own].filter((d) => adjacent(c, d)).length;
    for (let k = 0; k < n; k++) {
      const [u, v] = EDGES[loop[k]];
      const [t, o] = own.has(u) ? [u, v] : [v, u];
      if (degIn(t) === 1 && degIn(o) === 1) return fan(loop, k);
    }
    throw new Error(`pentagon without apex in configuration ${config}`);
  }
  if (n === 6 && sideA.size === 4 && sideB.size === 4) {
    // Four-corner path (twisted hexagon) or star (planar): central triangle on alternate vertices plus three ears.
    const [a, b, c, d, e, f] = loop;
    return [a, b, c, c, d, e, e, f, a, a, c, e];
  }
  const apex = awayApex(loop, small);
  if (apex >= 0) return fan(loop, apex);
  if (n === 6) {
    // Three pairwise face-diagonal corners joined through ambiguous faces: zig-zag (all variants are symmetric).
    const [p0, p1, p2, p3, p4, p5] = loop;
    return [p5, p0, p1, p2, p3, p4, p1, p2, p5, p2, p4, p5];
  }
  throw new Error(`unexpected ${n}-gon in configuration ${config}`);
}

/** TRIANGLES[config] = flat list of edge indices, three per triangle, oriented outward (inside = set bits). */
export const TRIANGLES: ReadonlyArray<Int8Array> = Array.from({ length: 256 }, (_, config) => {
  const tris: number[] = [];
  for (const loop of loopsFor(config)) tris.push(...triangulate(orient(loop, config), config));
  return Int8Array.from(tris);
});

export { midpoint as edgeMidpoint };
