// Fake time for the feedback tests: node's mock timers and a clock that move
// together, a millisecond at a time, so every timer fires when it is due.
import { mock } from 'node:test';

export interface FakeTime {
  clock: () => number;
  advance(ms: number): void;
  restore(): void;
}

export function useFakeTime(): FakeTime {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  let nowMs = 0;
  return {
    clock: () => nowMs / 1000,
    advance(ms) {
      for (let i = 0; i < ms; i++) {
        nowMs += 1;
        mock.timers.tick(1);
      }
    },
    restore: () => mock.timers.reset(),
  };
}
