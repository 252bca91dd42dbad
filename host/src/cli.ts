#!/usr/bin/env node
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { consoleSafe } from '../../client/src/shared.ts';
import { runCli } from './run-cli.ts';

// Last resort: whatever escaped runCli's own messages is one line on the terminal, and the stack goes
// to a file the line names (a bug report wants it; the person at the terminal does not).
try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (e) {
  const err = e as Error;
  const where = path.join(mkdtempSync(path.join(tmpdir(), 'boottorrent-crash-')), 'stack.txt');
  appendFileSync(
    where,
    `${new Date().toISOString()} boottorrent ${process.argv.slice(2).join(' ')}\n${err?.stack ?? String(e)}\n`,
  );
  console.error(
    consoleSafe(
      `boottorrent ${process.argv[2] ?? ''}: ${err?.message ?? String(e)} (a bug: the details are in ${where})`,
    ),
  );
  process.exitCode = 70;
}
