// SPDX-License-Identifier: GPL-3.0-or-later
import { mockIPC } from '@tauri-apps/api/mocks';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import DesktopSettings from '../components/DesktopSettings.svelte';
import type { DesktopSettings as Wanted, DesktopView } from '../lib/ipc';

const WAYLAND =
  'Your desktop did not allow Keydeck to use Ctrl+Alt+K: on Wayland apps cannot listen for keys pressed in other windows. Add a shortcut in your desktop\'s keyboard settings that runs “keydeck-app --quick” instead.';

/** What Rust does with these settings, reduced: a shortcut needs Ctrl/Alt/Super, is written back
 * in one form, and `refuse` says what the desktop refuses. */
function backend(start: Partial<DesktopView> = {}, refuse: (label: string) => string | null = () => null) {
  let view: DesktopView = {
    closeToTray: false,
    autostart: false,
    shortcut: 'Ctrl+Alt+K',
    shortcutProblem: null,
    autostartProblem: null,
    ...start,
  };
  const sets: Wanted[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'desktop_settings_get') return view;
    if (cmd === 'desktop_settings_set') {
      const s = (args as { settings: Wanted }).settings;
      sets.push(s);
      const t = s.shortcut.trim();
      if (t && !/^(ctrl|alt|super)\+/i.test(t)) {
        throw { kind: 'bad_input', message: `“${t}” needs Ctrl, Alt or Super too, or it would stop that key from working in other apps.` };
      }
      const label = t.replace(/\b\w/g, (c) => c.toUpperCase());
      view = { ...s, shortcut: label, shortcutProblem: label ? refuse(label) : null, autostartProblem: null };
      return view;
    }
    throw { kind: 'other', message: `unexpected ${cmd}` };
  });
  render(DesktopSettings);
  return { sets, user: userEvent.setup() };
}

describe('Settings → Desktop', () => {
  test('shows the current settings with their labels', async () => {
    backend({ closeToTray: true });
    expect(await screen.findByRole('heading', { level: 2, name: 'Desktop' })).toBeInTheDocument();
    expect(await screen.findByRole('checkbox', { name: 'Close button hides Keydeck to the tray' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Start with the desktop, hidden in the tray' })).not.toBeChecked();
    expect(screen.getByRole('textbox', { name: 'Quick access shortcut' })).toHaveValue('Ctrl+Alt+K');
    expect(screen.queryByTestId('desktop-shortcut-problem')).toBeNull();
  });

  test('each checkbox is saved at once with the other settings unchanged, and focus stays on it', async () => {
    const { sets, user } = backend();
    const tray = await screen.findByRole('checkbox', { name: 'Close button hides Keydeck to the tray' });
    await user.click(tray);
    await waitFor(() => expect(sets).toEqual([{ closeToTray: true, autostart: false, shortcut: 'Ctrl+Alt+K' }]));
    expect(await screen.findByText('Saved')).toBeInTheDocument();
    expect(tray).toBeChecked();
    expect(tray).toHaveFocus();
    const auto = screen.getByRole('checkbox', { name: 'Start with the desktop, hidden in the tray' });
    await user.click(auto);
    await waitFor(() => expect(sets[1]).toEqual({ closeToTray: true, autostart: true, shortcut: 'Ctrl+Alt+K' }));
    expect(auto).toBeChecked();
  });

  test('a change made while another is saved is not lost', async () => {
    const { sets, user } = backend();
    const tray = await screen.findByRole('checkbox', { name: 'Close button hides Keydeck to the tray' });
    const auto = screen.getByRole('checkbox', { name: 'Start with the desktop, hidden in the tray' });
    await Promise.all([user.click(tray), user.click(auto)]);
    await waitFor(() => expect(sets.at(-1)).toEqual({ closeToTray: true, autostart: true, shortcut: 'Ctrl+Alt+K' }));
    expect(tray).toBeChecked();
    expect(auto).toBeChecked();
  });

  test('a new shortcut is applied on Enter and shown as Rust wrote it back', async () => {
    const { sets, user } = backend();
    const field = await screen.findByRole('textbox', { name: 'Quick access shortcut' });
    await user.clear(field);
    await user.type(field, 'ctrl+shift+y{Enter}');
    await waitFor(() => expect(sets.at(-1)?.shortcut).toBe('ctrl+shift+y'));
    await waitFor(() => expect(field).toHaveValue('Ctrl+Shift+Y'));
    expect(field).toHaveFocus();
  });

  test('a shortcut Rust refuses to read is explained next to the field', async () => {
    const { user } = backend();
    const field = await screen.findByRole('textbox', { name: 'Quick access shortcut' });
    await user.clear(field);
    await user.type(field, 'K{Enter}');
    const err = await screen.findByTestId('desktop-shortcut-error');
    expect(err).toHaveTextContent('“K” needs Ctrl, Alt or Super too');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field.getAttribute('aria-describedby')).toContain('shortcut-error');
  });

  test('when the desktop does not allow the shortcut, one plain sentence says so', async () => {
    backend({ shortcutProblem: WAYLAND });
    const problem = await screen.findByTestId('desktop-shortcut-problem');
    expect(problem).toHaveTextContent('Your desktop did not allow Keydeck to use Ctrl+Alt+K');
    expect(problem).toHaveTextContent('keydeck-app --quick');
    const field = screen.getByRole('textbox', { name: 'Quick access shortcut' });
    expect(field.getAttribute('aria-describedby')).toContain('shortcut-problem');
  });

  test('a shortcut taken by another app is reported after the change, and clearing it turns it off', async () => {
    const { sets, user } = backend({}, (label) =>
      label === 'Ctrl+Alt+T' ? `Your desktop did not allow Keydeck to use ${label}: another app already uses it. Choose another combination.` : null,
    );
    const field = await screen.findByRole('textbox', { name: 'Quick access shortcut' });
    await user.clear(field);
    await user.type(field, 'ctrl+alt+t{Enter}');
    expect(await screen.findByTestId('desktop-shortcut-problem')).toHaveTextContent('another app already uses it');
    await user.clear(field);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(sets.at(-1)?.shortcut).toBe(''));
    await waitFor(() => expect(screen.queryByTestId('desktop-shortcut-problem')).toBeNull());
  });
});
