/**
 * Compiles RML mapping quads (RML-Core `http://w3id.org/rml/`, or legacy RML + R2RML, which are
 * first rewritten into the RML-Core vocabulary) into the internal plan.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { Store } from 'n3';
import { NotImplemented } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';
import { isLanguageTag } from './literal-check.js';
import { MappingError } from './mapping-error.js';
import type {
  CompiledMapping,
  Expression,
  FunctionCall,
  JoinCondition,
  LogicalSource,
  LogicalTarget,
  PredicateObjectMap,
  ReferencingObjectMap,
  TermMap,
  TermType,
  TriplesMap,
} from './plan.js';
import { parseTemplate } from './template.js';

const rml = 'http://w3id.org/rml/';
const legacyRml = 'http://semweb.mmlab.be/ns/rml#';
const rr = 'http://www.w3.org/ns/r2rml#';
const ql = 'http://semweb.mmlab.be/ns/ql#';
const fnml = 'http://semweb.mmlab.be/ns/fnml#';
const fnoExecutes = ['https://w3id.org/function/ontology#executes', 'http://w3id.org/function/ontology#executes'];
const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const rdfsLabel = 'http://www.w3.org/2000/01/rdf-schema#label';
const csvw = 'http://www.w3.org/ns/csvw#';
const d2rq = 'http://www.wiwiss.fu-berlin.de/suhl/bizer/D2RQ/0.1#';
const formats = 'http://www.w3.org/ns/formats/';

export interface ReadRmlOptions {
  /** The mapping file, named in errors; relative source paths resolve against its folder. */
  readonly file: string;
  readonly baseIRI: string;
  /** Where `rml:CurrentWorkingDirectory` points; `process.cwd()` by default. */
  readonly workingDirectory?: string;
  /** The encoding of sources that declare none (YARRRML's `sourceEncoding:`); detected otherwise. */
  readonly defaultEncoding?: LogicalSource['encoding'];
  /** Values that stand for an empty cell in every source of the mapping (YARRRML's `nulls:`), beside each source's `rml:null`. */
  readonly nullValues?: readonly string[];
}

function rewriteIri(iri: string): string {
  if (iri.startsWith(rr)) {
    const local = iri.slice(rr.length);
    return rml + (local === 'column' ? 'reference' : local);
  }
  if (iri.startsWith(legacyRml)) return rml + iri.slice(legacyRml.length);
  if (iri.startsWith(ql)) return rml + iri.slice(ql.length);
  return iri;
}

function rewriteTerm<T extends RDF.Term>(term: T): T {
  return (term.termType === 'NamedNode' ? DataFactory.namedNode(rewriteIri(term.value)) : term) as T;
}

/** Whether the quads use the legacy vocabularies (natural datatypes then do not apply). */
function isLegacy(quads: readonly RDF.Quad[]): boolean {
  return quads.some((quad) => quad.predicate.value.startsWith(rr) || quad.predicate.value.startsWith(legacyRml));
}

/**
 * Compiles mapping quads into the plan.
 * @throws MappingError naming the file, the triples map and the problem.
 * @throws NotImplemented for sources out of scope (SQL, SPARQL, XML).
 */
export function readRml(quads: readonly RDF.Quad[], options: ReadRmlOptions): CompiledMapping {
  const legacy = isLegacy(quads);
  const store = new Store(
    quads.map((quad) => DataFactory.quad(rewriteTerm(quad.subject), rewriteTerm(quad.predicate), rewriteTerm(quad.object), quad.graph)),
  );
  const reader = new RmlReader(store, options);
  const triplesMaps = reader.triplesMaps();
  return { triplesMaps, targets: reader.targets, baseIRI: options.baseIRI, naturalDatatypes: !legacy };
}

class RmlReader {
  readonly targets = new Map<string, LogicalTarget>();
  private readonly folder: string;
  private current: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: ReadRmlOptions,
  ) {
    this.folder = dirname(options.file);
  }

  private fail(problem: string): never {
    throw new MappingError(problem, { file: this.options.file, triplesMap: this.current });
  }

  private objects(subject: RDF.Term, predicate: string): RDF.Term[] {
    return this.store.getObjects(subject, predicate, null);
  }

  private one(subject: RDF.Term, predicate: string, what: string): RDF.Term | undefined {
    const values = this.objects(subject, predicate);
    if (values.length > 1) this.fail(`${what} has ${values.length} values for <${predicate}>, at most one is allowed`);
    return values[0];
  }

  private isA(subject: RDF.Term, type: string): boolean {
    return this.store.countQuads(subject, rdfType, type, null) > 0;
  }

  triplesMaps(): TriplesMap[] {
    const candidates = new Map<string, RDF.Term>();
    for (const node of this.store.getSubjects(rdfType, `${rml}TriplesMap`, null)) candidates.set(node.value, node);
    for (const node of this.store.getSubjects(`${rml}subjectMap`, null, null)) candidates.set(node.value, node);
    for (const node of this.store.getSubjects(`${rml}subject`, null, null)) candidates.set(node.value, node);
    for (const node of this.store.getObjects(null, `${rml}parentTriplesMap`, null)) candidates.set(node.value, node);
    if (candidates.size === 0) this.fail('no triples map found (nothing typed rml:TriplesMap or with a subject map)');
    return [...candidates.values()].map((node) => this.triplesMap(node));
  }

  private triplesMap(node: RDF.Term): TriplesMap {
    this.current = node.value;
    const name = this.objects(node, rdfsLabel)[0]?.value ?? node.value;
    this.current = name;
    const sourceNode = this.one(node, `${rml}logicalSource`, 'the triples map');
    if (!sourceNode) this.fail('no rml:logicalSource');
    const baseIRI = this.one(node, `${rml}baseIRI`, 'the triples map')?.value ?? this.options.baseIRI;
    const subjectMaps = [...this.objects(node, `${rml}subjectMap`), ...this.objects(node, `${rml}subject`)];
    if (subjectMaps.length === 0) this.fail('no subject map');
    if (subjectMaps.length > 1) this.fail(`${subjectMaps.length} subject maps; exactly one is required`);
    const subjectNode = subjectMaps[0]!;
    const shortcut = this.store.countQuads(node, `${rml}subject`, null, null) > 0;
    const subject = shortcut ? this.constantMap(subjectNode, 'subject') : this.termMap(subjectNode, 'subject');
    const classes = this.objects(subjectNode, `${rml}class`).map((term) => {
      if (term.termType !== 'NamedNode') this.fail('rml:class must be an IRI');
      return term;
    });
    return {
      id: node.value,
      name,
      baseIRI,
      source: this.logicalSource(sourceNode),
      subject,
      classes,
      subjectGraphs: shortcut ? [] : this.graphMaps(subjectNode),
      predicateObjectMaps: this.objects(node, `${rml}predicateObjectMap`).map((pom) => this.predicateObjectMap(pom)),
    };
  }

  private graphMaps(node: RDF.Term): TermMap[] {
    return [
      ...this.objects(node, `${rml}graphMap`).map((graph) => this.termMap(graph, 'graph')),
      ...this.objects(node, `${rml}graph`).map((graph) => this.constantMap(graph, 'graph')),
    ];
  }

  private predicateObjectMap(node: RDF.Term): PredicateObjectMap {
    const predicates = [
      ...this.objects(node, `${rml}predicateMap`).map((map) => this.termMap(map, 'predicate')),
      ...this.objects(node, `${rml}predicate`).map((term) => this.constantMap(term, 'predicate')),
    ];
    if (predicates.length === 0) this.fail('a predicate-object map has no predicate');
    const objects: TermMap[] = [];
    const refObjects: ReferencingObjectMap[] = [];
    for (const map of this.objects(node, `${rml}objectMap`)) {
      if (this.store.countQuads(map, `${rml}parentTriplesMap`, null, null) > 0) refObjects.push(this.refObjectMap(map));
      else objects.push(this.termMap(map, 'object'));
    }
    for (const term of this.objects(node, `${rml}object`)) objects.push(this.constantMap(term, 'object'));
    if (objects.length + refObjects.length === 0) this.fail('a predicate-object map has no object');
    return { predicates, objects, refObjects, graphs: this.graphMaps(node) };
  }

  private refObjectMap(node: RDF.Term): ReferencingObjectMap {
    const parent = this.one(node, `${rml}parentTriplesMap`, 'a referencing object map')!;
    const joinConditions: JoinCondition[] = this.objects(node, `${rml}joinCondition`).map((condition) => {
      const child = this.objects(condition, `${rml}child`)[0] ?? this.objects(condition, `${rml}childMap`)[0];
      const parentSide = this.objects(condition, `${rml}parent`)[0] ?? this.objects(condition, `${rml}parentMap`)[0];
      if (!child || !parentSide) this.fail('a join condition needs a child and a parent');
      const side = (term: RDF.Term, predicate: string): TermMap =>
        term.termType === 'Literal' && this.store.countQuads(condition, predicate, term, null) > 0
          ? { node: condition.value, expression: { kind: 'reference', reference: term.value }, termType: 'Literal', targets: [] }
          : this.termMap(term, 'value');
      return { child: side(child, `${rml}child`), parent: side(parentSide, `${rml}parent`) };
    });
    return { node: node.value, parent: parent.value, joinConditions, targets: this.targetsOf(node) };
  }

  private constantMap(term: RDF.Term, position: string): TermMap {
    const termType: TermType = term.termType === 'Literal' ? 'Literal' : term.termType === 'BlankNode' ? 'BlankNode' : 'IRI';
    this.checkPosition(position, termType);
    return { node: term.value, expression: { kind: 'constant', term }, termType, targets: [] };
  }

  private checkPosition(position: string, termType: TermType): void {
    if (position === 'subject' && termType === 'Literal') this.fail('a subject map cannot generate literals');
    const iri = termType === 'IRI' || termType === 'URI' || termType === 'UnsafeIRI';
    if (position === 'predicate' && !iri) this.fail(`a predicate map must generate IRIs, not ${termType}`);
    if (position === 'graph' && !iri) this.fail(`a graph map must generate IRIs, not ${termType}`);
  }

  private expression(node: RDF.Term): Expression {
    const found: Expression[] = [];
    for (const term of this.objects(node, `${rml}constant`)) found.push({ kind: 'constant', term });
    for (const term of this.objects(node, `${rml}reference`)) found.push({ kind: 'reference', reference: term.value });
    for (const term of this.objects(node, `${rml}template`)) {
      try {
        found.push({ kind: 'template', parts: parseTemplate(term.value) });
      } catch (error) {
        this.fail((error as Error).message);
      }
    }
    for (const term of this.objects(node, `${fnml}functionValue`)) found.push({ kind: 'function', call: this.legacyFunction(term) });
    for (const term of this.objects(node, `${rml}functionExecution`)) found.push({ kind: 'function', call: this.functionExecution(term) });
    if (found.length === 0) {
      if (this.objects(node, `${rml}termType`).some((term) => term.value === `${rml}BlankNode`)) return { kind: 'fresh' };
      this.fail(`term map ${node.value} has no rml:constant, rml:reference, rml:template or function`);
    }
    if (found.length > 1) this.fail(`term map ${node.value} has more than one of rml:constant, rml:reference, rml:template`);
    return found[0]!;
  }

  /** Old FNML (`fnml:functionValue`), what yarrrml-parser writes: a nested triples map. */
  private legacyFunction(node: RDF.Term): FunctionCall {
    let fn: string | undefined;
    const parameters = new Map<string, Expression>();
    for (const pom of this.objects(node, `${rml}predicateObjectMap`)) {
      const predicateTerms = [
        ...this.objects(pom, `${rml}predicate`),
        ...this.objects(pom, `${rml}predicateMap`).flatMap((map) => this.objects(map, `${rml}constant`)),
      ];
      const objectMaps = this.objects(pom, `${rml}objectMap`);
      const objectConstants = this.objects(pom, `${rml}object`);
      for (const predicate of predicateTerms) {
        if (fnoExecutes.includes(predicate.value)) {
          fn = (objectConstants[0] ?? objectMaps.flatMap((map) => this.objects(map, `${rml}constant`))[0])?.value;
        } else {
          const map = objectMaps[0];
          const expression: Expression | undefined = map
            ? this.expression(map)
            : objectConstants[0]
              ? { kind: 'constant', term: objectConstants[0] }
              : undefined;
          if (expression) parameters.set(predicate.value, expression);
        }
      }
    }
    if (fn === undefined) this.fail(`function value ${node.value} has no fno:executes`);
    return { function: fn, parameters };
  }

  /** RML-FNML (`rml:functionExecution` with `rml:function` and `rml:input`). */
  private functionExecution(node: RDF.Term): FunctionCall {
    const fnTerm = this.objects(node, `${rml}function`)[0] ?? this.objects(node, `${rml}functionMap`).flatMap((map) => this.objects(map, `${rml}constant`))[0];
    if (!fnTerm) this.fail(`function execution ${node.value} has no rml:function`);
    const parameters = new Map<string, Expression>();
    for (const input of this.objects(node, `${rml}input`)) {
      const parameter =
        this.objects(input, `${rml}parameter`)[0] ?? this.objects(input, `${rml}parameterMap`).flatMap((map) => this.objects(map, `${rml}constant`))[0];
      const valueMap = this.objects(input, `${rml}inputValueMap`)[0];
      const constant = this.objects(input, `${rml}inputValue`)[0];
      if (!parameter) this.fail(`an input of ${node.value} has no rml:parameter`);
      if (valueMap) parameters.set(parameter.value, this.expression(valueMap));
      else if (constant) parameters.set(parameter.value, { kind: 'constant', term: constant });
    }
    return { function: fnTerm.value, parameters };
  }

  private termMap(node: RDF.Term, position: 'subject' | 'predicate' | 'object' | 'graph' | 'value'): TermMap {
    const expression = this.expression(node);
    const declared = this.one(node, `${rml}termType`, `term map ${node.value}`)?.value;
    const languageConstant = this.one(node, `${rml}language`, `term map ${node.value}`);
    const languageMapNode = this.one(node, `${rml}languageMap`, `term map ${node.value}`);
    const datatypeConstant = this.one(node, `${rml}datatype`, `term map ${node.value}`);
    const datatypeMapNode = this.one(node, `${rml}datatypeMap`, `term map ${node.value}`);
    let termType: TermType;
    if (declared !== undefined) {
      const local = declared.startsWith(rml) ? declared.slice(rml.length) : declared;
      if (local === 'IRI' || local === 'URI') termType = local;
      else if (local === 'UnsafeIRI' || local === 'UnsafeURI') termType = 'UnsafeIRI';
      else if (local === 'BlankNode' || local === 'Literal') termType = local;
      else this.fail(`unknown rml:termType <${declared}>`);
    } else if (expression.kind === 'constant') {
      termType = expression.term.termType === 'Literal' ? 'Literal' : expression.term.termType === 'BlankNode' ? 'BlankNode' : 'IRI';
    } else if (position === 'object' || position === 'value') {
      const literal = expression.kind !== 'template' || languageConstant || languageMapNode || datatypeConstant || datatypeMapNode;
      termType = literal ? 'Literal' : 'IRI';
    } else termType = 'IRI';
    if (expression.kind === 'constant') {
      const actual = expression.term.termType;
      const matches = termType === 'Literal' ? actual === 'Literal' : termType === 'BlankNode' ? actual === 'BlankNode' : actual === 'NamedNode';
      // RML-Core §6.3.1: a constant-valued term map takes its term type from the constant.
      if (!matches) this.fail(`term map ${node.value}: constant ${actual} conflicts with rml:termType ${termType}`);
    }
    if (position !== 'value') this.checkPosition(position, termType);
    if ((languageConstant || languageMapNode || datatypeConstant || datatypeMapNode) && termType !== 'Literal') {
      this.fail(`term map ${node.value}: a language or datatype needs term type Literal`);
    }
    if ((languageConstant || languageMapNode) && (datatypeConstant || datatypeMapNode)) {
      this.fail(`term map ${node.value}: a literal cannot have both a language and a datatype`);
    }
    let language: TermMap | undefined;
    if (languageConstant) {
      if (!isLanguageTag(languageConstant.value)) this.fail(`"${languageConstant.value}" is not a valid language tag`);
      language = { node: node.value, expression: { kind: 'constant', term: languageConstant }, termType: 'Literal', targets: [] };
    } else if (languageMapNode) {
      language = { ...this.termMap(languageMapNode, 'value'), termType: 'Literal' };
      // YARRRML writes even a fixed language as a constant language map: check it now.
      if (language.expression.kind === 'constant' && !isLanguageTag(language.expression.term.value)) {
        this.fail(`"${language.expression.term.value}" is not a valid language tag`);
      }
    }
    let datatype: TermMap | undefined;
    if (datatypeConstant) {
      if (datatypeConstant.termType !== 'NamedNode') this.fail('rml:datatype must be an IRI');
      datatype = { node: node.value, expression: { kind: 'constant', term: datatypeConstant }, termType: 'IRI', targets: [] };
    } else if (datatypeMapNode) datatype = { ...this.termMap(datatypeMapNode, 'value'), termType: 'IRI' };
    const targets = [
      ...this.targetsOf(node),
      ...(languageMapNode ? this.targetsOf(languageMapNode) : []),
      ...(datatypeMapNode ? this.targetsOf(datatypeMapNode) : []),
    ];
    return { node: node.value, expression, termType, language, datatype, targets };
  }

  private targetsOf(node: RDF.Term): string[] {
    return this.objects(node, `${rml}logicalTarget`).map((target) => {
      if (!this.targets.has(target.value)) this.targets.set(target.value, this.logicalTarget(target));
      return target.value;
    });
  }

  private logicalTarget(node: RDF.Term): LogicalTarget {
    const access = this.objects(node, `${rml}target`)[0];
    if (!access) this.fail(`logical target ${node.value} has no rml:target`);
    const path = this.accessPath(access);
    const serialization = this.objects(node, `${rml}serialization`)[0]?.value;
    const compression = (this.objects(access, `${rml}compression`)[0] ?? this.objects(node, `${rml}compression`)[0])?.value;
    const encoding = (this.objects(access, `${rml}encoding`)[0] ?? this.objects(node, `${rml}encoding`)[0])?.value;
    return {
      id: node.value,
      path,
      serialization: serialization?.startsWith(formats) ? serialization.slice(formats.length) : serialization,
      compression: compression?.startsWith(rml) ? compression.slice(rml.length) : compression,
      encoding: encoding?.startsWith(rml) ? encoding.slice(rml.length) : encoding,
    };
  }

  /** The local path of a `rml:FilePath` / `rml:RelativePathSource` / `csvw:Table` / plain string. */
  private accessPath(access: RDF.Term): string {
    if (access.termType === 'Literal') return this.resolvePath(access.value, this.folder);
    const path = this.objects(access, `${rml}path`)[0] ?? this.objects(access, `${csvw}url`)[0];
    if (!path) {
      if (this.isA(access, `${d2rq}Database`) || this.objects(access, `${d2rq}jdbcDSN`).length > 0) {
        throw new NotImplemented(`${this.options.file}: SQL database sources are out of scope`);
      }
      if (this.objects(access, 'http://www.w3.org/ns/sparql-service-description#endpoint').length > 0) {
        throw new NotImplemented(`${this.options.file}: SPARQL endpoint sources are out of scope`);
      }
      this.fail(`source ${access.value} has no rml:path`);
    }
    const root = this.objects(access, `${rml}root`)[0]?.value;
    const from = root === `${rml}CurrentWorkingDirectory` ? (this.options.workingDirectory ?? process.cwd()) : this.folder;
    if (root !== undefined && root !== `${rml}MappingDirectory` && root !== `${rml}CurrentWorkingDirectory`) {
      return this.resolvePath(path.value, root.startsWith('file:') ? new URL(root).pathname : root);
    }
    return this.resolvePath(path.value, from);
  }

  private resolvePath(path: string, from: string): string {
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(path) && !path.startsWith('file:')) {
      throw new NotImplemented(`${this.options.file}: remote sources (${path}) are not fetched`);
    }
    const local = path.startsWith('file:') ? new URL(path).pathname : path;
    return isAbsolute(local) ? local : resolve(from, local);
  }

  private logicalSource(node: RDF.Term): LogicalSource {
    const access = this.one(node, `${rml}source`, 'the logical source');
    if (!access) this.fail('the logical source has no rml:source');
    const formulationIri = this.one(node, `${rml}referenceFormulation`, 'the logical source')?.value;
    if (this.objects(node, `${rml}query`).length > 0 || this.objects(node, `${rml}tableName`).length > 0 || this.objects(node, `${rml}sqlQuery`).length > 0) {
      throw new NotImplemented(`${this.options.file}: SQL / SPARQL query sources are out of scope`);
    }
    const path = this.accessPath(access);
    let formulation: LogicalSource['formulation'];
    const local = formulationIri?.startsWith(rml) ? formulationIri.slice(rml.length) : formulationIri;
    if (local === 'CSV' || (local === undefined && /\.csv(\.gz)?$/i.test(path))) formulation = 'CSV';
    else if (local === 'JSONPath' || (local === undefined && /\.json(\.gz)?$/i.test(path))) formulation = 'JSONPath';
    else if (formulationIri?.startsWith(formats) || /\.(nt|ttl|rq)$/i.test(path)) {
      throw new NotImplemented(`${this.options.file}: SPARQL result / RDF sources (${formulationIri ?? path}) are out of scope`);
    } else if (local === 'XPath' || local === 'XPathReferenceFormulation' || /\.xml$/i.test(path)) {
      throw new NotImplemented(`${this.options.file}: XML sources (XPath) are out of scope`);
    } else this.fail(`unsupported reference formulation ${formulationIri ?? '(none, and the file extension does not tell)'}`);
    const iterator = this.one(node, `${rml}iterator`, 'the logical source')?.value;
    const holder = access.termType === 'Literal' ? node : access;
    const dialect = this.objects(holder, `${csvw}dialect`)[0];
    const dialectValue = (name: string) => (dialect ? this.objects(dialect, csvw + name)[0]?.value : undefined);
    const nullValues = [...this.objects(holder, `${rml}null`), ...this.objects(node, `${rml}null`)].map((term) => term.value).concat(this.options.nullValues ?? []);
    const declaredEncoding = (this.objects(holder, `${rml}encoding`)[0]?.value ?? dialectValue('encoding'))?.replace(rml, '').toLowerCase();
    const encoding = declaredEncoding === undefined ? this.options.defaultEncoding : this.encoding(declaredEncoding);
    const compression = this.objects(holder, `${rml}compression`)[0]?.value.replace(rml, '');
    if (compression !== undefined && compression !== 'none' && compression !== 'gzip' && compression !== 'zip' && compression !== 'targz') {
      throw new NotImplemented(`${this.options.file}: ${compression} compression of sources is not supported (gzip, zip, targz are)`);
    }
    return {
      key: JSON.stringify([path, formulation, iterator ?? '']),
      path,
      formulation,
      iterator,
      delimiter: dialectValue('delimiter') ?? ',',
      quote: dialectValue('quoteChar') ?? '"',
      header: dialectValue('header') !== 'false',
      encoding,
      compression: compression === 'gzip' || compression === 'zip' || compression === 'targz' ? compression : undefined,
      nullValues,
    };
  }

  private encoding(name: string): LogicalSource['encoding'] {
    return encodingNamed(name) ?? this.fail(`unsupported encoding "${name}"`);
  }
}

/** The encoding a name (`UTF-8`, `latin1`, `windows-1252`, ...) stands for, if supported. */
export function encodingNamed(label: string): LogicalSource['encoding'] | undefined {
  const name = label.toLowerCase();
  if (name === 'utf-8' || name === 'utf8') return 'utf-8';
  if (name === 'utf-16' || name === 'utf-16le') return 'utf-16le';
  if (name === 'utf-16be') return 'utf-16be';
  if (['latin1', 'latin-1', 'iso-8859-1', 'windows-1252', 'cp1252'].includes(name)) return 'windows-1252';
  return undefined;
}
