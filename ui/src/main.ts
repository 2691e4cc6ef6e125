// SPDX-License-Identifier: GPL-3.0-or-later
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

// `npm run dev` in a plain browser has no Rust backend: use the in-memory demo backend.
// (Dead code in production builds; inside Tauri `__TAURI_INTERNALS__` exists.)
if (import.meta.env.DEV && !('__TAURI_INTERNALS__' in window)) {
  await import('./test/demo');
}

const app = mount(App, { target: document.getElementById('app')! });

export default app;
