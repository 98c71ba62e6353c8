import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeferredWork } from './deferred-work.ts';

describe('DeferredWork', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the tasks queued within one window together, once the window has passed', () => {
    const ran: string[] = [];
    const work = new DeferredWork(() => {}, { windowMs: 20 });
    work.defer(() => ran.push('a'));
    vi.advanceTimersByTime(10);
    work.defer(() => ran.push('b'));
    vi.advanceTimersByTime(9);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(['a', 'b']);
    // The next task opens a new window.
    work.defer(() => ran.push('c'));
    vi.advanceTimersByTime(19);
    expect(ran).toEqual(['a', 'b']);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('runs everything queued at once on drain, including tasks queued by tasks', () => {
    const ran: string[] = [];
    const work = new DeferredWork(() => {}, { windowMs: 1000 });
    work.defer(() => {
      ran.push('a');
      work.defer(() => ran.push('queued by a'));
    });
    work.drain();
    expect(ran).toEqual(['a', 'queued by a']);
    // Nothing is left for the timer.
    vi.advanceTimersByTime(1000);
    expect(ran).toEqual(['a', 'queued by a']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hands a failing task to onError and still runs the others', () => {
    const errors: unknown[] = [];
    const ran: string[] = [];
    const work = new DeferredWork((error) => errors.push(error), { windowMs: 5 });
    work.defer(() => {
      throw new Error('boom');
    });
    work.defer(() => ran.push('after'));
    vi.advanceTimersByTime(5);
    expect(ran).toEqual(['after']);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('does not hold a burst for the whole window', () => {
    let ran = 0;
    const work = new DeferredWork(() => {}, { windowMs: 1000, maxQueued: 3 });
    for (let index = 0; index < 3; index++) work.defer(() => ran++);
    vi.advanceTimersByTime(0);
    expect(ran).toBe(3);
  });
});
