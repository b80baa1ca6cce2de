/**
 * Runs `worker` over `items` with at most `concurrency` in flight. Items not yet started when
 * `signal` aborts are skipped; the promise settles once every started worker has settled.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const lanes = Math.max(1, Math.min(Math.floor(concurrency), items.length));
  const lane = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      await worker(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
