// SPDX-License-Identifier: GPL-3.0-or-later
import '@testing-library/jest-dom/vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { cleanup, configure } from '@testing-library/svelte';
import { afterEach, vi } from 'vitest';
import { session } from '../lib/session.svelte';
import { toasts } from '../lib/toast.svelte';
import { printSheet } from '../lib/print.svelte';

// Generous waits: CI shares two cores with a Rust build.
configure({ asyncUtilTimeout: 5000 });

// jsdom has no printing; the emergency-sheet tests replace this with a spy.
window.print = vi.fn();

afterEach(() => {
  // Unmount first: components unlisten from the (mocked) Tauri events while the mocks still exist.
  cleanup();
  session.reset();
  toasts.clear();
  printSheet.clear();
  clearMocks();
  delete document.documentElement.dataset.theme;
  localStorage.clear();
});
