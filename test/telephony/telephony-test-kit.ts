// Shared by the telephony route tests: a manual clock, Twilio-side signing, and fixed account values.
import twilio from 'twilio';
import type { Clock, TimerHandle } from '../../src/shared/clock.ts';

export const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const CALL_SID = 'CAfedcba9876543210fedcba9876543210';
export const STREAM_SID = 'MZ00112233445566778899aabbccddeeff';
/** Deliberately not the address the test server listens on: signatures follow PUBLIC_URL, never the Host header. */
export const PUBLIC_URL = 'https://voice.example.com';
export const START_MS = 1_780_000_000_000;

export type ManualClock = Clock & { advance(ms: number): void; pendingTimers(): number };

/** Time moves only when a test says so; due timers fire in order inside advance(). */
export function manualClock(startMs = START_MS): ManualClock {
  let nowMs = startMs;
  let timers: Array<{ dueMs: number; callback: () => void; intervalMs?: number }> = [];
  function schedule(callback: () => void, delayMs: number, intervalMs?: number): TimerHandle {
    const timer = { dueMs: nowMs + delayMs, callback, intervalMs };
    timers.push(timer);
    return { cancel: () => void (timers = timers.filter((item) => item !== timer)) };
  }
  return {
    now: () => nowMs,
    monotonicMs: () => nowMs - startMs,
    setTimeout: (callback, delayMs) => schedule(callback, delayMs),
    setInterval: (callback, intervalMs) => schedule(callback, intervalMs, intervalMs),
    advance(ms) {
      const targetMs = nowMs + ms;
      for (;;) {
        const due = timers.filter((timer) => timer.dueMs <= targetMs).sort((a, b) => a.dueMs - b.dueMs)[0];
        if (!due) break;
        nowMs = due.dueMs;
        if (due.intervalMs === undefined) timers = timers.filter((timer) => timer !== due);
        else due.dueMs += due.intervalMs;
        due.callback();
      }
      nowMs = targetMs;
    },
    pendingTimers: () => timers.length,
  };
}

export function signForm(url: string, params: Record<string, string>, authToken = AUTH_TOKEN): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}
