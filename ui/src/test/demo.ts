// SPDX-License-Identifier: GPL-3.0-or-later
// `npm run dev` in a plain browser: a demo vault in memory (master password "demo demo demo").
import { FakeBackend } from './fakeBackend';
import { installFakeBackend } from './install';

const fake = new FakeBackend();
fake.masterPassword = 'demo demo demo';
fake.latency = 60;
const day = 86400;
const now = Math.floor(Date.now() / 1000);
fake.addAccount({
  name: 'GitHub',
  issuer: 'GitHub',
  username: 'ada@example.com',
  url: 'https://github.com/login',
  tags: ['work', 'dev'],
  password: 'x8#Lq2!vR9sT@4mZ',
  passwordChangedAt: now - 20 * day,
  history: [now - 400 * day],
  otp: { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
  recovery: ['a1b2-c3d4', 'e5f6-g7h8', 'j9k0-l1m2', 'n3p4-q5r6', 's7t8-u9v0', 'w1x2-y3z4', 'b5c6-d7e8', 'f9g0-h1j2'].map(
    (code, i) => ({ code, usedAt: i < 2 ? now - (10 - i) * day : null }),
  ),
});
fake.addAccount({
  name: 'Proton Mail',
  issuer: 'Proton',
  username: 'ada@proton.me',
  tags: ['personal'],
  password: 'hunter2hunter2',
  passwordChangedAt: now - 300 * day,
  otp: { kind: 'totp', algorithm: 'SHA256', digits: 8, period: 30, counter: 0, secret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' },
  recovery: [{ code: 'zz11-yy22', usedAt: null }],
});
fake.addAccount({
  name: 'Steam',
  username: 'ada_plays',
  tags: ['personal', 'games'],
  otp: { kind: 'steam', algorithm: 'SHA1', digits: 5, period: 30, counter: 0, secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U' },
});
fake.addAccount({
  name: 'Company VPN',
  issuer: 'ACME',
  username: 'aturing',
  tags: ['work'],
  password: 'correct-horse-battery',
  otp: { kind: 'hotp', algorithm: 'SHA1', digits: 6, period: 30, counter: 12, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
});
fake.addAccount({ name: 'Hetzner Cloud', username: 'ops@example.com', url: 'https://console.hetzner.cloud', tags: ['work'] });
fake.queueScan('screenshot.png', [
  { name: 'ACME:ada', issuer: 'ACME', account: 'ada@acme.test', secret: 'JBSWY3DPEHPK3PXP' },
  { name: 'Example', issuer: 'Example', account: 'ada', secret: 'GEZDGNBVGY3TQOJQ' },
]);
// Import: "aegis.json" (password "test") and any other picked path is "not a format Keydeck reads".
fake.importFiles['/home/ada/Downloads/aegis.json'] = {
  format: 'aegis',
  description: 'Aegis backup, encrypted',
  password: 'test',
  accounts: [
    { name: 'ada@mastodon.social', issuer: 'Mastodon', otp: { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: 'JBSWY3DPEHPK3PXP' } },
    { name: 'GitHub', issuer: 'GitHub', username: 'ada@example.com' },
  ],
  problems: ['entry 3 (Yandex / ada): Yandex codes are not supported'],
};
fake.pickedPath = '/home/ada/Downloads/aegis.json';
fake.backup = { ...fake.backup, lastAt: now - 3600, pending: true };
fake.backups = [
  { path: `${fake.backup.dir}/keydeck-a.sqlite`, name: 'keydeck-a.sqlite', at: now - 3600, size: 53_248 },
  { path: `${fake.backup.dir}/keydeck-b.sqlite`, name: 'keydeck-b.sqlite', at: now - 2 * day, size: 49_152 },
];
fake.backupFiles[fake.backups[0].path] = { at: now - 3600, password: 'demo demo demo', accounts: [{ name: 'GitHub' }, { name: 'Steam' }] };
installFakeBackend(fake);
(window as unknown as { keydeckDemo: FakeBackend }).keydeckDemo = fake;
