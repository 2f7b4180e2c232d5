/**
 * The on-disk outbox of `headprep submit`: every envelope is written here before it is uploaded and
 * removed only once the site has accepted it (201, or 200 for one it already had), so nothing is
 * lost when the site is down or the process dies. One folder per site:
 *   <config dir>/outbox/<host>_<port>-<sha256(site)[0:8]>/<payload sha256>.envelope.json
 * Envelopes the site refused for good (4xx other than 401/429) move to `rejected/` with the reason.
 * Names are the payload hash, so queueing the same result twice keeps one file.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256HexSync } from '../../lib/sha256';
import { configDir } from '../lib/paths';

export interface OutboxEntry {
  /** Hex sha256 of the envelope's payload bytes (the site's idempotency key). */
  payloadSha256: string;
  file: string;
  /** The envelope text, byte for byte as it will be sent. */
  body: string;
}

export function outboxRoot(): string {
  return process.env.HEADPREP_OUTBOX_DIR || join(configDir(), 'outbox');
}

export function siteSlug(site: string): string {
  const u = new URL(site);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const host = u.hostname.replace(/[^a-zA-Z0-9.-]/g, '_');
  return `${host}_${port}-${sha256HexSync(site).slice(0, 8)}`;
}

async function writeAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await writeFile(tmp, data, { mode: 0o600 });
  await rename(tmp, file);
}

export class Outbox {
  readonly dir: string;
  readonly rejectedDir: string;

  constructor(site: string, root = outboxRoot()) {
    this.dir = join(root, siteSlug(site));
    this.rejectedDir = join(this.dir, 'rejected');
  }

  /** Queues an envelope (idempotent by payload hash). */
  async put(payloadSha256: string, body: string): Promise<OutboxEntry> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${payloadSha256}.envelope.json`);
    await writeAtomic(file, body);
    return { payloadSha256, file, body };
  }

  /** Every queued envelope, oldest name order (stable). */
  async list(): Promise<OutboxEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: OutboxEntry[] = [];
    for (const n of names.sort()) {
      const m = /^([0-9a-f]{64})\.envelope\.json$/.exec(n);
      if (!m) continue;
      const file = join(this.dir, n);
      out.push({ payloadSha256: m[1]!, file, body: await readFile(file, 'utf8') });
    }
    return out;
  }

  /** The site accepted it: forget it. */
  async done(e: OutboxEntry): Promise<void> {
    await rm(e.file, { force: true });
  }

  /** The site refused it for good: keep it with the reason under rejected/, out of the retry queue. */
  async reject(e: OutboxEntry, reason: string): Promise<string> {
    await mkdir(this.rejectedDir, { recursive: true, mode: 0o700 });
    const target = join(this.rejectedDir, `${e.payloadSha256}.envelope.json`);
    await writeAtomic(`${target}.reason.txt`, `${reason}\n`);
    await rename(e.file, target);
    return target;
  }
}
