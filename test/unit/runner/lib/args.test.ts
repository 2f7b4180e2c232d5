/** The one argument parser of every headprep command (runner/lib/args.ts): help, short usage, "did you mean". */
import { describe, expect, it } from 'vitest';
import { didYouMean, HelpRequested, parseCommandArgs, shortUsage, unknownChoice, usageError } from '../../../../runner/lib/args';
import { CliError } from '../../../../runner/lib/cli-error';

const usage = `Usage: headprep run <suite@version | config.json> [options]
       headprep run --resume <dir>

Runs every cell of a suite.

Options:
  --seeds <list>  seeds to run
  --out <dir>     output folder
  --json          machine-readable output
  -h, --help      show this help`;
const options = { seeds: { type: 'string' }, out: { type: 'string', short: 'o' }, json: { type: 'boolean' } } as const;

function failure(argv: string[]): CliError {
  try {
    parseCommandArgs(argv, options, usage);
  } catch (e) {
    return e as CliError;
  }
  throw new Error(`parsed: ${argv.join(' ')}`);
}

describe('parseCommandArgs', () => {
  it('parses options and positionals', () => {
    const { values, positionals } = parseCommandArgs(['tiny@1', '--seeds', '0,1', '-o', 'runs', '--json'], options, usage);
    expect(positionals).toEqual(['tiny@1']);
    expect(values).toMatchObject({ seeds: '0,1', out: 'runs', json: true });
  });

  it('-h and --help throw HelpRequested with the whole usage, even next to a mistake', () => {
    for (const argv of [['--help'], ['tiny@1', '-h'], ['--sed', '1', '--help']]) {
      let e: unknown;
      try {
        parseCommandArgs(argv, options, usage);
      } catch (x) {
        e = x;
      }
      expect(e, argv.join(' ')).toBeInstanceOf(HelpRequested);
      expect((e as HelpRequested).usage).toBe(usage);
    }
  });

  it('an unknown option names the nearest one and shows the short usage, not the whole help', () => {
    const e = failure(['tiny@1', '--seed', '0']);
    expect(e).toBeInstanceOf(CliError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(
      'unknown option --seed. Did you mean "--seeds"?\nUsage: headprep run <suite@version | config.json> [options]\n       headprep run --resume <dir>\n(headprep run --help lists every option)',
    );
    expect(e.message).not.toContain('Options:');
    expect(e.message).not.toContain("after '--'");
    expect(failure(['--seed=0']).message).toMatch(/^unknown option --seed\. Did you mean "--seeds"\?/);
    expect(failure(['-seeds', '1']).message).toMatch(/^unknown option -seeds\. Did you mean "--seeds"\?/);
    expect(failure(['--jsno']).message).toMatch(/^unknown option --jsno\. Did you mean "--json"\?/);
    expect(failure(['--verbose']).message).toMatch(/^unknown option --verbose\.\n/); // nothing near: no guess
    expect(failure(['-x']).message).toMatch(/^unknown option -x\.\n/);
  });

  it('a missing value and a value given to a flag are said plainly', () => {
    expect(failure(['--out']).message).toMatch(/^option --out needs a value\nUsage: headprep run/);
    expect(failure(['-o']).message).toMatch(/^option --out needs a value\n/);
    expect(failure(['--json=yes']).message).toMatch(/^option --json takes no value\n/);
  });
});

describe('usage helpers', () => {
  it('shortUsage keeps the Usage block and points at --help', () => {
    expect(shortUsage('Usage: headprep datasets\n\nLists datasets.')).toBe('Usage: headprep datasets\n(headprep datasets --help lists every option)');
    expect(usageError('run needs exactly one target', usage).message).toMatch(/^run needs exactly one target\nUsage: headprep run .*\n.*\n\(headprep run --help/);
  });

  it('didYouMean: substrings and a few edits, the nearest only, nothing when far', () => {
    const verbs = ['keys', 'submit', 'verify', 'run', 'report', 'reproduce', 'sign', 'suites', 'backbones', 'datasets', 'doctor'];
    expect(didYouMean('runn', verbs)).toBe(' Did you mean "run"?');
    expect(didYouMean('sumbit', verbs)).toBe(' Did you mean "submit"?');
    expect(didYouMean('suite', verbs)).toBe(' Did you mean "suites"?');
    expect(didYouMean('xyzzy', verbs)).toBe('');
    expect(didYouMean('seed', ['seeds', 'help', 'out'], (s) => `--${s}`)).toBe(' Did you mean --seeds?');
  });

  it('unknownChoice lists the known subcommands', () => {
    expect(unknownChoice('subcommand', 'creat', ['create', 'show'], usage).message).toMatch(/^unknown subcommand "creat"\. Did you mean "create"\? Known: create, show\.\nUsage:/);
  });
});
