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
          <nav>
            <a href="/configs">Configs</a>
            <a href="/submit">Submit</a>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
