/** Catalog descriptions: PROV-O provenance of imports (DCAT, VoID and DQV follow in later work). */
export { importActivity, importProvenance, recordedInputs, type HashedFile, type ImportRun } from './provenance.js';
