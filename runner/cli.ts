/**
 * headprep CLI: parses argv only and dispatches to one module per verb in commands/.
 */
import { keysCommand } from './commands/keys';
import { submitCommand } from './commands/submit';
import { verifyCommand } from './commands/verify';
import { runCommandDef } from './commands/run';
import { reportCommand } from './commands/report';
import { reproduceCommandDef } from './commands/reproduce';
import { signCommand } from './commands/sign';
import { backbonesCommand, datasetsCommand, suitesCommand } from './commands/registries';
import { CliError, type Command } from './commands/types';
import { RUNNER_VERSION } from './version';

const COMMANDS: Command[] = [keysCommand, submitCommand, verifyCommand, runCommandDef, reportCommand, reproduceCommandDef, signCommand, suitesCommand, backbonesCommand, datasetsCommand];

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
  const cmd = COMMANDS.find((c) => c.name === verb);
  if (!cmd) {
    console.error(`headprep: unknown command "${verb}"\n\n${help()}`);
    return 2;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof CliError) {
      console.error(`headprep ${verb}: ${e.message}`);
      return e.exitCode;
    }
    console.error(`headprep ${verb}: unexpected error: ${(e as Error).stack ?? e}`);
    return 1;
  }
}
