#!/usr/bin/env node
// Entry point for `npx headprep`: runs the TypeScript CLI through tsx's ESM loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../runner/cli.ts');
process.exitCode = await main(process.argv.slice(2));
