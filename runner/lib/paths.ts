import { homedir } from 'node:os';
import { join } from 'node:path';

/** The user's HeadPrep config dir: $HEADPREP_CONFIG_DIR, else $XDG_CONFIG_HOME/headprep, else ~/.config/headprep. */
export function configDir(): string {
  if (process.env.HEADPREP_CONFIG_DIR) return process.env.HEADPREP_CONFIG_DIR;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'headprep');
}

/** Cache dir for datasets and backbones: $HEADPREP_CACHE_DIR, else $XDG_CACHE_HOME/headprep, else ~/.cache/headprep. */
export function cacheDir(): string {
  if (process.env.HEADPREP_CACHE_DIR) return process.env.HEADPREP_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'headprep');
}

/** The private key file: $HEADPREP_KEY_FILE, else <config dir>/key.pem. */
export function keyFile(): string {
  return process.env.HEADPREP_KEY_FILE || join(configDir(), 'key.pem');
}
