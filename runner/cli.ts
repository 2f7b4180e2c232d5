/**
 * headprep CLI: parses argv only and dispatches to one module per verb in commands/, loaded when
 * that verb runs (commands/index.ts).
 */
import { COMMAND_TABLE as COMMANDS } from './commands/index';
import { HelpRequested, didYouMean } from './lib/args';
import { CliError } from './lib/cli-error';
import { runReleaseHooks } from './lib/release-hooks';
import { RUNNER_VERSION } from './version';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `headprep ${RUNNER_VERSION}: run standardized head-preparation protocols and submit signed results.

Usage: headprep <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "headprep <command> --help" for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(help());
    return verb ? 0 : 2;
  }
  if (verb === '--version' || verb === '-v') {
    console.log(RUNNER_VERSION);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === verb);
  if (!entry) {
    const what = verb.startsWith('-')
      ? `unknown option "${verb}": options go after the command (headprep run tiny@1 --seeds 0)`
      : `unknown command "${verb}".${didYouMean(verb, COMMANDS.map((c) => c.name))}`;
    console.error(
      `headprep: ${what}\nUsage: headprep <command> [options]; commands: ${COMMANDS.map((c) => c.name).join(', ')}\n(headprep --help says what each does)`,
    );
    return 2;
  }
  try {
    const cmd = await entry.load();
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof HelpRequested) {
      console.log(e.usage);
      return 0;
    }
    if (e instanceof CliError) {
      console.error(`headprep ${verb}: ${e.message}`);
      return e.exitCode;
    }
    console.error(`headprep ${verb}: unexpected error: ${(e as Error).stack ?? e}`);
    return 1;
  } finally {
    // Native handles (the webgpu backend's Dawn device) would keep the process alive.
    await runReleaseHooks();
  }
}
