/** Types for shacl-engine, which ships none (only the parts Vínculo reads). */
declare module 'shacl-engine' {
  import type * as RDF from '@rdfjs/types';

  export interface PathStep {
    readonly predicates: readonly RDF.Term[];
    readonly start: 'subject' | 'object';
    readonly quantifier: string;
  }

  export interface ValidationResult {
    readonly focusNode: { readonly term: RDF.Term | undefined };
    readonly path: readonly PathStep[] | null | undefined;
    readonly message: readonly RDF.Literal[];
    readonly severity: RDF.NamedNode;
    readonly constraintComponent: RDF.NamedNode;
    readonly shape: {
      readonly ptr: { readonly term: RDF.Term | undefined; out(predicates: readonly RDF.Term[]): { readonly terms: readonly RDF.Term[] } };
    };
    readonly value: { readonly term: RDF.Term | undefined } | undefined;
  }

  export interface ValidationReport {
    readonly conforms: boolean;
    readonly results: readonly ValidationResult[];
  }

  export class Validator {
    constructor(shapes: RDF.DatasetCore, options: { factory: RDF.DataFactory & { dataset(): RDF.DatasetCore } });
    validate(data: { dataset: RDF.DatasetCore }): Promise<ValidationReport>;
  }
}
