/**
 * Loud registries (docs/engineering.md): duplicate ids throw, unknown ids list near matches.
 */

/** Levenshtein distance (small strings: ids). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Ids within edit distance 3 (or sharing a prefix/substring), nearest first. */
export function nearMatches(id: string, known: Iterable<string>, max = 3): string[] {
  return [...known]
    .map((k) => ({ k, d: k.includes(id) || id.includes(k) ? 0.5 : editDistance(id, k) }))
    .filter((x) => x.d <= 3)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, max)
    .map((x) => x.k);
}

export class UnknownIdError extends Error {
  override name = 'UnknownIdError';
}

export class Registry<T extends { id: string }> {
  private readonly items = new Map<string, T>();
  constructor(private readonly kind: string) {}

  register(item: T): T {
    if (this.items.has(item.id)) throw new Error(`${this.kind} "${item.id}" is already registered`);
    this.items.set(item.id, item);
    return item;
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  get(id: string): T {
    const item = this.items.get(id);
    if (item) return item;
    const near = nearMatches(id, this.items.keys());
    const hint = near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
    throw new UnknownIdError(`unknown ${this.kind} "${id}".${hint} Known: ${[...this.items.keys()].sort().join(', ')}`);
  }

  list(): T[] {
    return [...this.items.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}
