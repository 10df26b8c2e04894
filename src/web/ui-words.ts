/** The words of the browser UI's own pages (catalog, dataset, query editor, search), in Spanish and English. */
import type { UiLanguage } from './language.js';
import type { MapWords } from './maps/index.js';
import type { ChartedMetric } from './usage-kinds.js';

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
  /** The usage pages (`/uso`, `/usage`), the dataset page's use, reuse and place sections, and the maps. */
  readonly usage: UsageWords;
}

// ---- Usage pages and maps (usage-page.ts, usage-chart.ts, maps/) ----
export interface UsageWords {
  readonly navigation: string;
  /** The usage page's path under the site's root, in this language's words. */
  readonly pagePath: 'uso' | 'usage';
  readonly pageTitle: string;
  readonly intro: (from: string, to: string) => string;
  readonly kinds: Readonly<Record<ChartedMetric, string>>;
  /** The sum of the request kinds a ranking orders by. */
  readonly uses: string;
  readonly usesExplained: string;
  readonly rankBy: string;
  readonly topDatasets: string;
  readonly topAgencies: string;
  readonly dataset: string;
  readonly agency: string;
  readonly usedDatasets: string;
  readonly department: string;
  readonly national: string;
  readonly nothingCounted: string;
  readonly mapTitle: string;
  readonly mapSummary: string;
  readonly nationalUses: (uses: string) => string;
  readonly departmentRule: string;
  readonly asSparql: string;
  readonly datasetUse: string;
  readonly portalUse: string;
  readonly noUse: (days: number) => string;
  readonly chartTitle: (days: number) => string;
  readonly chartScale: string;
  readonly kindSummary: (kind: string, total: string, peak: string, peakDay: string) => string;
  readonly total: (count: string) => string;
  readonly peak: (count: string) => string;
  readonly dailyTable: string;
  readonly day: string;
  readonly reuses: string;
  readonly places: string;
  readonly placesTitle: string;
  readonly placesSummary: (sampled: boolean) => string;
  readonly divipolaCodes: string;
  readonly location: string;
  readonly locationSummary: (latitude: string, longitude: string) => string;
  readonly map: MapWords;
}

const spanishUsage: UsageWords = {
  navigation: 'Uso',
  pagePath: 'uso',
  pageTitle: 'Uso de los datos',
  intro: (from, to) => `Qué conjuntos de datos y qué entidades se usan más, del ${from} al ${to} (30 días). Cada cifra es una medición DQV publicada en el catálogo; ninguna dirección, consulta ni credencial se guarda.`,
  kinds: {
    documentViews: 'Documentos consultados',
    documentViewsHuman: 'Páginas vistas por personas',
    documentViewsMachine: 'Documentos leídos por programas',
    sparqlQueries: 'Consultas SPARQL',
    sparqlResultRows: 'Filas devueltas por SPARQL',
    dumpDownloads: 'Descargas de volcados',
    fragmentPages: 'Páginas de fragmentos (TPF)',
    ldesPages: 'Páginas LDES',
    portalHarvests: 'Cosechas de otros portales',
    distinctClients: 'Clientes distintos (estimado)',
  },
  uses: 'Usos',
  usesExplained: 'Usos: documentos consultados, consultas SPARQL, descargas de volcados y páginas de fragmentos y LDES, sumados. Las cosechas de otros portales ya están entre ellos y se muestran aparte.',
  rankBy: 'Ordenar por',
  topDatasets: 'Conjuntos de datos más usados',
  topAgencies: 'Entidades más usadas',
  dataset: 'Conjunto de datos',
  agency: 'Entidad',
  usedDatasets: 'Conjuntos usados',
  department: 'Departamento',
  national: 'Nacional o sin departamento',
  nothingCounted: 'Todavía no se ha contado ningún uso en estos 30 días.',
  mapTitle: 'Usos por departamento de la entidad publicadora',
  mapSummary: 'Mapa de Colombia por departamento; cada uno sombreado según los usos de los conjuntos de datos que publican sus entidades.',
  nationalUses: (uses) => `Entidades nacionales o sin departamento conocido: ${uses} usos (fuera del mapa).`,
  departmentRule: 'El departamento de una entidad es su código o nombre DIVIPOLA en el catálogo (vin:departamento, o el de su municipio); si no lo tiene, el único departamento de la cobertura del conjunto (dct:spatial). Las entidades del orden nacional y las demás cuentan como nacionales.',
  asSparql: 'Los diez conjuntos más usados de estos 30 días, en SPARQL',
  datasetUse: 'Uso',
  portalUse: 'Uso de todo el portal',
  noUse: (days) => `No se ha contado ningún uso en los últimos ${days} días.`,
  chartTitle: (days) => `Uso diario por tipo, últimos ${days} días`,
  chartScale: 'Cada franja tiene su propia escala, de cero al día de más uso',
  kindSummary: (kind, total, peak, peakDay) => `${kind}: ${total} en total, máximo ${peak} el ${peakDay}`,
  total: (count) => `${count} en total`,
  peak: (count) => `máximo ${count} al día`,
  dailyTable: 'Las cifras de cada día en una tabla',
  day: 'Día',
  reuses: 'Reutilizaciones',
  places: 'Lugares',
  placesTitle: 'Lugares que cubre el conjunto de datos',
  placesSummary: (sampled) => `Mapa de Colombia con los lugares del conjunto: puntos con coordenadas y departamentos sombreados según sus códigos DIVIPOLA${sampled ? ' (una muestra)' : ''}.`,
  divipolaCodes: 'Códigos DIVIPOLA',
  location: 'Ubicación',
  locationSummary: (latitude, longitude) => `Mapa de Colombia con el punto en latitud ${latitude}, longitud ${longitude}.`,
  map: {
    range: (from, to) => `${from} a ${to}`,
    none: 'ninguno',
    department: 'Departamento',
    value: 'Valor',
    table: 'Las cifras del mapa en una tabla',
    points: (count) => (count === 1 ? '1 punto' : `${count} puntos`),
    pointsIn: (department, count) => `${department}: ${count === 1 ? '1 punto' : `${count} puntos`}`,
    pointsOutside: (count) => (count === 1 ? '1 punto fuera de los departamentos dibujados' : `${count} puntos fuera de los departamentos dibujados`),
    attribution: 'Mapa esbozado a partir de las cabeceras municipales de DIVIPOLA (DANE, CC BY-SA 4.0); los límites son aproximados.',
    inset: 'San Andrés, Providencia y Santa Catalina (recuadro, fuera de escala de posición)',
  },
};

const englishUsage: UsageWords = {
  navigation: 'Usage',
  pagePath: 'usage',
  pageTitle: 'Use of the data',
  intro: (from, to) => `Which datasets and which agencies are used most, from ${from} to ${to} (30 days). Every figure is a DQV measurement published in the catalog; no address, query or credential is stored.`,
  kinds: {
    documentViews: 'Documents dereferenced',
    documentViewsHuman: 'Pages viewed by people',
    documentViewsMachine: 'Documents read by programs',
    sparqlQueries: 'SPARQL queries',
    sparqlResultRows: 'Rows returned by SPARQL',
    dumpDownloads: 'Dump downloads',
    fragmentPages: 'Fragment pages (TPF)',
    ldesPages: 'LDES pages',
    portalHarvests: 'Harvests by other portals',
    distinctClients: 'Distinct clients (estimate)',
  },
  uses: 'Uses',
  usesExplained: 'Uses: documents dereferenced, SPARQL queries, dump downloads, and fragment and LDES pages, added up. Harvests by other portals are among them and shown apart.',
  rankBy: 'Rank by',
  topDatasets: 'Most used datasets',
  topAgencies: 'Most used agencies',
  dataset: 'Dataset',
  agency: 'Agency',
  usedDatasets: 'Datasets used',
  department: 'Department',
  national: 'National or no department',
  nothingCounted: 'No use has been counted in these 30 days yet.',
  mapTitle: 'Uses by department of the publishing agency',
  mapSummary: 'Map of Colombia by department; each shaded by the uses of the datasets its agencies publish.',
  nationalUses: (uses) => `National agencies or agencies without a known department: ${uses} uses (off the map).`,
  departmentRule: 'An agency’s department is its DIVIPOLA code or name in the catalog (vin:departamento, or that of its municipality); failing that, the only department the dataset covers (dct:spatial). National-level agencies and all others count as national.',
  asSparql: 'The ten most used datasets of these 30 days, in SPARQL',
  datasetUse: 'Use',
  portalUse: 'Use of the whole portal',
  noUse: (days) => `No use has been counted in the last ${days} days.`,
  chartTitle: (days) => `Daily use by kind, last ${days} days`,
  chartScale: 'Each strip has its own scale, from zero to its busiest day',
  kindSummary: (kind, total, peak, peakDay) => `${kind}: ${total} in all, at most ${peak} on ${peakDay}`,
  total: (count) => `${count} in all`,
  peak: (count) => `at most ${count} a day`,
  dailyTable: 'Each day’s figures as a table',
  day: 'Day',
  reuses: 'Reuses',
  places: 'Places',
  placesTitle: 'Places the dataset covers',
  placesSummary: (sampled) => `Map of Colombia with the dataset’s places: points with coordinates, and departments shaded by its DIVIPOLA codes${sampled ? ' (a sample)' : ''}.`,
  divipolaCodes: 'DIVIPOLA codes',
  location: 'Location',
  locationSummary: (latitude, longitude) => `Map of Colombia with the point at latitude ${latitude}, longitude ${longitude}.`,
  map: {
    range: (from, to) => `${from} to ${to}`,
    none: 'none',
    department: 'Department',
    value: 'Value',
    table: 'The map’s figures as a table',
    points: (count) => (count === 1 ? '1 point' : `${count} points`),
    pointsIn: (department, count) => `${department}: ${count === 1 ? '1 point' : `${count} points`}`,
    pointsOutside: (count) => (count === 1 ? '1 point outside the drawn departments' : `${count} points outside the drawn departments`),
    attribution: 'Map sketched from the DIVIPOLA municipal seats (DANE, CC BY-SA 4.0); borders are approximate.',
    inset: 'San Andrés, Providencia and Santa Catalina (inset, position not to scale)',
  },
};
// ---- end of usage words ----

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
  usage: spanishUsage,
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
  usage: englishUsage,
};

export function uiWordsFor(language: UiLanguage): UiWords {
  return language === 'en' ? english : spanish;
}
