// Waits for a condition on the cart's side, which no store message signals.
// Bounded: polls every 20 ms, fails after `timeoutMs`.
export async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  for (let waited = 0; waited <= timeoutMs; waited += 20) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
