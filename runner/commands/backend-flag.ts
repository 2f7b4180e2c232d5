/**
 * The --backend flag of the commands that train in this process (run, reproduce): its parseArgs
 * option, its value checked before any work starts, and the backend started, each failure a CliError.
 */
import { CliError } from '../lib/cli-error';
import { BACKEND_PREFS, initBackend, type BackendInfo, type BackendPref } from '../train/backend';

/** Spread into a command's parseArgs options. */
export const BACKEND_OPTION = { backend: { type: 'string', default: 'auto' } } as const;

/** The flag's value as a BackendPref, or a CliError naming the choices. */
export function backendPref(value: string | undefined): BackendPref {
  const pref = value as BackendPref;
  if (!BACKEND_PREFS.includes(pref)) throw new CliError(`--backend: expected one of ${BACKEND_PREFS.join(', ')}, got "${value}"`);
  return pref;
}

/** The backend started, or a CliError saying why the requested one is not available. */
export async function startBackend(pref: BackendPref): Promise<BackendInfo> {
  try {
    return await initBackend(pref);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}
