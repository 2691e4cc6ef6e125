// SPDX-License-Identifier: GPL-3.0-or-later
// The quick-access window (label `quick`): its own small entry, so it loads none of the main app.
import { mount } from 'svelte';
import '../app.css';
import QuickAccess from './QuickAccess.svelte';

const app = mount(QuickAccess, { target: document.getElementById('quick')! });

export default app;
