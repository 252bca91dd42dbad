#!/usr/bin/env node
// Entry point of the client (and of the single executable built by `npm run overlay`).
import { main } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`bttui: ${(e as Error).message}`);
    process.exit(70);
  },
);
