/**
 * Generates `src/web/maps/colombia-departments.json`, the department shapes the server-side maps
 * draw. Run by hand, once (the output is checked in):
 *
 *   npx tsx test/tools/generate-colombia-departments.ts [../shared/data/colombia]
 *
 * There are no department outlines in the data we may ship, only the municipal seats (DANE DIVIPOLA
 * with coordinates). So each seat gets its Voronoi cell, clipped to a disc around the seat (wider
 * where seats are sparse, so the Amazon and the Llanos are not dots), and the cells of a department
 * are merged. The result is an honest sketch, not a survey: borders run halfway between seats and
 * coasts lie a disc's radius off the last seat. San Andrés y Providencia sits in an inset box in
 * the Caribbean corner, as on DANE's own maps.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Delaunay } from 'd3-delaunay';
import polygonClipping, { type Pair, type Polygon } from 'polygon-clipping';
import type { DepartmentShapes, MapProjection } from '../../src/web/maps/index.ts';

interface Seat {
  readonly code: string;
  readonly department: string;
  readonly latitude: number;
  readonly longitude: number;
}

const sharedColombia = process.argv[2] ?? fileURLToPath(new URL('../../../shared/data/colombia/', import.meta.url));
const output = fileURLToPath(new URL('../../src/web/maps/colombia-departments.json', import.meta.url));

/** Kilometres per degree of latitude, and of longitude at the map's middle latitude (about 4° N). */
const middleLatitude = 4;
const kmPerDegree = 111.2;
const cosMiddle = Math.cos((middleLatitude * Math.PI) / 180);
/** Disc radius bounds, km: at least this much land around a seat, at most this much where seats are far apart. */
const minRadius = 22;
const maxRadius = 260;
/** A disc's radius is this many times the median distance to the seat's Delaunay neighbours: enough to cover an inland cell whole, little beyond a coast. */
const radiusFactor = 1.1;
const discSides = 40;

/** The mainland's extreme points (Cabo Manglares, Punta Gallinas, the Río Negro at Isla San José, the Amazon below Leticia). */
const mainland = { west: -79.02, north: 12.46, east: -66.85, south: -4.23 };

/** The map frame (the mainland with a margin) and the archipelago's inset in its Caribbean corner. */
const projection: MapProjection = {
  west: -79.25,
  north: 12.75,
  cosLatitude: Number(cosMiddle.toFixed(6)),
  unitsPerDegree: 36,
  inset: { west: -82.5, east: -80, south: 11.5, north: 14.5, shiftLongitude: 2.6, shiftLatitude: -0.9 },
};
const south = -4.6;
const east = -66.6;

async function readSeats(): Promise<Seat[]> {
  const catalog = JSON.parse(await readFile(join(sharedColombia, 'divipola-dane/divipola_municipality_catalog.json'), 'utf8')) as {
    municipalities: Record<string, { department_code: string; latitude: number; longitude: number }>;
  };
  return Object.entries(catalog.municipalities).map(([code, seat]) => ({ code, department: seat.department_code, latitude: seat.latitude, longitude: seat.longitude }));
}

/** Department names in title case with accents, from the datos.gov.co "Departamentos y municipios" export (its codes lost their leading zeros). */
async function readDepartmentNames(): Promise<Map<string, string>> {
  const text = await readFile(join(sharedColombia, 'departamentos-municipios/Departamentos_y_municipios_de_Colombia.csv'), 'utf8');
  const names = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    // REGION,CÓDIGO DEPTO,DEPARTAMENTO,CÓDIGO MUNICIPIO,MUNICIPIO — one department name is quoted (it has a comma).
    const match = /^[^,]*,(\d+),("[^"]*"|[^,]*),/.exec(line);
    if (match?.[1] && match[2]) names.set(match[1].padStart(2, '0'), match[2].replace(/^"|"$/g, ''));
  }
  return names;
}

/** Equirectangular kilometres (the seats' Voronoi and discs are computed in them). */
const toKm = (longitude: number, latitude: number): Pair => [longitude * cosMiddle * kmPerDegree, -latitude * kmPerDegree];

function disc([x, y]: Pair, radius: number): Polygon {
  const ring: Pair[] = Array.from({ length: discSides }, (_, index) => {
    const angle = (2 * Math.PI * index) / discSides;
    return [x + radius * Math.cos(angle), y + radius * Math.sin(angle)];
  });
  ring.push(ring[0] as Pair);
  return [ring];
}

/** Coordinates snapped to 10 m: neighbouring cells then share their edges exactly (polygon-clipping fails on near-coincident edges). */
function snapped(polygon: Polygon): Polygon {
  const snap = (value: number) => Math.round(value * 100) / 100;
  return polygon.map((ring) => ring.map(([x, y]): Pair => [snap(x), snap(y)]));
}

/** Map units from kilometres, one decimal; the archipelago moved into its inset. */
function toMapUnits([xKm, yKm]: Pair, inInset: boolean): Pair {
  const longitude = xKm / (cosMiddle * kmPerDegree) + (inInset ? projection.inset.shiftLongitude : 0);
  const latitude = -yKm / kmPerDegree + (inInset ? projection.inset.shiftLatitude : 0);
  const x = (longitude - projection.west) * projection.cosLatitude * projection.unitsPerDegree;
  const y = (projection.north - latitude) * projection.unitsPerDegree;
  return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
}

/** A ring as flat numbers, repeated and collinear points dropped (a straight Voronoi edge needs only its ends). */
function flatRing(ring: readonly Pair[]): number[] {
  const points: Pair[] = [];
  for (const point of ring.slice(0, -1)) {
    const last = points[points.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push(point);
  }
  const kept = points.filter((point, index) => {
    const before = points[(index + points.length - 1) % points.length] as Pair;
    const after = points[(index + 1) % points.length] as Pair;
    const twiceArea = Math.abs((point[0] - before[0]) * (after[1] - before[1]) - (after[0] - before[0]) * (point[1] - before[1]));
    return twiceArea > 0.05;
  });
  return kept.flat();
}

async function main(): Promise<void> {
  const seats = await readSeats();
  const names = await readDepartmentNames();
  const points = seats.map((seat) => toKm(seat.longitude, seat.latitude));
  const delaunay = Delaunay.from(points);
  const [westKm, northKm] = toKm(-83, 15);
  const [eastKm, southKm] = toKm(-66, -5);
  const voronoi = delaunay.voronoi([westKm, northKm, eastKm, southKm]);

  // Land is the union of one disc per seat; each department is the union of its seats' Voronoi cells, cut to the land.
  // Cutting the merged cells (not each cell to its own disc) leaves no notches where neighbouring discs differ in size.
  const discs: Polygon[] = [];
  const cells = new Map<string, Polygon[]>();
  seats.forEach((seat, index) => {
    const here = points[index] as Pair;
    const neighbours = [...delaunay.neighbors(index)].map((other) => {
      const there = points[other] as Pair;
      return Math.hypot(there[0] - here[0], there[1] - here[1]);
    });
    neighbours.sort((a, b) => a - b);
    const median = neighbours[Math.floor(neighbours.length / 2)] ?? maxRadius;
    // An island seat (the archipelago: its neighbours are all across the sea) keeps the smallest disc.
    const radius = (neighbours[0] ?? 0) > 2 * maxRadius ? minRadius : Math.min(maxRadius, Math.max(minRadius, radiusFactor * median));
    discs.push(snapped(disc(here, radius)));
    cells.set(seat.department, [...(cells.get(seat.department) ?? []), snapped([voronoi.cellPolygon(index) as Pair[]])]);
  });
  const [firstDisc, ...otherDiscs] = discs;
  // The discs of border seats reach past the frontier: the mainland's extreme points bound them (the archipelago lies outside and is kept).
  const [frameWest, frameNorth] = toKm(mainland.west, mainland.north);
  const [frameEast, frameSouth] = toKm(mainland.east, mainland.south);
  const mainlandFrame: Polygon = [[[frameWest, frameNorth], [frameEast, frameNorth], [frameEast, frameSouth], [frameWest, frameSouth], [frameWest, frameNorth]]];
  const archipelago = discs.filter((_, index) => seats[index]?.department === '88');
  const land = firstDisc ? polygonClipping.union(polygonClipping.intersection(polygonClipping.union(firstDisc, ...otherDiscs), mainlandFrame), ...archipelago) : [];

  const departments: DepartmentShapes['departments'] = [...cells.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, parts]) => {
      const [first, ...rest] = parts;
      const merged = first ? polygonClipping.intersection(polygonClipping.union(first, ...rest), land) : [];
      const inInset = code === '88';
      const polygons = merged.map((polygon) => polygon.map((ring) => flatRing(ring.map((point) => toMapUnits(point, inInset))))).filter((polygon) => (polygon[0]?.length ?? 0) >= 6);
      const name = names.get(code);
      if (!name) throw new Error(`no name for department ${code}`);
      return { code, name, polygons };
    });

  const width = Math.ceil((east - projection.west) * projection.cosLatitude * projection.unitsPerDegree);
  const height = Math.ceil((projection.north - south) * projection.unitsPerDegree);
  const shapes: DepartmentShapes = {
    about: 'Colombia by department, sketched from DANE DIVIPOLA municipal seats: Voronoi cells of the seats clipped to discs and merged by department (generated by test/tools/generate-colombia-departments.ts; not survey boundaries).',
    attribution:
      'Derivado de DIVIPOLA, DANE (datos.gov.co gdxc-w37w, CC BY-SA 4.0), coordenadas vía github.com/luisrapalino/concurso-datos-abiertos-colombia-2026 (MIT); nombres vía github.com/john-guerra/resultadosSegundaVuelta2022_historia (MIT).',
    license: 'CC BY-SA 4.0',
    width,
    height,
    insetBox: insetBox(departments.find((department) => department.code === '88')?.polygons ?? []),
    projection,
    departments,
  };
  await writeFile(output, `${JSON.stringify(shapes)}\n`);
  const vertices = departments.reduce((sum, department) => sum + department.polygons.flat().reduce((count, ring) => count + ring.length / 2, 0), 0);
  console.log(`${departments.length} departments, ${vertices} vertices, ${width}×${height} units → ${output}`);
}

/** The inset's frame in map units: the archipelago's bounding box after its shift, with a margin. */
function insetBox(polygons: ReadonlyArray<ReadonlyArray<readonly number[]>>): readonly [number, number, number, number] {
  const xs = polygons.flatMap((polygon) => polygon.flatMap((ring) => ring.filter((_, index) => index % 2 === 0)));
  const ys = polygons.flatMap((polygon) => polygon.flatMap((ring) => ring.filter((_, index) => index % 2 === 1)));
  const margin = 10;
  const x = Math.min(...xs) - margin;
  const y = Math.min(...ys) - margin;
  return [x, y, Math.max(...xs) + margin - x, Math.max(...ys) + margin - y].map((value) => Math.round(value * 10) / 10) as [number, number, number, number];
}

await main();
