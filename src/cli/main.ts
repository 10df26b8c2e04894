#!/usr/bin/env node
/** The `vinculo` command: dispatches to subcommands and turns errors into exit codes (1 work failed, 2 usage). */
import { VinculoError } from '../errors/index.js';
import { catalogCommand } from './commands/catalog.js';
import { datasetCommand } from './commands/dataset.js';
import { harvestCommand } from './commands/harvest.js';
import { importCommand } from './commands/import.js';
import { mapCommand } from './commands/map.js';
import { queryCommand } from './commands/query.js';
import { scaffoldCommand } from './commands/scaffold.js';
import { serveCommand } from './commands/serve.js';
import { validateCommand } from './commands/validate.js';
import { UsageError } from './usage.js';

const commands: Record<string, (args: string[]) => Promise<void>> = {
  serve: serveCommand,
  map: mapCommand,
  import: importCommand,
  query: queryCommand,
  validate: validateCommand,
  catalog: catalogCommand,
  scaffold: scaffoldCommand,
  dataset: datasetCommand,
  harvest: harvestCommand,
};

const usage = `vinculo — publish tabular open data as linked data

usage: vinculo COMMAND [options]   (vinculo COMMAND --help for its options)

commands:
  serve      map what changed, load the store and serve SPARQL, linked data and the UI
  map        run a mapping and print its RDF
  import     map and load datasets into the persistent store
  query      run a SPARQL query against the store or RDF files
  dataset    list, drop or export the datasets in the store
  validate   check mapping and RDF files
  catalog    print the DCAT catalog of the store
  scaffold   draft a YARRRML mapping for a CSV or Socrata export
  harvest    import Socrata datasets from their portal and keep them in sync row by row`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`vinculo: unknown command "${name}"\n\n${usage}\n`);
    return 2;
  }
  try {
    await command(args);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`vinculo ${name}: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    if (error instanceof VinculoError) {
      process.stderr.write(`vinculo ${name}: ${error.message}\n`);
      return error.code === 'not-implemented' ? 2 : 1;
    }
    process.stderr.write(`vinculo ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
