/** Colombia's departments as the maps draw them: the shipped shapes (`colombia-departments.json`), the projection that places a latitude/longitude on them, and which department a point falls in. */
import { readFileSync } from 'node:fs';
import { polygonContains } from 'd3-polygon';

/** Equirectangular: x grows east from `west`, y grows south from `north`, longitudes shrunk by cos(latitude) at the country's middle. */
export interface MapProjection {
  readonly west: number;
  readonly north: number;
  readonly cosLatitude: number;
  readonly unitsPerDegree: number;
  /** The archipelago of San Andrés y Providencia, drawn in an inset: points inside these bounds move by the shift first. */
  readonly inset: {
    readonly west: number;
    readonly east: number;
    readonly south: number;
    readonly north: number;
    readonly shiftLongitude: number;
    readonly shiftLatitude: number;
  };
}

export interface DepartmentShape {
  /** DIVIPOLA department code, two digits with the leading zero (`05`). */
  readonly code: string;
  readonly name: string;
  /** Polygons, each a list of rings (outer first, then holes), each ring flat `[x0, y0, x1, y1, …]` in map units. */
  readonly polygons: ReadonlyArray<ReadonlyArray<readonly number[]>>;
}

/** The shape of `colombia-departments.json`. */
export interface DepartmentShapes {
  readonly about: string;
  readonly attribution: string;
  readonly license: string;
  readonly width: number;
  readonly height: number;
  /** `[x, y, width, height]` of the archipelago's inset frame. */
  readonly insetBox: readonly [number, number, number, number];
  readonly projection: MapProjection;
  readonly departments: readonly DepartmentShape[];
}

/** A position on the map, in the shapes' units. */
export interface MapPoint {
  readonly x: number;
  readonly y: number;
}

// Read from the repository (as `src/catalog` reads its profile): the same relative path from src/web/maps and dist/web/maps.
const shapesFile = new URL('../../../src/web/maps/colombia-departments.json', import.meta.url);
let loaded: DepartmentShapes | undefined;

/** The shipped department shapes, read once. */
export function colombiaDepartments(): DepartmentShapes {
  loaded ??= JSON.parse(readFileSync(shapesFile, 'utf8')) as DepartmentShapes;
  return loaded;
}

/** Where a WGS84 latitude/longitude lands on the map; undefined outside Colombia's frame (a point elsewhere in the world would be drawn off the map). */
export function projectPoint(latitude: number, longitude: number, shapes: DepartmentShapes = colombiaDepartments()): MapPoint | undefined {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  const { projection } = shapes;
  const { inset } = projection;
  const inInset = longitude >= inset.west && longitude <= inset.east && latitude >= inset.south && latitude <= inset.north;
  const shiftedLongitude = longitude + (inInset ? inset.shiftLongitude : 0);
  const shiftedLatitude = latitude + (inInset ? inset.shiftLatitude : 0);
  const x = (shiftedLongitude - projection.west) * projection.cosLatitude * projection.unitsPerDegree;
  const y = (projection.north - shiftedLatitude) * projection.unitsPerDegree;
  return x >= 0 && y >= 0 && x <= shapes.width && y <= shapes.height ? { x, y } : undefined;
}

function ringPairs(ring: readonly number[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let index = 0; index + 1 < ring.length; index += 2) pairs.push([ring[index] as number, ring[index + 1] as number]);
  return pairs;
}

/** Whether `point` is inside `shape`: inside an odd number of its rings (an outer ring and not one of its holes). */
export function shapeContains(shape: DepartmentShape, point: MapPoint): boolean {
  let inside = 0;
  for (const polygon of shape.polygons) for (const ring of polygon) if (polygonContains(ringPairs(ring), [point.x, point.y])) inside += 1;
  return inside % 2 === 1;
}

/** The department whose drawn shape holds `point`, if any (a point at sea, off the sketched coast, has none). */
export function departmentAt(point: MapPoint, shapes: DepartmentShapes = colombiaDepartments()): DepartmentShape | undefined {
  return shapes.departments.find((shape) => shapeContains(shape, point));
}

/** The SVG path data of a shape (rings closed; holes cut by the even-odd rule). */
export function shapePath(shape: DepartmentShape): string {
  return shape.polygons
    .flatMap((polygon) => polygon.map((ring) => `M${ringPairs(ring).map(([x, y]) => `${x} ${y}`).join('L')}Z`))
    .join('');
}

/** Lowercase ASCII letters only: "Bogotá, D.C." and "BOGOTÁ. D.C." both become "bogotadc". */
function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/**
 * The department a catalog names, by DIVIPOLA code (`05`, or a municipality's `05001`) or by name
 * as agencies write it: exactly, or the one department whose name starts with it or contains it
 * ("Valle" → Valle del Cauca, "San Andrés" → the archipelago). Undefined when none or several fit.
 */
export function departmentNamed(value: string, shapes: DepartmentShapes = colombiaDepartments()): DepartmentShape | undefined {
  const text = value.trim();
  if (/^\d{2}(\d{3})?$/.test(text)) return shapes.departments.find((shape) => shape.code === text.slice(0, 2));
  const key = nameKey(text);
  if (key.length < 4) return undefined;
  const keyed = shapes.departments.map((shape) => ({ shape, name: nameKey(shape.name) }));
  const exact = keyed.find((entry) => entry.name === key);
  if (exact) return exact.shape;
  for (const fits of [(name: string) => name.startsWith(key), (name: string) => name.includes(key)]) {
    const found = keyed.filter((entry) => fits(entry.name));
    if (found.length === 1) return found[0]?.shape;
    if (found.length > 1) return undefined;
  }
  return undefined;
}
