import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { ThemeToggle, THEME_BOOT_SCRIPT } from './_components/theme-toggle';
import { PAPER, sourceUrl } from './_components/paper';
import { TableSort } from './_components/table-sort';
import { SeedingNote } from './_components/seeding-note';

export const metadata: Metadata = {
  title: 'HeadPrep — how to prepare your task head before finetuning',
  description:
    'An open benchmark and leaderboard of head-preparation strategies (linear probe, LP-FT, early-stopped head probing, label smoothing, ...) across backbones and datasets.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  const source = sourceUrl();
  return (
    // data-theme is set by the boot script before React hydrates: expected to differ from the server's.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>
        <header className="site-header">
          <a href="/" className="brand">
            HeadPrep
          </a>
          <nav aria-label="Main">
            <a href="/#suites">Leaderboards</a>
            <a href="/configs">Reference configs</a>
            <a href="/compare">Compare</a>
            <a href="/submit">Submit</a>
            <a href="/about">About</a>
            <a href="/admin">Admin</a>
            <ThemeToggle />
          </nav>
        </header>
        <main>
          <SeedingNote />
          {children}
        </main>
        <footer className="site-footer">
          <p>
            HeadPrep measures head preparation before finetuning after Ren et al.,{' '}
            <a href={PAPER.arxiv}>&ldquo;{PAPER.title}&rdquo;</a> ({PAPER.venue}, arXiv 2302.05779;{' '}
            <a href="/about#cite">BibTeX</a>). Results are signed by their submitters; scores are only compared within one
            suite version and protocol fingerprint.
          </p>
          <p>
            {source && (
              <>
                <a href={source} data-testid="source-link">
                  Source code
                </a>{' '}
                (MIT) ·{' '}
              </>
            )}
            <a href="/api">API</a> · <a href="/about">About</a>
          </p>
        </footer>
        <TableSort />
      </body>
    </html>
  );
}
