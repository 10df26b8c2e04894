/** Types for the reference YARRRML parser, which ships none (only what Vínculo calls). */
declare module '@rmlio/yarrrml-parser/lib/rml-generator.js' {
  import type * as RDF from '@rdfjs/types';

  export default class YARRRML2RML {
    constructor(options?: Record<string, unknown>);
    convert(yarrrml: string): RDF.Quad[];
    getPrefixes(): Record<string, string>;
    getBaseIRI(): string;
  }
}
