'use client';
/**
 * Light / dark / system theme, remembered in localStorage ("headprep-theme"). The stored choice is
 * applied before first paint by THEME_BOOT_SCRIPT (inlined in <head> by app/layout.tsx), so a
 * reload never flashes the other theme; this button only changes it.
 */
import { useEffect, useState } from 'react';

const STORAGE_KEY = 'headprep-theme';
type Theme = 'system' | 'light' | 'dark';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };

/** Runs in <head> before the body renders: sets data-theme from localStorage (no React needed). */
export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem('${STORAGE_KEY}');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`;

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>('system');
  useEffect(() => {
    const t = document.documentElement.dataset.theme;
    setTheme(t === 'light' || t === 'dark' ? t : 'system');
  }, []);
  const choose = (t: Theme) => {
    setTheme(t);
    if (t === 'system') {
      delete document.documentElement.dataset.theme;
      localStorage.removeItem(STORAGE_KEY);
    } else {
      document.documentElement.dataset.theme = t;
      localStorage.setItem(STORAGE_KEY, t);
    }
  };
  return (
    <button type="button" className="theme-toggle" data-testid="theme-toggle" onClick={() => choose(NEXT[theme])} title="Switch between the system theme, light and dark">
      Theme: {theme}
    </button>
  );
}
