import { expect, it } from 'vitest';
import { CrashWindow, DEFAULT_RESTART_POLICY } from './restart-policy.js';

it('restarts twice, stops at the third crash in five minutes, forgets old crashes', () => {
  let now = 0;
  const window = new CrashWindow(DEFAULT_RESTART_POLICY, () => now);
  expect(window.record()).toEqual({ restart: true, crashes: 1 });
  now += 60_000;
  expect(window.record()).toEqual({ restart: true, crashes: 2 });
  now += 5 * 60_000; // the first two have left the window
  expect(window.record()).toEqual({ restart: true, crashes: 1 });
  expect(window.record()).toEqual({ restart: true, crashes: 2 });
  expect(window.record()).toEqual({ restart: false, crashes: 3 });
});

it('never restarts when restarts are off', () => {
  expect(new CrashWindow(false).record()).toEqual({ restart: false, crashes: 1 });
});
