/** Small file-system primitives for durability: fsync'd atomic replace, directory sync, the pid lock. */
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StorageError } from '../errors/index.js';

/**
 * Makes a directory's entries (new names, renames, unlinks) durable. Some platforms cannot open
 * a directory for fsync; there the rename is as durable as the OS makes it anyway.
 */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Replaces `path` with `content` so that a crash leaves either the old or the new file:
 * write a temporary sibling, fsync it, rename it over the target, fsync the directory. `mode`
 * (less the umask) is the new file's permissions.
 * @throws StorageError when any step fails (the temporary file is removed).
 */
export async function writeFileAtomic(directory: string, name: string, content: string | Buffer, { mode = 0o666 } = {}): Promise<void> {
  const path = join(directory, name);
  const temporary = `${path}.tmp`;
  try {
    // open() applies the mode only to a file it creates: a temporary left by a crash would keep its own.
    await unlink(temporary).catch(() => undefined);
    const handle = await open(temporary, 'w', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    await syncDirectory(directory);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new StorageError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: our own pid in a lock we do not hold is a previous incarnation's (a container restarted as pid 1). */
const heldHere = new Set<string>();

/** The pid in the lock file at `path` when that process is alive; our own pid counts only if this process took the lock. */
async function liveHolder(path: string): Promise<number | undefined> {
  const holder = Number.parseInt((await readFile(path, 'utf8').catch(() => '')).trim(), 10);
  const previousIncarnation = holder === process.pid && !heldHere.has(path);
  return Number.isInteger(holder) && holder > 0 && !previousIncarnation && processIsAlive(holder) ? holder : undefined;
}

/**
 * The live process that holds `dataDir/lock`, if any: `vinculo import` asks a running server
 * to do the work instead of failing on its lock.
 */
export function lockHolder(dataDir: string): Promise<number | undefined> {
  return liveHolder(resolve(dataDir, 'lock'));
}

/** A held lock; `release()` removes the lock file. */
export interface DirectoryLock {
  release(): Promise<void>;
}

/**
 * Takes `dataDir/lock` (holding our pid) so that two processes never write one data directory.
 * A lock left by a process that no longer exists (a crash, SIGKILL) is taken over, as is one
 * with our own pid that this process does not hold (pids repeat across container restarts).
 * @throws StorageError when a live process (this one included) holds the lock.
 */
export async function lockDirectory(dataDir: string): Promise<DirectoryLock> {
  const path = resolve(dataDir, 'lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    // Written aside, then hard-linked into place: the lock appears with its pid already in it
    // (no reader ever sees an empty lock), and link() fails if a lock exists.
    const pending = `${path}.${process.pid}.tmp`;
    try {
      const handle = await open(pending, 'w');
      try {
        await handle.writeFile(`${process.pid}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await link(pending, path);
      heldHere.add(path);
      return {
        release: async () => {
          heldHere.delete(path);
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StorageError(`cannot create lock file ${path}: ${(error as Error).message}`, { cause: error });
      }
    } finally {
      await unlink(pending).catch(() => undefined);
    }
    const holder = await liveHolder(path);
    if (holder !== undefined) {
      throw new StorageError(`data directory ${dataDir} is in use by process ${holder} (lock file ${path})`);
    }
    // Stale (dead pid) or unreadable lock: remove it and try again.
    await unlink(path).catch(() => undefined);
  }
  throw new StorageError(`cannot take the lock ${path}: another process keeps taking it`);
}
