/** What both long-run scripts share: the forced collection, the epochs to measure at, the units. */

const exposed = (globalThis as { gc?: () => void }).gc;
if (exposed === undefined) {
  console.error('run with node --expose-gc (npm run bench:long does)');
  process.exit(2);
}
/** A full garbage collection. */
export const gc: () => void = exposed;

/** The run's length (EPOCHS overrides 100,000) and the epochs at which memory is read. */
export const total = Number(process.env.EPOCHS ?? 100_000);
export const marks = [1_000, 10_000, total].filter((m, i, a) => m <= total && a.indexOf(m) === i);

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
export const signed = (bytes: number): string => `${bytes >= 0 ? '+' : '-'}${mib(Math.abs(bytes))}`;
