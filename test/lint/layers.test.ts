/**
 * The import boundaries of `src/`: folders form layers that import only downward (or across,
 * without a cycle), other folders only through their `index.ts` face, and no module imports
 * itself back through others. Biome's `noRestrictedImports` can forbid specifiers but not say
 * "not upward, not past a face" for every folder at once, so this test holds the line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

/** The layers, lowest first. A folder may import its own layer's folders and those below. */
const layers: readonly (readonly string[])[] = [
  ['errors', 'rdf', 'config'],
  ['mapping', 'catalog', 'store', 'sparql'],
  ['publish', 'harvest', 'usage', 'ldes'],
  ['web', 'http'],
  ['cli'],
];

const src = resolve(import.meta.dirname, '../../src');
const layerOf = new Map(layers.flatMap((folders, level) => folders.map((folder) => [folder, level] as const)));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative specifiers a module imports or re-exports (statically or with `import()`), type-only ones included. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*'(\.[^']+)'|(?:^|\n)\s*import\s*'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/g)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier !== undefined) found.push(specifier);
  }
  return found;
}

const topFolder = (file: string): string => relative(src, file).split('/')[0] ?? '';

interface Edge {
  readonly from: string;
  readonly to: string;
}

function edges(): Edge[] {
  return sourceFiles(src).flatMap((from) =>
    importsOf(readFileSync(from, 'utf8')).map((specifier) => ({ from, to: resolve(dirname(from), specifier).replace(/\.js$/, '.ts') })),
  );
}

const shown = (edge: Edge) => `${relative(src, edge.from)} → ${relative(src, edge.to)}`;

test('every folder under src/ has a place in the layers', () => {
  const folders = readdirSync(src).filter((name) => statSync(join(src, name)).isDirectory());
  const unplaced = folders.filter((folder) => !layerOf.has(folder));
  assert.equal(unplaced, [], `folders missing from the layer list in ${relative(process.cwd(), import.meta.filename)}`);
});

test('no folder imports a layer above its own', () => {
  const upward = edges().filter((edge) => (layerOf.get(topFolder(edge.to)) ?? 0) > (layerOf.get(topFolder(edge.from)) ?? 0));
  assert.equal(upward.map(shown), []);
});

test('other folders are imported only through their index.ts', () => {
  const past = edges().filter((edge) => topFolder(edge.from) !== topFolder(edge.to) && relative(join(src, topFolder(edge.to)), edge.to) !== 'index.ts');
  assert.equal(past.map(shown), []);
});

test('folders of one layer do not import each other both ways', () => {
  const pairs = new Set(edges().map((edge) => `${topFolder(edge.from)} ${topFolder(edge.to)}`));
  const both = [...pairs].filter((pair) => {
    const [a, b] = pair.split(' ');
    return a !== b && a !== undefined && b !== undefined && a < b && pairs.has(`${b} ${a}`);
  });
  assert.equal(both, []);
});

test('no module imports itself back through others', () => {
  const graph = new Map<string, string[]>();
  for (const edge of edges()) graph.set(edge.from, [...(graph.get(edge.from) ?? []), edge.to]);
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].map((item) => relative(src, item)).join(' → '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  assert.equal(cycles, []);
});

test('the import reader sees every form the code uses', () => {
  const text = "import type * as RDF from '@rdfjs/types';\nimport { a,\n  b } from './a.js';\nexport { c } from '../c/index.js';\nimport './side.js';\nconst d = await import('./d.js');";
  assert.equal(importsOf(text), ['./a.js', '../c/index.js', './side.js', './d.js']);
});

test.run();
