import { KeyAnswerSchema, KEY_REGISTRATION_PAYLOAD_TYPE, MIN_KEY_PREFIX, SHORT_ID_LENGTH, shortId, signEnvelope, utf8 } from '../../contract';
import { createKey, loadKey } from '../submit/keystore';
import { errorText, parseAnswer, postJson, retryPolicyFromEnv, siteOption, SiteUnavailableError } from '../submit/site-client';
import { unknownChoice, usageError } from '../lib/args';
import { keyFile } from '../lib/paths';
import { AdminApiError, approveAdminKey, listAdminKeys, matchKey } from '../submit/admin-client';
import { CliError } from '../lib/cli-error';
import type { Command } from './types';
import { defineCommand } from './define';

const usage = `Usage: headprep keys <create|show|register|approve> [options]

  create [--force]   create an Ed25519 key pair; the private key is written with mode 0600 to
                     $HEADPREP_KEY_FILE or <config dir>/key.pem (config dir: $HEADPREP_CONFIG_DIR,
                     $XDG_CONFIG_HOME/headprep or ~/.config/headprep)
  show [--pem]       print the key id and the public key (base64 of the raw 32 bytes; --pem: SPKI PEM)
  register --site <url> --name <name> --contact <email or URL>
                     register your public key with a site; the request is signed by the key
                     itself (proof of possession). New keys are pending until a maintainer
                     approves them; results from pending keys are stored but not ranked.
                     Registering again is harmless and prints the key's status.
  approve [<key id>] --site <url>
                     approve a registered key on a site you run (maintainers, or a single-user
                     local site): needs the site's admin token in $ADMIN_TOKEN. The key id may be
                     the full 64 hex digits or a unique prefix of at least ${MIN_KEY_PREFIX} (such as the
                     ${SHORT_ID_LENGTH}-character short id); without one, your own key. Its pending results are ranked from then on.

Options:
  --key-file <path>  use this private key file instead of the default
  -h, --help         show this help`;

const SUBCOMMANDS = ['create', 'show', 'register', 'approve'];

export const keysCommand: Command = defineCommand(
  { name: 'keys', summary: 'create, show, register or approve your signing key (Ed25519)', usage, options: {
        force: { type: 'boolean' },
        pem: { type: 'boolean' },
        'key-file': { type: 'string' },
        site: { type: 'string' },
        name: { type: 'string' },
        contact: { type: 'string' },
      } },
  async ({ values, positionals }) => {
    const sub = positionals[0];
    if (!sub) throw usageError(`keys needs a subcommand: ${SUBCOMMANDS.join(', ')}`, usage);
    if (!SUBCOMMANDS.includes(sub)) throw unknownChoice('subcommand', sub, SUBCOMMANDS, usage);
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
    if (sub === 'register') {
      const site = siteOption(values.site);
      if (!site || !values.name || !values.contact) throw usageError(`keys register needs --site, --name and --contact`, usage);
      const key = await loadKey(file);
      const registration = { public_key: key.publicBase64, name: values.name, contact: values.contact, issued_at: new Date().toISOString() };
      const env = await signEnvelope(utf8.encode(JSON.stringify(registration)), KEY_REGISTRATION_PAYLOAD_TYPE, key.privateKey, key.publicKey);
      let ans;
      try {
        ans = await postJson(`${site}/api/keys`, JSON.stringify(env), retryPolicyFromEnv());
      } catch (e) {
        if (e instanceof SiteUnavailableError) throw new CliError(`cannot reach ${site}: ${e.message}`, 1);
        throw e;
      }
      if (ans.status === 201 || ans.status === 200) {
        const k = parseAnswer(`${site}/api/keys`, ans, KeyAnswerSchema).key;
        console.log(`${ans.status === 201 ? 'registered' : 'already registered'} ${k.key_id} with ${site}: status ${k.status}`);
        if (k.status === 'pending') console.log('a maintainer approves new keys; until then your results are stored but not ranked');
        return 0;
      }
      throw new CliError(`registration refused (${ans.status}): ${errorText(ans.body) ?? 'unexpected answer'}`, 1);
    }
    if (sub === 'approve') {
      const site = siteOption(values.site);
      if (!site) throw usageError(`keys approve needs --site (or HEADPREP_SITE)`, usage);
      const token = process.env.ADMIN_TOKEN;
      if (!token)
        throw new CliError('keys approve needs the site\'s admin token in the environment: ADMIN_TOKEN=<the token the site was started with> headprep keys approve ...');
      const wanted = positionals[1] ?? (await loadKey(file)).keyid;
      try {
        const key = matchKey(await listAdminKeys(site, token), wanted);
        if (key.status === 'approved') {
          console.log(`key ${shortId(key.key_id)} ("${key.name}") is already approved on ${site}`);
          return 0;
        }
        const done = await approveAdminKey(site, token, key.key_id);
        console.log(`approved key ${done.key_id} ("${done.name}") on ${site}: its results are ranked from now on`);
        const who = done.identity;
        if (who)
          console.log(
            who.decision === 'matched'
              ? `identity: joined "${who.name}" (${shortId(who.id)}): same ${who.matched_on.join(' and ')} as an approved key of it, so its reruns of that identity's results do not count as independent; /admin can move it to a new identity`
              : who.decision === 'new'
                ? `identity: a new identity "${who.name}" (${shortId(who.id)}): its reproductions of other identities' results count as independent`
                : `identity: "${who.name}" (${shortId(who.id)}), as chosen`,
          );
        console.log(`see ${site}/keys/${shortId(done.key_id)}`);
        return 0;
      } catch (e) {
        if (e instanceof AdminApiError) throw new CliError(e.message, 1);
        throw e;
      }
    }
    throw unknownChoice('subcommand', sub, SUBCOMMANDS, usage);
  },
);
