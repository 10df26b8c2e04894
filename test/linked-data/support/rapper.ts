/** rapper (Raptor, Debian package raptor2-utils) as an independent reader of what we write. */
import { spawn } from 'node:child_process';

/** Runs rapper over `text`, giving N-Triples; rejects with its stderr when it does not parse. */
export function rapper(syntax: 'turtle' | 'rdfxml', text: string, base: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/rapper', ['-q', '-i', syntax, '-o', 'ntriples', '-', base]);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && err === '' ? resolve(out) : reject(new Error(`rapper ${syntax} exit ${code}: ${err}`))));
    child.stdin.end(text);
  });
}
