import { Text } from 'ink';
import type { GradientCheck, Verdict } from '../learn/gradient-check.js';
import type { ParameterSnapshot } from '../train/session.js';
import { fixed } from './format.js';
import { Panel } from './Panel.js';
import { orderParameters, position } from './param-rows.js';
import { usePaint } from './theme.js';

interface ParamTableProps {
  params: readonly ParameterSnapshot[];
  offset: number;
  rows: number;
  sortByGrad: boolean;
  /** With `c`: each shown parameter's gradient check, by name (undefined while it is computed). */
  check?: ((name: string) => GradientCheck | undefined) | null;
  width: number;
  height: number;
}

/** Relative error colours, and marks that carry the verdict without colour. */
const VERDICTS: Record<Verdict, { color: string; mark: string }> = {
  good: { color: 'green', mark: '✓' },
  fair: { color: 'yellow', mark: '~' },
  bad: { color: 'red', mark: '✗' },
  kink: { color: 'gray', mark: '' },
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
export function ParamTable({ params, offset, rows, sortByGrad, check = null, width, height }: ParamTableProps) {
  const paint = usePaint();
  const shown = orderParameters(params, sortByGrad).slice(offset, offset + rows);
  if (check !== null) {
    return (
      <Panel title="gradient check" info={position(offset, params.length, rows)} width={width} height={height}>
        <Text bold wrap="truncate-end">
          {' '}
          {'name'.padEnd(NAME)} {'autograd'.padStart(NUM)} {'numeric'.padStart(NUM)} {'rel.err'.padStart(8)}
        </Text>
        {shown.map((p) => {
          const c = check(p.name);
          const verdict = c === undefined ? null : VERDICTS[c.verdict];
          return (
            <Text key={p.name} wrap="truncate-end">
              {' '}
              {p.name.padEnd(NAME).slice(0, NAME)} {c === undefined ? '       …' : fixed(c.autograd, NUM)}{' '}
              {c === undefined ? ' '.repeat(NUM) : fixed(c.numeric, NUM)}{' '}
              {c !== undefined && verdict !== null && (
                <Text {...paint.fg(verdict.color)}>
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
  const title = sortByGrad ? `${params.length} by |grad|` : `parameters ${params.length}`;
  return (
    <Panel title={title} info={position(offset, params.length, rows)} width={width} height={height}>
      <Text bold wrap="truncate-end">
        {' '}
        {'name'.padEnd(NAME)} {'value'.padStart(NUM)} {'grad'.padStart(NUM)} {'change'.padStart(NUM)}
      </Text>
      {shown.map((p) => (
        <Text key={p.name} wrap="truncate-end">
          {' '}
          {p.name.padEnd(NAME).slice(0, NAME)} {fixed(p.value, NUM)}{' '}
          <Text {...paint.fg(p.grad > 0 ? 'green' : p.grad < 0 ? 'red' : 'gray')}>{fixed(p.grad, NUM)}</Text>{' '}
          {fixed(p.delta, NUM)}
        </Text>
      ))}
    </Panel>
  );
}
