// SPDX-License-Identifier: GPL-3.0-or-later
import '@testing-library/jest-dom/vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { cleanup, configure } from '@testing-library/svelte';
import { afterEach } from 'vitest';
import { session } from '../lib/session.svelte';
import { toasts } from '../lib/toast.svelte';

// Generous waits: CI shares two cores with a Rust build.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  // Unmount first: components unlisten from the (mocked) Tauri events while the mocks still exist.
  cleanup();
  session.reset();
  toasts.clear();
  clearMocks();
  delete document.documentElement.dataset.theme;
  localStorage.clear();
});
