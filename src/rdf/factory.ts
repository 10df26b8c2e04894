/** The one RDF/JS DataFactory used across Vínculo (N3's), so terms compare cheaply everywhere. */
import { DataFactory as N3DataFactory } from 'n3';
import type * as RDF from '@rdfjs/types';

export const DataFactory: RDF.DataFactory<RDF.Quad, RDF.Quad> = N3DataFactory;
