/** `npm start` ends with the server: a signal to the npm process reaches the server, which stops and frees its port. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, projectRoot } from './run-cli.ts';

/** Processes whose command line names `marker`: npm, the shell it may run, the server. */
function processesNaming(marker: string): number[] {
  const found = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' });
  return found.stdout.split('\n').filter(Boolean).map(Number);
}

async function answers(url: string): Promise<boolean> {
  return fetch(url).then(
    (response) => response.ok,
    () => false,
  );
}

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(100);
  }
  return condition();
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} to the npm start process stops the server and closes its port`, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'vinculo-npm-start-'));
    await mkdir(join(folder, 'vocabularies'));
    // Its path, unique to this run, marks every process of this start in `pgrep -f`.
    const configFile = join(folder, 'vinculo.config.json');
    await writeFile(configFile, JSON.stringify({ mappings: [], vocabularies: 'vocabularies', dataDir: 'var', logLevel: 'warn' }));
    const port = await freePort();
    const health = `http://127.0.0.1:${port}/health`;
    const npm = spawn('npm', ['start', '--', '--config', configFile], { cwd: projectRoot, env: { ...process.env, VINCULO_PORT: String(port) }, stdio: 'ignore' });
    try {
      assert.ok(await waitFor(() => answers(health), 30_000), 'npm start serves /health');
      npm.kill(signal);
      assert.ok(await waitFor(() => processesNaming(configFile).length === 0, 5_000), `still running after ${signal}: ${processesNaming(configFile).join(', ')}`);
      assert.not.ok(await answers(health), 'the port is closed');
    } finally {
      for (const pid of processesNaming(configFile)) process.kill(pid, 'SIGKILL');
    }
  });
}

test.run();
