/** The words of the browser UI's own pages (catalog, dataset, query editor, search), in Spanish and English. */
import type { UiLanguage } from './language.js';

/** The units the quality section names (see `quality-chart.ts`). */
type CountedUnit = 'rows' | 'cells' | 'columns' | 'days' | 'count';

export interface UiWords {
  readonly siteName: string;
  readonly mainNavigation: string;
  readonly breadcrumbs: string;
  readonly home: string;
  readonly catalog: string;
  readonly query: string;
  readonly search: string;
  readonly searchLabel: string;
  readonly searchPlaceholder: string;
  readonly otherLanguage: string;
  readonly homeTitle: string;
  readonly homeIntro: string;
  readonly datasetsFound: (count: number) => string;
  readonly filters: string;
  /** The EU data themes. */
  readonly themes: string;
  /** The portal's own categories (`kos/tema`). */
  readonly categories: string;
  readonly publishers: string;
  readonly keywords: string;
  readonly removeFilter: string;
  readonly clearFilters: string;
  readonly noDatasets: string;
  readonly triples: (count: number) => string;
  /** `dct:modified`: when the publisher last changed the data. */
  readonly modified: string;
  /** When the store loaded the dataset. */
  readonly imported: string;
  readonly metadata: string;
  readonly title: string;
  readonly description: string;
  readonly publisher: string;
  readonly license: string;
  readonly issued: string;
  readonly identifier: string;
  readonly graph: string;
  readonly quality: string;
  readonly qualityMetric: string;
  readonly qualityValue: string;
  readonly qualityTable: string;
  readonly emptyCellsByColumn: (rows: string) => string;
  readonly ratios: string;
  readonly unitTitle: (unit: Exclude<CountedUnit, 'days'>) => string;
  readonly unitAmount: (unit: CountedUnit, amount: string) => string;
  readonly scale: (from: string, to: string) => string;
  readonly yes: string;
  readonly no: string;
  readonly downloads: string;
  readonly format: string;
  readonly exampleQueries: string;
  readonly openInEditor: string;
  readonly sampleResources: string;
  readonly provenance: string;
  readonly importStarted: string;
  readonly importEnded: string;
  readonly rowsRead: string;
  readonly triplesWritten: string;
  readonly problems: string;
  readonly inputs: string;
  readonly noProvenance: string;
  readonly allDescriptions: string;
  readonly queryTitle: string;
  readonly queryIntro: string;
  readonly queryNoScript: string;
  readonly chart: string;
  /** The name of a new query tab in the editor. */
  readonly tab: string;
  readonly searchTitle: string;
  readonly searchResults: (count: number, query: string) => string;
  readonly searchNothing: (query: string) => string;
  readonly searchHint: string;
  readonly listItems: string;
  readonly countByClass: string;
  readonly language: string;
}

const spanish: UiWords = {
  siteName: 'Vínculo',
  mainNavigation: 'Navegación principal',
  breadcrumbs: 'Ruta de navegación',
  home: 'Inicio',
  catalog: 'Catálogo',
  query: 'Consulta SPARQL',
  search: 'Buscar',
  searchLabel: 'Buscar en los datos',
  searchPlaceholder: 'Municipio, entidad, conjunto…',
  otherLanguage: 'English',
  homeTitle: 'Datos abiertos enlazados',
  homeIntro: 'Conjuntos de datos publicados como datos enlazados: cada fila tiene una URI, y todo se puede consultar con SPARQL o descargar.',
  datasetsFound: (count) => (count === 1 ? '1 conjunto de datos' : `${count} conjuntos de datos`),
  filters: 'Filtros',
  themes: 'Temas',
  categories: 'Categorías del portal',
  publishers: 'Publicadores',
  keywords: 'Palabras clave',
  removeFilter: 'Quitar filtro',
  clearFilters: 'Quitar todos los filtros',
  noDatasets: 'Ningún conjunto de datos coincide con los filtros.',
  triples: (count) => `${count.toLocaleString('es-CO')} tripletas`,
  modified: 'Actualizado',
  imported: 'Importado',
  metadata: 'Metadatos',
  title: 'Título',
  description: 'Descripción',
  publisher: 'Publicador',
  license: 'Licencia',
  issued: 'Publicado',
  identifier: 'Identificador',
  graph: 'Grafo',
  quality: 'Calidad de los datos',
  qualityMetric: 'Métrica',
  qualityValue: 'Valor',
  qualityTable: 'Todas las mediciones en una tabla',
  emptyCellsByColumn: (rows) => `Celdas vacías por columna, en % de las ${rows} filas leídas`,
  ratios: 'Proporciones, en %',
  unitTitle: (unit) => ({ rows: 'Filas', cells: 'Celdas y valores', columns: 'Columnas', count: 'Otras cantidades' })[unit],
  unitAmount: (unit, amount) => (unit === 'count' ? amount : `${amount} ${{ rows: 'filas', cells: 'celdas', columns: 'columnas', days: 'días' }[unit]}`),
  scale: (from, to) => `Escala de ${from} a ${to}`,
  yes: 'sí',
  no: 'no',
  downloads: 'Descargas',
  format: 'Formato',
  exampleQueries: 'Consultas de ejemplo',
  openInEditor: 'Abrir en el editor',
  sampleResources: 'Recursos de muestra',
  provenance: 'Procedencia',
  importStarted: 'Importación iniciada',
  importEnded: 'Importación terminada',
  rowsRead: 'Filas leídas',
  triplesWritten: 'Tripletas escritas',
  problems: 'Problemas',
  inputs: 'Archivos leídos',
  noProvenance: 'No hay registro de la importación.',
  allDescriptions: 'Descripción completa en RDF',
  queryTitle: 'Consulta SPARQL',
  queryIntro: 'Escriba una consulta SPARQL 1.1 y ejecútela con Ctrl+Enter. Los prefijos de nuestros vocabularios ya están declarados.',
  queryNoScript: 'El editor necesita JavaScript. Sin él, envíe la consulta con este formulario.',
  chart: 'Gráfico',
  tab: 'Consulta',
  searchTitle: 'Búsqueda',
  searchResults: (count, query) => (count === 1 ? `1 resultado para «${query}»` : `${count} resultados para «${query}»`),
  searchNothing: (query) => `Nada coincide con «${query}».`,
  searchHint: 'Busca en nombres y títulos, sin importar tildes ni mayúsculas; basta el comienzo de cada palabra.',
  listItems: 'Recursos con su nombre',
  countByClass: 'Recursos por clase',
  language: 'Idioma',
};

const english: UiWords = {
  siteName: 'Vínculo',
  mainNavigation: 'Main navigation',
  breadcrumbs: 'Breadcrumbs',
  home: 'Home',
  catalog: 'Catalog',
  query: 'SPARQL query',
  search: 'Search',
  searchLabel: 'Search the data',
  searchPlaceholder: 'Municipality, agency, dataset…',
  otherLanguage: 'Español',
  homeTitle: 'Linked open data',
  homeIntro: 'Datasets published as linked data: every row has a URI, and everything can be queried with SPARQL or downloaded.',
  datasetsFound: (count) => (count === 1 ? '1 dataset' : `${count} datasets`),
  filters: 'Filters',
  themes: 'Themes',
  categories: 'Portal categories',
  publishers: 'Publishers',
  keywords: 'Keywords',
  removeFilter: 'Remove filter',
  clearFilters: 'Clear all filters',
  noDatasets: 'No dataset matches the filters.',
  triples: (count) => `${count.toLocaleString('en-US')} triples`,
  modified: 'Updated',
  imported: 'Imported',
  metadata: 'Metadata',
  title: 'Title',
  description: 'Description',
  publisher: 'Publisher',
  license: 'Licence',
  issued: 'Issued',
  identifier: 'Identifier',
  graph: 'Graph',
  quality: 'Data quality',
  qualityMetric: 'Metric',
  qualityValue: 'Value',
  qualityTable: 'All measurements as a table',
  emptyCellsByColumn: (rows) => `Empty cells by column, as % of the ${rows} rows read`,
  ratios: 'Ratios, in %',
  unitTitle: (unit) => ({ rows: 'Rows', cells: 'Cells and values', columns: 'Columns', count: 'Other amounts' })[unit],
  unitAmount: (unit, amount) => (unit === 'count' ? amount : `${amount} ${{ rows: 'rows', cells: 'cells', columns: 'columns', days: 'days' }[unit]}`),
  scale: (from, to) => `Scale from ${from} to ${to}`,
  yes: 'yes',
  no: 'no',
  downloads: 'Downloads',
  format: 'Format',
  exampleQueries: 'Example queries',
  openInEditor: 'Open in the editor',
  sampleResources: 'Sample resources',
  provenance: 'Provenance',
  importStarted: 'Import started',
  importEnded: 'Import ended',
  rowsRead: 'Rows read',
  triplesWritten: 'Triples written',
  problems: 'Problems',
  inputs: 'Files read',
  noProvenance: 'There is no record of the import.',
  allDescriptions: 'Full description in RDF',
  queryTitle: 'SPARQL query',
  queryIntro: 'Write a SPARQL 1.1 query and run it with Ctrl+Enter. The prefixes of our vocabularies are already declared.',
  queryNoScript: 'The editor needs JavaScript. Without it, send the query with this form.',
  chart: 'Chart',
  tab: 'Query',
  searchTitle: 'Search',
  searchResults: (count, query) => (count === 1 ? `1 result for “${query}”` : `${count} results for “${query}”`),
  searchNothing: (query) => `Nothing matches “${query}”.`,
  searchHint: 'Searches names and titles, ignoring accents and case; the start of each word is enough.',
  listItems: 'Resources with their names',
  countByClass: 'Resources by class',
  language: 'Language',
};

export function uiWordsFor(language: UiLanguage): UiWords {
  return language === 'en' ? english : spanish;
}
