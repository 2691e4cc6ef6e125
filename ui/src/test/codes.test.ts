// SPDX-License-Identifier: GPL-3.0-or-later
import { afterEach, describe, expect, test, vi } from 'vitest';
import { codes } from '../lib/codes.svelte';
import { unlockedFake } from './helpers';

const OTP = { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: 'JBSWY3DPEHPK3PXP' } as const;

afterEach(() => {
  codes.stop();
  vi.useRealTimers();
});

describe('live codes', () => {
  test('fetch all codes at once, count down locally, refetch when the soonest code rolls over', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_020_000);
    const fake = unlockedFake(1_700_000_020);
    const acc = fake.addAccount({ name: 'GitHub', otp: { ...OTP } });
    codes.start();
    await vi.waitFor(() => expect(codes.byId[acc.id]).toBeDefined());
    expect(fake.callsOf('codes_now')).toHaveLength(1);
    expect(codes.remaining(acc.id)).toBe(20);
    const first = codes.byId[acc.id].code;

    // Nine seconds later: counted down locally, no new IPC call.
    for (let i = 0; i < 9; i++) await vi.advanceTimersByTimeAsync(1000);
    expect(codes.remaining(acc.id)).toBe(11);
    expect(fake.callsOf('codes_now')).toHaveLength(1);

    // Past the rollover: exactly one more fetch, and a new code.
    fake.nowOverride = 1_700_000_040;
    for (let i = 0; i < 12; i++) await vi.advanceTimersByTimeAsync(1000);
    expect(fake.callsOf('codes_now')).toHaveLength(2);
    expect(codes.byId[acc.id].code).not.toBe(first);
    expect(codes.byId[acc.id].code).toBe(fake.currentCode(acc.id).code);
  });

  test('stop() forgets every code', async () => {
    const fake = unlockedFake();
    const acc = fake.addAccount({ name: 'GitHub', otp: { ...OTP } });
    codes.start();
    await vi.waitFor(() => expect(codes.byId[acc.id]).toBeDefined());
    codes.stop();
    expect(codes.byId).toEqual({});
    expect(codes.running).toBe(false);
  });

  test('the shared period is the one most codes have; every code with it rolls over together', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_020_000);
    const fake = unlockedFake(1_700_000_020);
    fake.addAccount({ name: 'GitHub', otp: { ...OTP } });
    fake.addAccount({ name: 'Gmail', otp: { ...OTP } });
    const slow = fake.addAccount({ name: 'Bank', otp: { ...OTP, period: 60 } });
    fake.addAccount({ name: 'VPN', otp: { ...OTP, kind: 'hotp' } });
    expect(codes.sharedPeriod).toBeNull();
    codes.start();
    await vi.waitFor(() => expect(codes.byId[slow.id]).toBeDefined());
    expect(codes.sharedPeriod).toBe(30);
    expect(codes.remainingIn(30)).toBe(20); // 1_700_000_020 % 30 = 10
    expect(codes.remainingIn(60)).toBe(codes.remaining(slow.id));
  });
});
