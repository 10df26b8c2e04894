/** The map renderer and its shipped shapes: classes of a choropleth, points landing in the right department, WKT points, the SVG's accessible parts. */
import { readFile, stat } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'csv-parse/sync';
import { classOf, colombiaDepartments, departmentAt, departmentNamed, parseWktPoint, projectPoint, renderColombiaMap, valueClasses } from '../../src/web/maps/index.ts';
import { uiWordsFor } from '../../src/web/ui-words.ts';

const shapesFile = new URL('../../src/web/maps/colombia-departments.json', import.meta.url);
const words = uiWordsFor('es').usage.map;
const number = (value: number) => value.toLocaleString('es-CO');

test('the shipped shapes: 33 departments with their DIVIPOLA codes, small, with their attribution', async () => {
  const shapes = colombiaDepartments();
  const codes = shapes.departments.map((shape) => shape.code);
  assert.is(new Set(codes).size, 33);
  assert.ok(codes.every((code) => /^\d{2}$/.test(code)));
  const { size } = await stat(shapesFile);
  console.log(`colombia-departments.json: ${(size / 1024).toFixed(1)} KB`);
  assert.ok(size < 200 * 1024, `${size} bytes`);
  assert.match(shapes.attribution, /DANE/);
  assert.match(shapes.license, /CC BY-SA 4\.0/);
});

test('each municipality of the sample (data/municipios.csv) lands in its own department', async () => {
  const rows = parse(await readFile(new URL('../../data/municipios.csv', import.meta.url), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  assert.ok(rows.length >= 10);
  for (const row of rows) {
    const at = projectPoint(Number(row.latitud), Number(row.longitud));
    assert.ok(at, `${row.municipio} is on the map`);
    assert.is(at && departmentAt(at)?.code, row.codigo_departamento, `${row.municipio}`);
  }
});

test('every municipal seat of the DIVIPOLA source lands in its department, Providencia in the inset', async () => {
  const source = JSON.parse(await readFile(new URL('../../../shared/data/colombia/divipola-dane/divipola_municipality_catalog.json', import.meta.url), 'utf8')) as {
    municipalities: Record<string, { department_code: string; latitude: number; longitude: number }>;
  };
  const seats = Object.entries(source.municipalities);
  const misplaced = seats.filter(([, seat]) => {
    const at = projectPoint(seat.latitude, seat.longitude);
    return !at || departmentAt(at)?.code !== seat.department_code;
  });
  assert.equal(misplaced.map(([code]) => code), []);
  const providencia = projectPoint(13.3732, -81.3684);
  const [x, y, width, height] = colombiaDepartments().insetBox;
  assert.ok(providencia && providencia.x >= x && providencia.x <= x + width && providencia.y >= y && providencia.y <= y + height, 'inside the inset frame');
});

test('points off the country: outside the frame none, at sea no department', () => {
  assert.is(projectPoint(40.4, -3.7), undefined, 'Madrid');
  assert.is(projectPoint(Number.NaN, -75), undefined);
  const caribbean = projectPoint(11.5, -77.5);
  assert.ok(caribbean, 'inside the frame');
  assert.is(caribbean && departmentAt(caribbean), undefined);
});

test('departments named as agencies write them', () => {
  for (const [text, code] of [
    ['05', '05'],
    ['76001', '76'],
    ['BOGOTÁ. D.C.', '11'],
    ['Bogotá, D.C.', '11'],
    ['Valle', '76'],
    ['San Andrés', '88'],
    ['Santander', '68'],
    ['Norte de Santander', '54'],
    ['nariño', '52'],
  ] as const) {
    assert.is(departmentNamed(text)?.code, code, text);
  }
  assert.is(departmentNamed('Atlantis'), undefined);
  assert.is(departmentNamed('99999')?.code, '99');
  assert.is(departmentNamed('00'), undefined);
});

test('choropleth classes: zero is none, the largest value takes the top class, classes grow with values and hold them', () => {
  const values = new Map([
    ['05', 1200],
    ['11', 430],
    ['76', 57],
    ['13', 9],
    ['52', 1],
    ['08', 0],
  ]);
  const classes = valueClasses(Math.max(...values.values()));
  assert.is(classes.length, 5);
  assert.is(classes[0]?.from, 1);
  assert.is(classes[classes.length - 1]?.to, 1200);
  classes.forEach((valueClass, index) => {
    assert.ok(valueClass.from <= valueClass.to);
    if (index > 0) assert.is(valueClass.from, (classes[index - 1]?.to ?? 0) + 1, 'contiguous');
  });
  assert.is(classOf(0, classes), 0);
  assert.is(classOf(undefined, classes), 0);
  assert.is(classOf(1200, classes), 5);
  assert.is(classOf(1, classes), 1);
  const ordered = [...values.values()].sort((a, b) => a - b);
  for (let index = 1; index < ordered.length; index += 1) assert.ok(classOf(ordered[index], classes) >= classOf(ordered[index - 1], classes), 'monotone');
  for (const value of ordered.filter((value) => value > 0)) {
    const held = classes[classOf(value, classes) - 1];
    assert.ok(held && value >= held.from && value <= held.to, `${value} in its class`);
  }
  // Few distinct values get few classes, never empty ones.
  assert.equal(valueClasses(2), [
    { from: 1, to: 1 },
    { from: 2, to: 2 },
  ]);

  const svg = renderColombiaMap({ id: 'm', title: 'Usos', summary: 'Mapa.', values, size: 'large', words, formatNumber: number });
  const classOfPath = (code: string) => new RegExp(`class="department c(\\d)" data-code="${code}"`).exec(svg)?.[1];
  assert.is(classOfPath('05'), '5');
  assert.is(classOfPath('08'), '0');
  assert.is(classOfPath('99'), '0', 'a department without a value is "none"');
  assert.is(classOfPath('52'), '1');
  assert.ok(Number(classOfPath('11')) > Number(classOfPath('76')) && Number(classOfPath('76')) > Number(classOfPath('13')));
  assert.is([...svg.matchAll(/<span class="swatch c\d"/g)].length, classes.length + 1, 'a legend entry per class and "none"');
});

test('the SVG is an image with a title and a description naming the figures, and a table of them', () => {
  const html = renderColombiaMap({
    id: 'usage-map',
    title: 'Usos por departamento',
    summary: 'Mapa de Colombia.',
    values: new Map([['05', 1200]]),
    points: [{ latitude: 6.2476, longitude: -75.5658 }, { latitude: 40.4, longitude: -3.7 }],
    size: 'small',
    words,
    formatNumber: number,
  });
  assert.match(html, /<svg class="map map-small" role="img" aria-labelledby="usage-map-title usage-map-desc"/);
  assert.match(html, /<title id="usage-map-title">Usos por departamento<\/title>/);
  const description = /<desc id="usage-map-desc">([^<]*)<\/desc>/.exec(html)?.[1] ?? '';
  assert.match(description, /Antioquia: 1\.200/);
  assert.match(description, /2 puntos/);
  assert.match(description, /Antioquia: 1 punto/);
  assert.match(description, /1 punto fuera/);
  assert.is([...html.matchAll(/<circle class="place"/g)].length, 1, 'the point off the map is not drawn');
  assert.match(html, /<table><thead><tr><th scope="col">Departamento<\/th><th scope="col">Valor<\/th><\/tr><\/thead><tbody><tr><td>Antioquia<\/td><td>1\.200<\/td><\/tr>/);
});

test('WKT points: longitude first by default and in CRS84, latitude first in EPSG:4326, projected systems refused', () => {
  assert.equal(parseWktPoint('POINT(-76.53 3.45)'), { longitude: -76.53, latitude: 3.45 });
  assert.equal(parseWktPoint('<http://www.opengis.net/def/crs/OGC/1.3/CRS84> Point (-76.53 3.45)'), { longitude: -76.53, latitude: 3.45 });
  assert.equal(parseWktPoint('<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(3.45 -76.53)'), { latitude: 3.45, longitude: -76.53 });
  assert.equal(parseWktPoint('POINT Z (-76.53 3.45 1000)'), { longitude: -76.53, latitude: 3.45 });
  assert.is(parseWktPoint('<http://www.opengis.net/def/crs/EPSG/0/3116> POINT(1060000 870000)'), undefined);
  assert.is(parseWktPoint('LINESTRING(0 0, 1 1)'), undefined);
});

test.run();
