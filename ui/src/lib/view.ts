// SPDX-License-Identifier: GPL-3.0-or-later
// How the accounts are shown: cards in a grid or a compact list (one row each). A UI preference,
// not a secret: kept in localStorage like the theme.
export type AccountsView = 'cards' | 'list';

const KEY = 'keydeck.view';

export function loadView(): AccountsView {
  try {
    return localStorage.getItem(KEY) === 'list' ? 'list' : 'cards';
  } catch {
    return 'cards';
  }
}

export function saveView(view: AccountsView): void {
  try {
    localStorage.setItem(KEY, view);
  } catch {
    /* storage unavailable: the choice lasts for this session */
  }
}
