/**
 * The one argument parser of every `headprep` command (node:util parseArgs, strict):
 *   - `-h` / `--help` is always an option; when given, the command's usage is printed by the CLI
 *     (runner/cli.ts catches HelpRequested) and the command does not run;
 *   - a mistake (unknown option, missing value, unknown subcommand, wrong arguments) is a CliError
 *     of one line, a "did you mean" when something is near, and the command's short usage (its
 *     "Usage:" lines and where the rest is), never the whole help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error';
import { editDistance } from './registry';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Thrown by parseCommandArgs for -h / --help: the CLI prints `usage` to stdout and exits 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
  constructor(readonly usage: string) {
    super('help requested');
  }
}

/** The command named by a usage text ("Usage: headprep keys create ..." -> "keys"), or null. */
function commandOf(usage: string): string | null {
  return /^Usage: headprep ([a-z][a-z-]*)/m.exec(usage)?.[1] ?? null;
}

/**
 * The short form of a command's usage: its opening "Usage:" block (up to the first blank line) and
 * where the rest is.
 */
export function shortUsage(usage: string): string {
  const head = usage.split(/\n\s*\n/)[0]!.trimEnd();
  const cmd = commandOf(usage);
  return `${head}\n(${cmd ? `headprep ${cmd} --help` : '--help'} lists every option)`;
}

/** A usage mistake: `message`, then the short usage. Exit code 2. */
export function usageError(message: string, usage: string): CliError {
  return new CliError(`${message}\n${shortUsage(usage)}`);
}

/**
 * ' Did you mean "x"?' for the known names nearest `got` (a substring, or a few edits for its
 * length: "seed" -> "seeds", "runn" -> "run"), at most two equally near; '' when none is near.
 */
export function didYouMean(got: string, known: Iterable<string>, quote = (s: string) => `"${s}"`): string {
  const scored = [...known]
    .map((k) => ({ k, d: k.includes(got) || got.includes(k) ? 0.5 : editDistance(got, k) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(Math.min(got.length, x.k.length) / 3)) || x.d === 0.5);
  const best = Math.min(...scored.map((x) => x.d));
  const near = scored.filter((x) => x.d === best).map((x) => x.k).sort().slice(0, 2);
  return near.length ? ` Did you mean ${near.map(quote).join(' or ')}?` : '';
}

/** An unknown subcommand or choice (`keys foo`), with the nearest known ones. */
export function unknownChoice(what: string, got: string, known: string[], usage: string): CliError {
  return usageError(`unknown ${what} "${got}".${didYouMean(got, known)} Known: ${known.join(', ')}.`, usage);
}

/** parseArgs' own errors, said plainly (node's texts mention '--' positionals and code names). */
function explain(e: Error & { code?: string }, options: Options, argv: string[]): string {
  const long = Object.keys(options);
  let unknown = /Unknown option '([^']+)'/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    // "-seeds" (one dash) reads as the flags -s -e -e ...: name the word that was typed
    if (/^-[^-]$/.test(unknown)) unknown = argv.find((a) => /^-[^-]{2,}/.test(a) && a[1] === unknown![1])?.replace(/=.*$/, '') ?? unknown;
    const name = unknown.replace(/^-+/, '');
    return `unknown option ${unknown}.${name.length > 1 ? didYouMean(name, long, (s) => `"--${s}"`) : ''}`;
  }
  const missing = /Option '(-\w, )?(--[^' ]+)[^']*' argument missing/.exec(e.message);
  if (missing) return `option ${missing[2]} needs a value`;
  const noArg = /Option '(-\w, )?(--[^' ]+)[^']*' does not take an argument/.exec(e.message);
  if (noArg) return `option ${noArg[2]} takes no value`;
  return e.message;
}

/**
 * parseArgs with `--help` always available (HelpRequested), positionals allowed, and mistakes
 * turned into short CliErrors (usageError).
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string) {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: all, allowPositionals: true, strict: true });
  } catch (e) {
    // `--help` anywhere still shows the help, even next to a mistake
    if (argv.some((a) => a === '--help' || a === '-h')) throw new HelpRequested(usage);
    throw usageError(explain(e as Error & { code?: string }, all, argv), usage);
  }
  if ((parsed.values as { help?: boolean }).help) throw new HelpRequested(usage);
  return parsed as typeof parsed & { values: { help?: boolean } };
}
