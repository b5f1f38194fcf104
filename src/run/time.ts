/** Waits until `when` (ms since the epoch); resolves false when the signal fired first. */
export function sleepUntil(when: number, signal: AbortSignal): Promise<boolean> {
  return sleep(Math.max(0, when - Date.now()), signal);
}

/** Waits `ms`; resolves false when the signal fired first, without leaving a timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
