import { createHash } from 'node:crypto';
import type { Dataset } from './dataset.js';

/**
 * A SHA-256 of a dataset's numbers (its shape, the inputs row by row, then the targets), as
 * `sha256:` and 64 hex digits. A checkpoint stores it, so a data file changed since the save is
 * noticed (a cosmetic change, such as spacing or a header, keeps it).
 */
export function datasetDigest(data: Pick<Dataset, 'x' | 'y'>): string {
  const hash = createHash('sha256');
  hash.update(`${data.x.length}x${data.x[0]?.length ?? 0}:`);
  for (const row of data.x) hash.update(new Uint8Array(Float64Array.from(row).buffer));
  hash.update(new Uint8Array(Float64Array.from(data.y).buffer));
  return `sha256:${hash.digest('hex')}`;
}
