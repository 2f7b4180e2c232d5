import { canonicalize } from './jcs';
import { sha256Hex } from './encoding';
import type { CellConfig } from './schemas/config';

/**
 * The canonical (RFC 8785) JSON text the fingerprint hashes: the whole config but the seed, which
 * never moves a score in expectation (seeds are what a leaderboard aggregates over). Excluding any
 * other field must be argued in docs/fingerprint.md first.
 */
export function fingerprintInput(config: CellConfig): string {
  const { seed: _seed, ...rest } = config;
  return canonicalize(rest);
}

/** Protocol fingerprint: hex sha256 of the JCS canonical JSON of every score-affecting field. */
export async function fingerprint(config: CellConfig): Promise<string> {
  return sha256Hex(fingerprintInput(config));
}
