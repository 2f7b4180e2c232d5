import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'HeadPrep — how to prepare your task head before finetuning',
  description:
    'An open benchmark and leaderboard of head-preparation strategies (linear probe, LP-FT, early-stopped head probing, label smoothing, ...) across backbones and datasets.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <a href="/" className="brand">
            HeadPrep
          </a>
          <nav aria-label="Main">
            <a href="/#suites">Leaderboards</a>
            <a href="/configs">Reference configs</a>
            <a href="/submit">Submit</a>
            <a href="/admin">Admin</a>
          </nav>
        </header>
        <main>{children}</main>
        <footer className="site-footer">
          HeadPrep measures head preparation before finetuning after Ren et al., &ldquo;How to prepare your task head for
          finetuning&rdquo; (ICLR 2023). Results are signed by their submitters; scores are only compared within one suite
          version and protocol fingerprint.
        </footer>
      </body>
    </html>
  );
}
