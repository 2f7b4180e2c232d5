import { createKey, loadKey } from '../lib/keystore';
import { parseCommandArgs } from '../lib/args';
import { keyFile } from '../lib/paths';
import { CliError, type Command } from './types';

const usage = `Usage: headprep keys <create|show> [options]

  create [--force]   create an Ed25519 key pair; the private key is written with mode 0600 to
                     $HEADPREP_KEY_FILE or <config dir>/key.pem (config dir: $HEADPREP_CONFIG_DIR,
                     $XDG_CONFIG_HOME/headprep or ~/.config/headprep)
  show [--pem]       print the key id and the public key (base64 of the raw 32 bytes; --pem: SPKI PEM)

Options:
  --key-file <path>  use this private key file instead of the default
  -h, --help         show this help`;

export const keysCommand: Command = {
  name: 'keys',
  summary: 'create or show your signing key (Ed25519)',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { force: { type: 'boolean' }, pem: { type: 'boolean' }, 'key-file': { type: 'string' } },
      usage,
    );
    const sub = positionals[0];
    if (values.help || !sub) {
      console.log(usage);
      return values.help ? 0 : 2;
    }
    const file = values['key-file'] ?? keyFile();
    if (sub === 'create') {
      const key = await createKey(file, values.force ?? false);
      console.log(`created ${key.file} (mode 0600)`);
      console.log(`key id      ${key.keyid}`);
      console.log(`public key  ${key.publicBase64}`);
      return 0;
    }
    if (sub === 'show') {
      const key = await loadKey(file);
      if (values.pem) {
        process.stdout.write(key.publicPem);
        return 0;
      }
      console.log(`key file    ${key.file}`);
      console.log(`key id      ${key.keyid}`);
      console.log(`public key  ${key.publicBase64}`);
      return 0;
    }
    throw new CliError(`unknown subcommand "keys ${sub}"\n\n${usage}`);
  },
};
