// SPDX-License-Identifier: GPL-3.0-or-later
/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { brandIcons } from './scripts/brand-icons';

// Tauri loads ui/dist in release builds and http://localhost:5173 in `tauri dev`.
export default defineConfig({
  plugins: [svelte(), svelteTesting(), brandIcons()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK 2.4x (Debian 12) and WebView2 both handle this.
    target: ['es2022', 'safari16'],
    // No inline <script>/<style> or data: URLs: the app runs under `default-src 'self'`.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // Two pages: the app, and the quick-access window the global shortcut opens.
    rollupOptions: {
      input: { main: 'index.html', quick: 'quick.html' },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    testTimeout: 30_000,
  },
});
