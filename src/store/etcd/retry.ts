/**
 * Runs `op` until it succeeds, fails with an error `retryable` rejects, or `budgetMs` has passed since the start;
 * then the last error is thrown. Waits 20 ms after the first failure, doubling up to 500 ms.
 *
 *   const res = await retry(() => kv.range(req), isTransient, 5_000);
 */
export async function retry<T>(op: () => Promise<T>, retryable: (err: unknown) => boolean, budgetMs: number, isClosed = (): boolean => false): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      return await op();
    } catch (err) {
      if (!retryable(err) || isClosed() || Date.now() + delay > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
