/** A numeric setting of a benchmark: the environment variable `name`, or `fallback` when it is unset. */
export const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

// The checkout load, which the checkout and peers benchmarks share so that their figures compare.
export const PRODUCTS = knob('BENCH_PRODUCTS', 1000);
/** Keep-alive connections (checkout) or shoppers in a closed loop (peers), one checkout in flight on each. */
export const CONNECTIONS = knob('BENCH_CONNECTIONS', 32);
export const SATURATION_SECONDS = knob('BENCH_SATURATION_SECONDS', 10);
export const RATE_SECONDS = knob('BENCH_RATE_SECONDS', 10);
