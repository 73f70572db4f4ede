export const DAY_MS = 86_400_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An ISO date `days` from now (fractions and negative days allowed). */
export function inDays(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString();
}

/** Sleeps until `at` has passed, and a little more, so the service sees it as past too. */
export function untilPast(at: Date): Promise<unknown> {
  return sleep(Math.max(0, at.getTime() - Date.now()) + 300);
}

/**
 * Polls `check` until it returns true or the deadline passes; answers whether it did. A deadline
 * for correctness (something must happen eventually), never a speed test.
 */
export async function eventually(check: () => Promise<boolean>, deadlineMs = 10_000, pauseMs = 50): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= until) return false;
    await sleep(pauseMs);
  }
}

/** Starts `action` `count` times at once; its answers, in the order they were started. */
export function atOnce<T>(count: number, action: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => action(index)));
}
