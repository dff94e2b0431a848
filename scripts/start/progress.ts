/** One line per step with its duration; a step still running after 15 s says so every 15 s. */
export async function step<T>(
  label: string,
  run: () => Promise<T>,
  done?: (result: T) => string,
): Promise<T> {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  console.log(`  … ${label}`);
  const ticker = setInterval(() => console.log(`  … ${label} (still running, ${seconds()} s)`), 15_000);
  ticker.unref();
  try {
    const result = await run();
    const note = done?.(result);
    console.log(`  ✓ ${label}${note ? `: ${note}` : ''} (${seconds()} s)`);
    return result;
  } catch (error) {
    console.log(`  ✗ ${label} (${seconds()} s)`);
    throw error;
  } finally {
    clearInterval(ticker);
  }
}
