import { canonicalize } from './jcs';
import { sha256Hex } from './encoding';
import type { CellConfig } from './schemas/config';

/**
 * Fields excluded from the protocol fingerprint: they never move a score in expectation.
 * Only the seed today; anything added here must be argued in docs/fingerprint.md.
 */
export const FINGERPRINT_EXCLUDED = ['seed'] as const;

/** The canonical (RFC 8785) JSON text the fingerprint hashes. */
export function fingerprintInput(config: CellConfig): string {
  const { seed: _seed, ...rest } = config;
  return canonicalize(rest);
}

/** Protocol fingerprint: hex sha256 of the JCS canonical JSON of every score-affecting field. */
export async function fingerprint(config: CellConfig): Promise<string> {
  return sha256Hex(fingerprintInput(config));
}
