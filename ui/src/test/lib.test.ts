// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, test } from 'vitest';
import { allTags, filterAccounts } from '../lib/filter';
import { groupCode, parseTags, spokenCode, initial } from '../lib/format';
import type { AccountCard } from '../lib/ipc';
import { sanitizeSvg } from '../lib/svg';

describe('code grouping', () => {
  test.each([
    ['412490', null, ['412', '490']],
    ['1234567', null, ['123', '4567']],
    ['12345678', null, ['1234', '5678']],
    ['123456789', null, ['123', '456', '789']],
    ['1234567890', null, ['12345', '67890']],
    ['2B4X9', 'steam', ['2B4X9']],
    ['12345', 'totp', ['12345']],
  ] as const)('%s (%s) → %j', (code, kind, groups) => {
    expect(groupCode(code, kind)).toEqual(groups);
  });

  test('spoken as digit groups', () => {
    expect(spokenCode('412490')).toBe('4 1 2, 4 9 0');
    expect(spokenCode('12345678')).toBe('1 2 3 4, 5 6 7 8');
    expect(spokenCode('2B4X9', 'steam')).toBe('2 B 4 X 9');
  });
});

describe('small helpers', () => {
  test('tags are trimmed and de-duplicated', () => {
    expect(parseTags(' work, dev,,Work , personal ')).toEqual(['work', 'dev', 'personal']);
    expect(parseTags('')).toEqual([]);
  });

  test('avatar initial', () => {
    expect(initial('github')).toBe('G');
    expect(initial('  ')).toBe('?');
    expect(initial('ändern')).toBe('Ä');
  });
});

describe('account filter', () => {
  const a = (name: string, extra: Partial<AccountCard> = {}): AccountCard => ({
    id: name,
    name,
    issuer: '',
    username: '',
    url: '',
    tags: [],
    icon: '',
    hasPassword: false,
    mfa: null,
    recoveryUnused: 0,
    recoveryUsed: 0,
    level: 0,
    levelMax: 5,
    updatedAt: 0,
    favourite: false,
    ...extra,
  });
  const list = [a('zulip', { tags: ['Chat'], level: 2 }), a('Amazon', { url: 'https://aws.amazon.com', updatedAt: 9 }), a('bank', { level: 5 })];

  test('sorts by name case-insensitively by default', () => {
    expect(filterAccounts(list, { search: '', tag: '', sort: 'name' }).map((x) => x.name)).toEqual(['Amazon', 'bank', 'zulip']);
  });

  test('searches URLs and every term', () => {
    expect(filterAccounts(list, { search: 'aws', tag: '', sort: 'name' }).map((x) => x.name)).toEqual(['Amazon']);
    expect(filterAccounts(list, { search: 'aws bank', tag: '', sort: 'name' })).toEqual([]);
  });

  test('tags, recent and level', () => {
    expect(filterAccounts(list, { search: '', tag: 'chat', sort: 'name' }).map((x) => x.name)).toEqual(['zulip']);
    expect(filterAccounts(list, { search: '', tag: '', sort: 'recent' })[0].name).toBe('Amazon');
    expect(filterAccounts(list, { search: '', tag: '', sort: 'level' }).map((x) => x.name)).toEqual(['bank', 'zulip', 'Amazon']);
    expect(allTags([...list, a('x', { tags: ['chat', 'Work'] })])).toEqual(['Chat', 'Work']);
  });

  test('favourites come first whatever the sort, each group in the chosen order', () => {
    const withFav = [...list, a('Mail', { favourite: true, level: 1, updatedAt: 1 }), a('Cloud', { favourite: true, level: 4 })];
    const names = (sort: 'name' | 'recent' | 'level') =>
      filterAccounts(withFav, { search: '', tag: '', sort }).map((x) => x.name);
    expect(names('name')).toEqual(['Cloud', 'Mail', 'Amazon', 'bank', 'zulip']);
    expect(names('recent')).toEqual(['Mail', 'Cloud', 'Amazon', 'bank', 'zulip']);
    expect(names('level')).toEqual(['Cloud', 'Mail', 'bank', 'zulip', 'Amazon']);
    // A filter still applies to favourites.
    expect(filterAccounts(withFav, { search: 'mail', tag: '', sort: 'name' }).map((x) => x.name)).toEqual(['Mail']);
  });
});

describe('QR SVG sanitiser', () => {
  test('keeps drawing, drops scripts, handlers, links and styles', () => {
    const out = sanitizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" onload="alert(1)" style="x"><script>alert(2)</script>' +
        '<a href="javascript:alert(3)"><rect width="1" height="1"/></a><path d="M0 0h1v1H0z" fill="#000" onclick="x()"/>' +
        '<foreignObject><div>hi</div></foreignObject></svg>',
    );
    expect(out).toContain('<path d="M0 0h1v1H0z" fill="#000"/>');
    expect(out).toContain('role="img"');
    expect(out).not.toMatch(/script|onload|onclick|javascript|foreignObject|style=/i);
  });

  test('refuses what is not SVG', () => {
    expect(() => sanitizeSvg('<html><body>x</body></html>')).toThrow();
    expect(() => sanitizeSvg('not markup')).toThrow();
  });
});
