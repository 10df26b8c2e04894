/** Runs the `vinculo` command from source in a child process, as users and scripts do. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(projectRoot, 'src', 'cli', 'main.ts');
// By URL, so the command also runs from a user's folder outside the project.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = projectRoot): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', tsx, main, ...args], {
    cwd,
    env: { ...process.env, VINCULO_LOG_LEVEL: 'info', ...env },
  });
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = projectRoot): Promise<CliResult> {
  const child = startCli(args, env, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  // A child that cannot start (a missing cwd) fails this call, not the whole test process.
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A port nobody listens on at the moment of asking, for commands that must be given a real port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface StartedServer {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  readonly log: () => string;
}

/** Resolves with the URL once `child` (a `vinculo serve`, however started) logs that it is serving. */
export function whenServing(child: ChildProcessWithoutNullStreams): Promise<StartedServer> {
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${log}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      log += chunk;
      const match = /"url":"(http:\/\/[^"]+)"/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1] as string, child, log: () => log });
      }
    });
    child.stderr.on('data', (chunk) => {
      log += chunk;
    });
    child.on('exit', (status) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${status}:\n${log}`));
    });
  });
}

/** Starts `vinculo serve` on a free port and resolves with its URL once it listens. */
export function startServer(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<StartedServer> {
  return whenServing(startCli(['serve', '--port', '0', ...args], env));
}

/** Stops a server started by `startServer` or `whenServing` the way an operator does, and waits for it to exit. */
export async function stopServer(server: StartedServer): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}
