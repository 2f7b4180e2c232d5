/** The paper HeadPrep follows, for the footer and /about. */
export const PAPER = {
  title: 'How to prepare your task head for finetuning',
  authors: 'Yi Ren, Shangmin Guo, Wonho Bae, Danica J. Sutherland',
  venue: 'ICLR 2023',
  arxiv: 'https://arxiv.org/abs/2302.05779',
  bibtex: `@inproceedings{ren2023prepare,
  title     = {How to prepare your task head for finetuning},
  author    = {Ren, Yi and Guo, Shangmin and Bae, Wonho and Sutherland, Danica J.},
  booktitle = {International Conference on Learning Representations (ICLR)},
  year      = {2023},
  url       = {https://arxiv.org/abs/2302.05779}
}`,
};

/**
 * Where the site's source lives: $HEADPREP_SOURCE_URL (a deployment sets it to its repository),
 * else null and the footer points to /about#source.
 */
export function sourceUrl(): string | null {
  const u = process.env.HEADPREP_SOURCE_URL?.trim();
  return u && /^https?:\/\//.test(u) ? u : null;
}
