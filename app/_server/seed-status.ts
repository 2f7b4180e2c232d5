/**
 * Where this process's first-start seeding stands (app/_server/seed-at-start.ts writes it; pages and
 * GET /api/health read it). Kept apart from the seeding code so readers import no database module.
 */
export interface SeedStatus {
  state: 'idle' | 'running' | 'done' | 'failed';
  /** Envelopes still to store when this start began, and how many of them are stored (or refused). */
  todo: number;
  done: number;
}

const g = globalThis as typeof globalThis & { __headprepSeedStatus?: SeedStatus };

export function seedStatus(): SeedStatus {
  return { ...(g.__headprepSeedStatus ?? { state: 'idle', todo: 0, done: 0 }) };
}

export function setSeedStatus(s: SeedStatus): void {
  g.__headprepSeedStatus = { ...s };
}
