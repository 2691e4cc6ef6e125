// SPDX-License-Identifier: GPL-3.0-or-later
// Theme: CSS variables follow prefers-color-scheme; data-theme on <html> overrides it.
// The choice is also cached locally (not a secret) so the lock screen uses it before unlock.
import type { Theme } from './ipc';

const KEY = 'keydeck.theme';

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    /* storage unavailable: the theme still applies for this session */
  }
}

export function cachedTheme(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    if (t === 'light' || t === 'dark' || t === 'system') return t;
  } catch {
    /* ignore */
  }
  return 'system';
}
