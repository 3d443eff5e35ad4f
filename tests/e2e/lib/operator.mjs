// Runs the operator's commands of the server's program (`harmonic-server backup`,
// `restore`, `admin`: docs/operations.md) and reads SQLite files with the sqlite3 shell,
// for the operations tests.

import { execFile } from 'node:child_process';
import { serverBinary } from './server.mjs';

// Runs `harmonic-server <args...>` and resolves with {code, stdout, stderr}, whatever the
// exit code. `input` is written to its stdin.
export function runServerCommand(args, { input } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(serverBinary, args, { timeout: 60000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') { reject(error); return; }
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
    // A command that exits before reading stdin closes the pipe: not an error here.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

// Runs one SQL statement on `file` read-only with the sqlite3 shell; resolves with its
// output lines.
export function sqlite(file, sql) {
  return new Promise((resolve, reject) => {
    execFile('sqlite3', ['-readonly', '-batch', file, sql], { timeout: 60000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`sqlite3 ${file} "${sql}": ${stderr || error.message}`));
      else resolve(stdout.split('\n').filter((line) => line !== ''));
    });
  });
}
