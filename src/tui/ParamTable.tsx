import { Text } from 'ink';
import type { GradientCheck, Verdict } from '../learn/gradient-check.js';
import type { ParameterSnapshot } from '../train/session.js';
import { columnFormat } from './format.js';
import { Panel } from './Panel.js';
import { position } from './param-rows.js';
import { usePaint } from './theme.js';

/** A row of the table: a parameter and its index in the model. */
export type ParameterRow = ParameterSnapshot & { index: number };

interface ParamTableProps {
  /** The rows on screen, in the table's order (see shownIndices). */
  shown: readonly ParameterRow[];
  /** How many parameters the table has, the first shown, and how many fit. */
  count: number;
  offset: number;
  rows: number;
  sortByGrad: boolean;
  /** With `c`: each shown parameter's gradient check, by model index (undefined while it is computed). */
  check?: ((index: number) => GradientCheck | undefined) | null;
  /** With mini-batches the check is of the next update's batch loss, and its title says so. */
  batched?: boolean;
  width: number;
  height: number;
}

/** Relative error colours, and marks that carry the verdict without colour. */
const VERDICTS: Record<Verdict, { color: string; mark: string }> = {
  good: { color: 'green', mark: '✓' },
  fair: { color: 'magenta', mark: '~' }, // not yellow: it fades on white (docs/colours.md)
  bad: { color: 'red', mark: '✗' },
  kink: { color: '', mark: '' },
};

/** A relative error in 6 columns: `3.2e-9`, `0.0013`, `kink`. */
function relError(c: GradientCheck): string {
  if (c.verdict === 'kink') return 'kink'.padStart(6);
  if (c.relativeError === 0) return '0'.padStart(6);
  const e = c.relativeError;
  return (e >= 1e-3 ? String(Number(e.toPrecision(2))) : e.toExponential(0)).padStart(6);
}

const NAME = 10;
const NUM = 8;

/** Every parameter's value, gradient and last change, `rows` at a time from `offset`. */
export function ParamTable({ shown, count, offset, rows, sortByGrad, check = null, batched = false, width, height }: ParamTableProps) {
  const paint = usePaint();
  // Each column in one format for the rows on screen (see columnFormat).
  const column = (pick: (p: ParameterSnapshot) => number): ((x: number) => string) => columnFormat(shown.map(pick), NUM);
  if (check !== null) {
    const checks = shown.map((p) => check(p.index));
    const done = checks.filter((c): c is GradientCheck => c !== undefined);
    const autograd = columnFormat(done.map((c) => c.autograd), NUM);
    const numeric = columnFormat(done.map((c) => c.numeric), NUM);
    return (
      <Panel title={batched ? 'check · next batch' : 'gradient check'} info={position(offset, count, rows)} width={width} height={height}>
        <Text bold wrap="truncate-end">
          {' '}
          {'name'.padEnd(NAME)} {'autograd'.padStart(NUM)} {'numeric'.padStart(NUM)} {'rel.err'.padStart(8)}
        </Text>
        {shown.map((p, i) => {
          const c = checks[i];
          const verdict = c === undefined ? null : VERDICTS[c.verdict];
          return (
            <Text key={p.name} wrap="truncate-end">
              {' '}
              {p.name.padEnd(NAME).slice(0, NAME)} {c === undefined ? '       …' : autograd(c.autograd)}{' '}
              {c === undefined ? ' '.repeat(NUM) : numeric(c.numeric)}{' '}
              {c !== undefined && verdict !== null && (
                <Text {...(verdict.color === '' ? {} : paint.fg(verdict.color))}>
                  {relError(c)} {verdict.mark}
                </Text>
              )}
            </Text>
          );
        })}
      </Panel>
    );
  }
  // Short enough that the scroll position always fits beside it in the border.
  const title = sortByGrad ? `${count} by |grad|` : `parameters ${count}`;
  const [value, grad, change] = [column((p) => p.value), column((p) => p.grad), column((p) => p.delta)];
  return (
    <Panel title={title} info={position(offset, count, rows)} width={width} height={height}>
      <Text bold wrap="truncate-end">
        {' '}
        {'name'.padEnd(NAME)} {'value'.padStart(NUM)} {'grad'.padStart(NUM)} {'change'.padStart(NUM)}
      </Text>
      {shown.map((p) => (
        <Text key={p.name} wrap="truncate-end">
          {' '}
          {p.name.padEnd(NAME).slice(0, NAME)} {value(p.value)}{' '}
          <Text {...(p.grad > 0 ? paint.fg('green') : p.grad < 0 ? paint.fg('red') : {})}>{grad(p.grad)}</Text>{' '}
          {change(p.delta)}
        </Text>
      ))}
    </Panel>
  );
}
