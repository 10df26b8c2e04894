/** Server-rendered maps of Colombia: departments shaded by a value (a choropleth in classes), points on top, a legend, and the same facts as a table for readers who do not see the picture. */
import { escapeHtml } from '../html.js';
import { type DepartmentShape, type DepartmentShapes, type MapPoint, colombiaDepartments, departmentAt, projectPoint, shapePath } from './colombia.js';

/** One class of a choropleth: values from `from` to `to`, both included. */
export interface ValueClass {
  readonly from: number;
  readonly to: number;
}

/**
 * Up to `count` classes for whole-number values from 1 to `max`, on a logarithmic scale (use is
 * heavy-tailed: one dataset with 10,000 views must not leave all others in the palest class),
 * bounded by round numbers (1, 2 or 5 times a power of ten) except the top, which is `max`.
 * Zero is outside every class: it is drawn as "none".
 */
export function valueClasses(max: number, count = 5): ValueClass[] {
  const top = Math.max(1, Math.ceil(max));
  const tops: number[] = [];
  for (let index = 1; index <= count; index += 1) {
    const raw = index === count ? top : roundNumber(top ** (index / count));
    const bounded = Math.min(top, Math.max(raw, (tops[tops.length - 1] ?? 0) + 1));
    if (bounded > (tops[tops.length - 1] ?? 0)) tops.push(bounded);
  }
  return tops.map((to, index) => ({ from: index === 0 ? 1 : (tops[index - 1] as number) + 1, to }));
}

/** The nearest of 1, 2 or 5 times a power of ten at or below `value` (never below 1). */
function roundNumber(value: number): number {
  if (value < 2) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [5, 2, 1].map((step) => step * power).find((candidate) => candidate <= value) ?? power;
}

/** The class number of `value` among `classes`: 0 for none (zero or missing), else 1 to `classes.length`. */
export function classOf(value: number | undefined, classes: readonly ValueClass[]): number {
  if (value === undefined || !(value > 0)) return 0;
  const index = classes.findIndex((valueClass) => value <= valueClass.to);
  return index < 0 ? classes.length : index + 1;
}

export interface PlacedPoint {
  readonly latitude: number;
  readonly longitude: number;
  /** What the point is, for its tooltip. */
  readonly label?: string;
}

export interface MapWords {
  /** "1–10" for a class, in the page's number format. */
  readonly range: (from: string, to: string) => string;
  readonly none: string;
  readonly department: string;
  readonly value: string;
  readonly table: string;
  readonly points: (count: number) => string;
  readonly pointsIn: (department: string, count: number) => string;
  readonly pointsOutside: (count: number) => string;
  readonly attribution: string;
  readonly inset: string;
}

export interface ColombiaMapInput {
  /** Unique among the page's maps: the SVG's title and description ids derive from it. */
  readonly id: string;
  readonly title: string;
  /** What the map shows, in words, before the figures (the figures are added). */
  readonly summary: string;
  /** Values by DIVIPOLA department code: the departments are shaded by them. */
  readonly values?: ReadonlyMap<string, number>;
  /** The name of the value in the table's heading ("Uses", "Places"). */
  readonly valueName?: string;
  readonly points?: readonly PlacedPoint[];
  /** A department drawn outlined (the one a resource's point falls in). */
  readonly highlight?: string;
  /** `small`: the dataset and resource pages; `large`: the usage page. */
  readonly size: 'small' | 'large';
  readonly words: MapWords;
  readonly formatNumber: (value: number) => string;
}

interface ProjectedPoint {
  readonly point: PlacedPoint;
  readonly at: MapPoint;
  readonly department?: DepartmentShape;
}

/**
 * A `<figure>` with the map as an SVG image (`role="img"`, `<title>` and `<desc>` naming every
 * value), its legend, the source's attribution, and a `<details>` table of the same figures.
 * Points outside Colombia's frame are left out and counted in the table.
 */
export function renderColombiaMap(input: ColombiaMapInput, shapes: DepartmentShapes = colombiaDepartments()): string {
  const { id, words, formatNumber: number, values = new Map<string, number>(), points = [] } = input;
  const max = Math.max(0, ...values.values());
  const classes = values.size > 0 ? valueClasses(max) : [];
  const byCode = new Map(shapes.departments.map((shape) => [shape.code, shape]));
  const projected: ProjectedPoint[] = [];
  for (const point of points) {
    const at = projectPoint(point.latitude, point.longitude, shapes);
    if (at) projected.push({ point, at, department: departmentAt(at, shapes) });
  }
  const outside = points.length - projected.filter((entry) => entry.department).length;

  const departments = shapes.departments
    .map((shape) => {
      const value = values.get(shape.code);
      const shade = values.size > 0 ? ` c${classOf(value, classes)}` : '';
      const highlight = shape.code === input.highlight ? ' highlight' : '';
      const tip = value === undefined ? shape.name : `${shape.name}: ${number(value)}`;
      return `<path class="department${shade}${highlight}" data-code="${shape.code}" d="${shapePath(shape)}"><title>${escapeHtml(tip)}</title></path>`;
    })
    .join('');
  const radius = input.size === 'small' ? (projected.length > 200 ? 2.5 : 5) : 4;
  const marks = projected
    .map(({ point, at }) => `<circle class="place" cx="${at.x.toFixed(1)}" cy="${at.y.toFixed(1)}" r="${radius}">${point.label ? `<title>${escapeHtml(point.label)}</title>` : ''}</circle>`)
    .join('');
  const [insetX, insetY, insetWidth, insetHeight] = shapes.insetBox;
  const inset = `<rect class="inset" x="${insetX}" y="${insetY}" width="${insetWidth}" height="${insetHeight}"><title>${escapeHtml(words.inset)}</title></rect>`;

  const shaded = [...values.entries()].filter(([, value]) => value > 0).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const nameOf = (code: string) => byCode.get(code)?.name ?? code;
  const pointCounts = new Map<string, number>();
  for (const { department } of projected) if (department) pointCounts.set(department.code, (pointCounts.get(department.code) ?? 0) + 1);
  const facts = [
    ...shaded.map(([code, value]) => `${nameOf(code)}: ${number(value)}`),
    ...(points.length > 0 ? [words.points(points.length)] : []),
    ...[...pointCounts.entries()].map(([code, count]) => words.pointsIn(nameOf(code), count)),
    ...(outside > 0 ? [words.pointsOutside(outside)] : []),
  ];
  const description = `${input.summary}${facts.length > 0 ? ` ${facts.join('; ')}.` : ''}`;
  const svg = `<svg class="map map-${input.size}" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${shapes.width} ${shapes.height}"><title id="${id}-title">${escapeHtml(input.title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc><g class="departments">${departments}</g>${inset}<g class="places">${marks}</g></svg>`;

  const legend =
    classes.length === 0
      ? ''
      : `<ul class="map-legend">${[{ label: words.none, shade: 0 }, ...classes.map((valueClass, index) => ({ label: valueClass.from === valueClass.to ? number(valueClass.to) : words.range(number(valueClass.from), number(valueClass.to)), shade: index + 1 }))]
          .map((entry) => `<li><span class="swatch c${entry.shade}" aria-hidden="true"></span>${escapeHtml(entry.label)}</li>`)
          .join('')}</ul>`;
  const rows = [
    ...shaded.map(([code, value]) => ({ name: nameOf(code), value: number(value) })),
    ...(values.size > 0 ? [] : [...pointCounts.entries()].sort(([, a], [, b]) => b - a).map(([code, count]) => ({ name: nameOf(code), value: number(count) }))),
  ];
  const table =
    rows.length === 0
      ? ''
      : `<details class="map-table"><summary>${escapeHtml(words.table)}</summary><table><thead><tr><th scope="col">${escapeHtml(words.department)}</th><th scope="col">${escapeHtml(input.valueName ?? words.value)}</th></tr></thead><tbody>${rows
          .map((row) => `<tr><td>${escapeHtml(row.name)}</td><td>${escapeHtml(row.value)}</td></tr>`)
          .join('')}</tbody></table></details>`;
  return `<figure class="colombia-map" id="${id}">
${svg}
<figcaption>${escapeHtml(input.title)}</figcaption>
${legend}
<p class="meta map-attribution">${escapeHtml(words.attribution)}</p>
${table}
</figure>`;
}
