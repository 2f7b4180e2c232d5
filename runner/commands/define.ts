/**
 * A command from its name, one-line summary, usage and options: its run gets the argv parsed by
 * parseCommandArgs (--help anywhere, "did you mean" for a mistyped option), so no command repeats
 * the parsing step.
 */
import { parseCommandArgs } from '../lib/args';
import type { Command } from './types';

type Options = Parameters<typeof parseCommandArgs>[1];

export function defineCommand<O extends Options>(
  def: { name: string; summary: string; usage: string; options: O },
  run: (args: ReturnType<typeof parseCommandArgs<O>>) => Promise<number>,
): Command {
  return { name: def.name, summary: def.summary, usage: def.usage, run: (argv) => run(parseCommandArgs(argv, def.options, def.usage)) };
}
