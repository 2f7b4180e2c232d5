import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with `--help` always available and errors turned into CliErrors that show usage. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return parsed as typeof parsed & { values: { help?: boolean } };
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\n${usage}`);
  }
}
