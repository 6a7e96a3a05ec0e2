import { Text } from 'ink';
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
  width: number;
  height: number;
}

const NAME = 10;
const NUM = 8;

/** Every parameter's value, gradient and last change, `rows` at a time from `offset`. */
export function ParamTable({ params, offset, rows, sortByGrad, width, height }: ParamTableProps) {
  const paint = usePaint();
  const shown = orderParameters(params, sortByGrad).slice(offset, offset + rows);
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
