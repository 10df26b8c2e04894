/** The column dictionary of a dataset as CSVW in the catalog graph: structural metadata (DWBP Best Practice 2) whatever dialect the mapping was written in. */
import type * as RDF from '@rdfjs/types';
import type { ColumnDictionary } from '../mapping/index.js';
import { columnDictionaryIri, DataFactory, datasetIri, namespace, ns } from '../rdf/index.js';
import { slug } from './authority-tables.js';

const { namedNode, literal, quad } = DataFactory;
const csvw = namespace('http://www.w3.org/ns/csvw#');
/** How CSVW links a resource to the metadata that describes it (POWDER `describedby`). */
const describedBy = namedNode('http://www.w3.org/2007/05/powder-s#describedby');

/** The CSVW built-in names that are XML Schema datatypes under the same local name. */
function datatypeIri(datatype: NonNullable<ColumnDictionary['tables'][number]['tableSchema']['columns'][number]['datatype']>): RDF.NamedNode {
  return typeof datatype === 'string' ? ns.xsd(datatype) : namedNode(datatype['@id']);
}

/**
 * `{base}dataset/{id}` describedby a `csvw:TableGroup` with one `csvw:Table` a source, each with
 * its `csvw:Column`s (name, title, datatype, propertyUrl).
 */
export function columnDictionaryQuads(baseIRI: string, datasetId: string, dictionary: ColumnDictionary): RDF.Quad[] {
  const dataset = datasetIri(baseIRI, datasetId);
  const group = columnDictionaryIri(baseIRI, datasetId);
  const out = [quad(dataset, describedBy, group), quad(group, ns.rdf('type'), csvw('TableGroup'))];
  dictionary.tables.forEach((table, index) => {
    const tableNode = namedNode(`${group.value}/${index + 1}`);
    const schema = namedNode(`${tableNode.value}/esquema`);
    out.push(
      quad(group, csvw('table'), tableNode),
      quad(tableNode, ns.rdf('type'), csvw('Table')),
      quad(tableNode, csvw('url'), literal(table.url)),
      quad(tableNode, csvw('tableSchema'), schema),
      quad(schema, ns.rdf('type'), csvw('Schema')),
    );
    for (const column of table.tableSchema.columns) {
      const node = namedNode(`${schema.value}/${slug(column.name) || 'columna'}`);
      out.push(quad(schema, csvw('column'), node), quad(node, ns.rdf('type'), csvw('Column')), quad(node, csvw('name'), literal(column.name)));
      for (const title of column.titles) out.push(quad(node, csvw('title'), literal(title, 'es')));
      if (column.datatype !== undefined) out.push(quad(node, csvw('datatype'), datatypeIri(column.datatype)));
      if (column.propertyUrl !== undefined) out.push(quad(node, csvw('propertyUrl'), literal(column.propertyUrl)));
    }
  });
  return out;
}
