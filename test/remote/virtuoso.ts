/** Starts a throw-away Virtuoso (own temp folder, free loopback ports) for the remote-store tests, and stops it. */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RunningVirtuoso {
  readonly queryUrl: string;
  readonly updateUrl: string;
  /** Virtuoso's Graph Store Protocol endpoint (writable by the same anonymous user). */
  readonly graphStoreUrl: string;
  stop(): Promise<void>;
}

/** The executables, or the reason the tests skip (only when the package is not installed). */
export function virtuosoMissing(): string | undefined {
  for (const tool of ['virtuoso-t', 'isql-vt']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (apt-get install virtuoso-opensource)`;
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ini(dir: string, sqlPort: number, httpPort: number): string {
  return `[Database]
DatabaseFile = ${dir}/virtuoso.db
ErrorLogFile = ${dir}/virtuoso.log
LockFile = ${dir}/virtuoso.lck
TransactionFile = ${dir}/virtuoso.trx
xa_persistent_file = ${dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = ${dir}/virtuoso-temp.db
TransactionFile = ${dir}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:${sqlPort}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:${httpPort}
ServerRoot = ${dir}
MaxClientConnections = 8
ServerThreads = 8
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
`;
}

async function waitForHttp(url: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`virtuoso-t exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}?query=${encodeURIComponent('ASK {}')}`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('virtuoso did not answer within the start-up time');
}

/**
 * Starts Virtuoso on free loopback ports with its database in a temp folder, and lets the
 * anonymous SPARQL user update (it only listens on 127.0.0.1).
 * @throws Error when it does not start within 60 s (its log is in the message).
 */
export async function startVirtuoso(): Promise<RunningVirtuoso> {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-virtuoso-'));
  const [sqlPort, httpPort] = [await freePort(), await freePort()];
  await writeFile(join(dir, 'virtuoso.ini'), ini(dir, sqlPort, httpPort));
  const child = spawn('virtuoso-t', ['+foreground', '+configfile', join(dir, 'virtuoso.ini')], { cwd: dir, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${httpPort}/sparql`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(endpoint, child, Date.now() + 60_000);
    const grant = `GRANT SPARQL_UPDATE TO "SPARQL";\nDB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);\n`;
    await run('isql-vt', [`127.0.0.1:${sqlPort}`, 'dba', 'dba', `exec=${grant}`]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { queryUrl: endpoint, updateUrl: endpoint, graphStoreUrl: `http://127.0.0.1:${httpPort}/sparql-graph-crud`, stop };
}
