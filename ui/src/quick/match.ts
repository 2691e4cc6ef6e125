// SPDX-License-Identifier: GPL-3.0-or-later
// What the quick-access window lists for a search: accounts with a code to copy (TOTP, Steam;
// HOTP codes are made on request in the main window), matched like the main search, the ones whose
// name starts with what was typed first, so the first few letters of a name are enough for Enter.
import { filterAccounts } from '../lib/filter';
import type { AccountCard } from '../lib/ipc';

export function quickMatches(list: AccountCard[], query: string): AccountCard[] {
  const withCode = list.filter((a) => a.mfa !== null && a.mfa.kind !== 'hotp');
  const found = filterAccounts(withCode, { search: query, tag: '', sort: 'name' });
  const q = query.trim().toLocaleLowerCase();
  if (!q) return found;
  const starts = (a: AccountCard) =>
    a.name.toLocaleLowerCase().startsWith(q) || a.issuer.toLocaleLowerCase().startsWith(q) ? 0 : 1;
  // Array.prototype.sort is stable: within each group the name order stays.
  return found.sort((a, b) => starts(a) - starts(b));
}
