// SPDX-License-Identifier: GPL-3.0-or-later
import { fireEvent, waitFor, within } from '@testing-library/svelte';
import { describe, expect, test, vi } from 'vitest';
import { printSheet } from '../lib/print.svelte';
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
    // Masked: the codes themselves are not on the page.
    expect(panel.textContent).not.toContain('code-00x0');
    expect(items[0]).toHaveTextContent('x0');
    expect(within(panel).queryByTestId('recovery-low')).not.toBeInTheDocument();
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

  test('mark used: the count goes down, the code is shown as used', async () => {
    const codes = Array.from({ length: 10 }, (_, i) => `abcd-${1000 + i}`);
    const { fake, acc, panel, user } = await setup(codes);
    expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('10 of 10 unused');
    const first = within(panel).getAllByTestId('recovery-item')[0];
    await user.click(within(first).getByTestId('recovery-mark-used'));

    await waitFor(() => expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('9 of 10 unused'));
    expect(fake.callsOf('recovery_mark_used')).toEqual([{ id: acc.id, index: 0 }]);
    const updated = within(panel).getAllByTestId('recovery-item')[0];
    expect(updated).toHaveClass('used');
    expect(updated).toHaveTextContent(/Used/);
    expect(within(updated).queryByTestId('recovery-mark-used')).not.toBeInTheDocument();
    expect(toastTexts()).toContain('Marked as used — 9 codes left');
  });

  test('warns when two or fewer codes are left', async () => {
    const { panel, user } = await setup(['aaaa-1111', 'bbbb-2222', 'cccc-3333']);
    expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('3 of 3 unused');
    expect(within(panel).queryByTestId('recovery-low')).not.toBeInTheDocument();

    await user.click(within(within(panel).getAllByTestId('recovery-item')[2]).getByTestId('recovery-mark-used'));
    const warning = await within(panel).findByTestId('recovery-low');
    expect(warning).toHaveTextContent('Only 2 recovery codes left.');
    expect(within(panel).getByTestId('recovery-remaining')).toHaveTextContent('2 of 3 unused');

    await user.click(within(within(panel).getAllByTestId('recovery-item')[0]).getByTestId('recovery-mark-used'));
    await user.click(within(within(panel).getAllByTestId('recovery-item')[1]).getByTestId('recovery-mark-used'));
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

  test('print emergency sheet: codes revealed only after confirming, cleared after printing', async () => {
    const { fake, panel, user } = await setup(['aaaa-1111', 'bbbb-2222', 'cccc-3333'], 1);
    const print = vi.mocked(window.print);
    print.mockClear();
    await user.click(within(panel).getByRole('button', { name: /Print emergency sheet/ }));
    const dialog = dialogNamed('Print emergency sheet?');
    expect(fake.commands()).not.toContain('recovery_reveal');
    expect(document.querySelector('.print-sheet')).toBeNull();

    await user.click(within(dialog).getByRole('button', { name: 'Reveal and print' }));
    await waitFor(() => expect(print).toHaveBeenCalledOnce());
    const sheet = document.querySelector('.print-sheet')!;
    expect(sheet).toHaveTextContent('GitHub');
    expect(sheet).toHaveTextContent('bbbb-2222');
    expect(sheet).toHaveTextContent('cccc-3333');
    expect(sheet).not.toHaveTextContent('aaaa-1111'); // used codes stay masked
    expect(sheet).toHaveTextContent(/Printed /);
    expect(fake.callsOf('recovery_reveal').map((a) => a.index)).toEqual([1, 2]);

    await fireEvent(window, new Event('afterprint'));
    expect(printSheet.data).toBeNull();
    expect(document.querySelector('.print-sheet')).toBeNull();
  });
});
