import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from './deadline-queue.js';

const refdTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('DeadlineQueue', () => {
  it('expires each deadline once, no earlier than its time, in order, and never a settled one', async () => {
    const queue = new DeadlineQueue(40);
    const expired: string[] = [];
    const started = performance.now();
    const at: Record<string, number> = {};
    const mark = (name: string) => () => {
      expired.push(name);
      at[name] = performance.now() - started;
    };
    queue.add(mark('a'));
    const settleB = queue.add(mark('b'));
    await sleep(15);
    queue.add(mark('c'));
    settleB();
    settleB(); // twice is harmless
    await sleep(120);
    expect(expired).toEqual(['a', 'c']);
    expect(at.a).toBeGreaterThanOrEqual(39);
    expect(at.c).toBeGreaterThanOrEqual(54);
  });

  it('keeps the process alive only while a deadline is pending', async () => {
    const before = refdTimers();
    const queue = new DeadlineQueue(10_000);
    const settle = queue.add(() => {
      throw new Error('must not expire');
    });
    expect(refdTimers()).toBe(before + 1);
    settle();
    expect(refdTimers()).toBe(before);
    const again = queue.add(() => {});
    expect(refdTimers()).toBe(before + 1);
    again();
    expect(refdTimers()).toBe(before);
  });
});
