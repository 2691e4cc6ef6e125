// SPDX-License-Identifier: GPL-3.0-or-later
// Search, tag filter and sort of the account list (pure; the list is already in memory).
import type { AccountCard } from './ipc';
import type { SortKey } from './session.svelte';

export type ListQuery = { search: string; tag: string; sort: SortKey };

function haystack(a: AccountCard): string {
  return [a.name, a.issuer, a.username, a.url, ...a.tags].join('\n').toLocaleLowerCase();
}

// One collator each, made once: `localeCompare` with options builds a collator per call, which
// made sorting 1,000 accounts take 12–32 ms in WebKit against ~1 ms (measured in the app window).
const NAME_ORDER = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const PLAIN_ORDER = new Intl.Collator();
const TAG_ORDER = new Intl.Collator(undefined, { sensitivity: 'base' });

export function filterAccounts(list: AccountCard[], q: ListQuery): AccountCard[] {
  const terms = q.search.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const tag = q.tag.toLocaleLowerCase();
  const out = list.filter((a) => {
    if (tag && !a.tags.some((t) => t.toLocaleLowerCase() === tag)) return false;
    if (terms.length === 0) return true;
    const text = haystack(a);
    return terms.every((t) => text.includes(t));
  });
  const byName = (a: AccountCard, b: AccountCard) =>
    NAME_ORDER.compare(a.name, b.name) || PLAIN_ORDER.compare(a.username, b.username);
  const order = (() => {
    switch (q.sort) {
      case 'recent':
        return (a: AccountCard, b: AccountCard) => b.updatedAt - a.updatedAt || byName(a, b);
      case 'level':
        return (a: AccountCard, b: AccountCard) => b.level / (b.levelMax || 1) - a.level / (a.levelMax || 1) || byName(a, b);
      default:
        return byName;
    }
  })();
  // Favourites are pinned on top whatever the sort; each group keeps the chosen order.
  return out.sort((a, b) => Number(b.favourite) - Number(a.favourite) || order(a, b));
}

/** Every tag in use, sorted, case-insensitively unique. */
export function allTags(list: AccountCard[]): string[] {
  const seen = new Map<string, string>();
  for (const a of list) for (const t of a.tags) if (!seen.has(t.toLocaleLowerCase())) seen.set(t.toLocaleLowerCase(), t);
  return [...seen.values()].sort(TAG_ORDER.compare);
}
