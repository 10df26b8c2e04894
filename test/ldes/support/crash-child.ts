/** Child of the crash test: publishes a dataset's stream, then dies by SIGKILL inside the store write of a change whose members are already logged. */
import { Readable } from 'node:stream';
import { DataFactory, whenDone } from '../../../src/rdf/index.ts';
import { publishDatasetChanges, publishSyncChanges } from '../../../src/ldes/index.ts';
import { openStore } from '../../../src/store/index.ts';

const [dataDir, baseIRI] = process.argv.slice(2) as [string, string];
const store = await openStore({ baseIRI, dataDir });
const place = { store, baseIRI, dataDir, retention: 'all' as const };
const subject = (n: number) => DataFactory.namedNode(`${baseIRI}id/cosa/${n}`);
const label = DataFactory.namedNode('http://www.w3.org/2000/01/rdf-schema#label');
const info = await store.putDataset('cosas', [1, 2, 3].map((n) => DataFactory.quad(subject(n), label, DataFactory.literal(`cosa ${n}`))));
await publishDatasetChanges(place, 'cosas');
process.stdout.write('published\n');
const inserted = [DataFactory.quad(subject(4), label, DataFactory.literal('cosa 4'), info.graph)];
await publishSyncChanges(place, 'cosas', { graph: info.graph, removed: [], inserted }, (members) =>
  store.write(async (target) => {
    await whenDone(target.import(Readable.from(inserted)));
    await members.writeMarker(target);
    // The members are in the log, fsync'd; the store's journal record is not written yet.
    process.kill(process.pid, 'SIGKILL');
  }),
);
