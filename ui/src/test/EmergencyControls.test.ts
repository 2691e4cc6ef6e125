// SPDX-License-Identifier: GPL-3.0-or-later
import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import { dialogNamed, renderDetails, section, toastTexts, unlockedFake } from './helpers';

const TEN = Array.from({ length: 10 }, (_, i) => `${i + 1}. code-${String(i).padStart(2, '0')}x${i}`).join('\n');

async function setup(recovery: string[] = [], used = 0) {
  const fake = unlockedFake();
  const acc = fake.addAccount({
    name: 'GitHub',
    username: 'ada',
    recovery: recovery.map((code, i) => ({ code, usedAt: i < used ? 1_699_000_000 : null })),
  });
  const r = await renderDetails(fake, acc.id);
  const panel = section('Emergency controls');
  return { fake, acc, panel, user: r.user };
}

describe('EmergencyControls', () => {
  test('paste a block of codes: saved, listed masked, remaining count', async () => {
    const { fake, acc, panel, user } = await setup();
    expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('No codes saved');
    expect(within(panel).queryAllByTestId('recovery-item')).toHaveLength(0);

    const input = within(panel).getByTestId('recovery-input');
    expect(input).toBe(within(panel).getByLabelText('Paste recovery codes'));
    await user.click(input);
    await user.paste(`${TEN}\nsee you soon!\n`);
    await user.click(within(panel).getByTestId('recovery-save'));

    await waitFor(() => expect(within(panel).getAllByTestId('recovery-item')).toHaveLength(10));
    expect(fake.callsOf('recovery_add')).toEqual([{ id: acc.id, text: `${TEN}\nsee you soon!\n` }]);
    expect(within(panel).getByRole('status')).toHaveTextContent('Saved 10 codes; line 11 did not look like a code.');
    expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('10 of 10 unused');
    expect((input as HTMLTextAreaElement).value).toBe('');
    const items = within(panel).getAllByTestId('recovery-item');
    expect(items.map((i) => i.dataset.index)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // Masked means no characters: position and state only, in the text and in the markup.
    for (let i = 0; i < 10; i++) {
      const code = `code-${String(i).padStart(2, '0')}x${i}`;
      expect(panel.innerHTML).not.toContain(code);
      expect(panel.innerHTML).not.toContain(code.slice(-3));
      expect(panel.innerHTML).not.toContain(code.slice(0, 7));
    }
    expect(items[0]).toHaveTextContent('Code 1');
    expect(fake.commands()).not.toContain('recovery_reveal');
    expect(within(panel).queryByTestId('recovery-low')).not.toBeInTheDocument();
  });

  test('unused codes are listed first, used ones after, struck through with the date', async () => {
    const { panel } = await setup(['aaaa-1111', 'bbbb-2222', 'cccc-3333', 'dddd-4444'], 2);
    const items = within(panel).getAllByTestId('recovery-item');
    expect(items.map((i) => i.dataset.index)).toEqual(['2', '3', '0', '1']);
    expect(items.map((i) => i.classList.contains('used'))).toEqual([false, false, true, true]);
    expect(items[2]).toHaveTextContent(/Code 1\s*Used /);
    expect(within(items[2]).queryByTestId('recovery-mark-used')).not.toBeInTheDocument();
  });

  test('pasting duplicates says so', async () => {
    const { panel, user } = await setup(['aaaa-bbbb']);
    await user.click(within(panel).getByTestId('recovery-input'));
    await user.paste('aaaa-bbbb\ncccc-dddd');
    await user.click(within(panel).getByTestId('recovery-save'));
    expect(await within(panel).findByRole('status')).toHaveTextContent('Saved 1 code; 1 duplicate skipped.');
    expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('2 of 2 unused');
  });

  test('an empty paste is refused without calling Rust', async () => {
    const { fake, panel, user } = await setup();
    await user.click(within(panel).getByTestId('recovery-save'));
    expect(within(panel).getByRole('alert')).toHaveTextContent('Paste the recovery codes');
    expect(fake.commands()).not.toContain('recovery_add');
  });

  test('mark used: the count goes down, a toast offers Undo for 10 s, Undo makes it unused again', async () => {
    const codes = Array.from({ length: 10 }, (_, i) => `abcd-${1000 + i}`);
    const { fake, acc, panel, user } = await setup(codes);
    expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('10 of 10 unused');
    const third = within(panel).getAllByTestId('recovery-item')[2];
    const mark = within(third).getByRole('button', { name: 'Mark used: code 3' });
    await user.click(mark);

    await waitFor(() => expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('9 of 10 unused'));
    expect(fake.callsOf('recovery_mark_used')).toEqual([{ id: acc.id, index: 2 }]);
    // The used code moves to the end, struck through.
    const items = within(panel).getAllByTestId('recovery-item');
    expect(items.at(-1)!.dataset.index).toBe('2');
    expect(items.at(-1)).toHaveClass('used');
    expect(items.at(-1)).toHaveTextContent(/Used/);
    expect(toastTexts().join()).toContain('Code 3 marked used — 9 codes left');
    // Focus stays in the list, not on <body>.
    expect(document.activeElement).not.toBe(document.body);
    expect(panel.contains(document.activeElement)).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('10 of 10 unused'));
    expect(fake.callsOf('recovery_unmark')).toEqual([{ id: acc.id, index: 2 }]);
    expect(fake.accounts[0].recovery[2].usedAt).toBeNull();
    expect(within(panel).getAllByTestId('recovery-item')[2].dataset.index).toBe('2');
    expect(toastTexts().join()).toContain('Code 3 is unused again');
    await waitFor(() => expect(within(panel).getByRole('button', { name: 'Mark used: code 3' })).toHaveFocus());
  });

  test('warns when two or fewer codes are left', async () => {
    const { panel, user } = await setup(['aaaa-1111', 'bbbb-2222', 'cccc-3333']);
    expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('3 of 3 unused');
    expect(within(panel).queryByTestId('recovery-low')).not.toBeInTheDocument();

    await user.click(within(within(panel).getAllByTestId('recovery-item')[2]).getByTestId('recovery-mark-used'));
    const warning = await within(panel).findByTestId('recovery-low');
    expect(warning).toHaveTextContent('Only 2 recovery codes left.');
    expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('2 of 3 unused');

    // Unused codes stay on top: the first item is always the next unused one.
    await user.click(within(within(panel).getAllByTestId('recovery-item')[0]).getByTestId('recovery-mark-used'));
    await waitFor(() => expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('1 of 3 unused'));
    await user.click(within(within(panel).getAllByTestId('recovery-item')[0]).getByTestId('recovery-mark-used'));
    await waitFor(() => expect(within(panel).getByTestId('recovery-low')).toHaveTextContent('No recovery codes left.'));
  });

  test('reveal and copy one code; copy happens in Rust', async () => {
    const { fake, acc, panel, user } = await setup(['aaaa-1111', 'bbbb-2222']);
    const second = within(panel).getAllByTestId('recovery-item')[1];
    expect(second).not.toHaveTextContent('bbbb-2222');
    const reveal = within(second).getByTestId('recovery-reveal');
    await user.click(reveal);
    expect(await within(second).findByText('bbbb-2222')).toBeInTheDocument();
    expect(reveal).toHaveAttribute('aria-pressed', 'true');
    expect(fake.callsOf('recovery_reveal')).toEqual([{ id: acc.id, index: 1 }]);
    await user.click(reveal);
    expect(second).not.toHaveTextContent('bbbb-2222');

    await user.click(within(second).getByRole('button', { name: 'Copy code 2' }));
    expect(fake.callsOf('recovery_copy')).toEqual([{ id: acc.id, index: 1 }]);
    expect(fake.clipboard).toBe('bbbb-2222');
    expect(toastTexts()).toContain('Copied — clears in 30 s');
  });

  test('reveal all asks for the master password and shows the unused codes only', async () => {
    const { fake, acc, panel, user } = await setup(['aaaa-1111', 'bbbb-2222', 'cccc-3333'], 1);
    await user.click(within(panel).getByRole('button', { name: 'Reveal all' }));
    const dialog = dialogNamed('Reveal all codes');
    expect(fake.commands()).not.toContain('recovery_reveal_all');
    await user.type(within(dialog).getByLabelText('Master password'), 'not it');
    await user.click(within(dialog).getByRole('button', { name: 'Reveal codes' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('That master password is not correct.');
    expect(panel).not.toHaveTextContent('bbbb-2222');

    const field = within(dialog).getByLabelText('Master password');
    await user.clear(field);
    await user.type(field, fake.masterPassword);
    await user.click(within(dialog).getByRole('button', { name: 'Reveal codes' }));
    await waitFor(() => expect(panel).toHaveTextContent('bbbb-2222'));
    expect(panel).toHaveTextContent('cccc-3333');
    expect(panel).not.toHaveTextContent('aaaa-1111');
    expect(fake.callsOf('recovery_reveal_all').at(-1)).toEqual({ id: acc.id, masterPassword: fake.masterPassword, includeUsed: false });
    await user.click(within(panel).getByRole('button', { name: 'Hide all' }));
    expect(panel).not.toHaveTextContent('bbbb-2222');
  });

  test('copy all asks for the master password and copies the unused codes in Rust', async () => {
    const { fake, panel, user } = await setup(['aaaa-1111', 'bbbb-2222', 'cccc-3333'], 1);
    await user.click(within(panel).getByRole('button', { name: 'Copy all' }));
    const dialog = dialogNamed('Copy all codes');
    await user.type(within(dialog).getByLabelText('Master password'), fake.masterPassword);
    await user.click(within(dialog).getByRole('button', { name: 'Copy codes' }));
    await waitFor(() => expect(fake.clipboard).toBe('bbbb-2222\ncccc-3333'));
    expect(toastTexts().join()).toContain('Copied 2 unused codes');
    expect(panel).not.toHaveTextContent('bbbb-2222');
  });

  test('replace all: asks first, then the pasted block is the only set', async () => {
    const { fake, acc, panel, user } = await setup(['aaaa-1111', 'bbbb-2222'], 1);
    await user.click(within(panel).getByTestId('recovery-input'));
    await user.paste('new1-xxxx\nnew2-yyyy\nnew3-zzzz');
    await user.click(within(panel).getByRole('button', { name: 'Replace all' }));
    const dialog = dialogNamed('Replace all recovery codes?');
    expect(fake.commands()).not.toContain('recovery_replace');
    await user.click(within(dialog).getByRole('button', { name: 'Replace all' }));
    await waitFor(() => expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('3 of 3 unused'));
    expect(fake.callsOf('recovery_replace')).toEqual([{ id: acc.id, text: 'new1-xxxx\nnew2-yyyy\nnew3-zzzz' }]);
    expect(fake.accounts[0].recovery.map((r) => r.code)).toEqual(['new1-xxxx', 'new2-yyyy', 'new3-zzzz']);
  });

  test('print saves the emergency kit as a PDF after the master password, and says where', async () => {
    const { fake, acc, panel, user } = await setup(['aaaa-1111', 'bbbb-2222']);
    fake.savePath = '/home/user/kit.pdf';
    await user.click(within(panel).getByRole('button', { name: 'Print…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save the emergency kit' });
    expect(dialog).toHaveTextContent('you choose where next');
    await user.type(within(dialog).getByLabelText('Master password'), fake.masterPassword);
    await user.click(within(dialog).getByRole('button', { name: 'Save PDF' }));
    const saved = await within(panel).findByTestId('recovery-kit-saved');
    expect(saved).toHaveTextContent('Saved the emergency kit to /home/user/kit.pdf');
    // Rust checks the password, then opens the save dialog: the page sends no path.
    expect(fake.callsOf('recovery_print')).toEqual([{ id: acc.id, masterPassword: fake.masterPassword }]);
    expect(toastTexts().join()).toContain('Saved the emergency kit to /home/user/kit.pdf');
    expect(panel).not.toHaveTextContent('aaaa-1111');
  });

  test('print cancelled in the save dialog writes nothing and gives focus back to Print', async () => {
    const { fake, panel, user } = await setup(['aaaa-1111']);
    fake.savePath = null;
    const print = within(panel).getByRole('button', { name: 'Print…' });
    await user.click(print);
    const dialog = await screen.findByRole('dialog', { name: 'Save the emergency kit' });
    await user.type(within(dialog).getByLabelText('Master password'), fake.masterPassword);
    await user.click(within(dialog).getByRole('button', { name: 'Save PDF' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.callsOf('recovery_print')).toHaveLength(1);
    expect(fake.exported).toEqual({});
    expect(within(panel).queryByTestId('recovery-kit-saved')).toBeNull();
    await waitFor(() => expect(print).toHaveFocus());
  });
});
