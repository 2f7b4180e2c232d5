#!/usr/bin/env node
// Entry point for `npx headprep`: runs the TypeScript CLI through tsx's ESM loader.
import { register } from 'tsx/esm/api';

// `headprep suites | head`: when the reader goes away, stop quietly like any Unix tool
// instead of dying with an unhandled EPIPE trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

register();
const { main } = await import('../runner/cli.ts');
process.exitCode = await main(process.argv.slice(2));
