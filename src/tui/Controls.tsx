import { Text } from 'ink';
import { formatRate } from './format.js';
import { Panel } from './Panel.js';
import { usePaint } from './theme.js';

interface ControlsProps {
  learningRate: number;
  epoch: number;
  epochs: number;
  l2: number;
  /** The learning rate being typed after L, or null. */
  lrDraft: string | null;
  width: number;
  height: number;
}

/** The values the keys change, learning rate and epoch target, and the keys that change them. */
export function Controls({ learningRate, epoch, epochs, l2, lrDraft, width, height }: ControlsProps) {
  const paint = usePaint();
  const inner = width - 2;
  const row = (label: string, value: string): string => ` ${label}${value.padStart(inner - label.length - 2)}`;
  return (
    <Panel title="controls" width={width} height={height}>
      {lrDraft === null ? (
        <Text wrap="truncate-end">{row('lr', formatRate(learningRate))}</Text>
      ) : (
        <Text wrap="truncate-end" inverse>
          {row('lr', `${lrDraft}▏`)}
        </Text>
      )}
      <Text wrap="truncate-end">{row('epoch', String(epoch))}</Text>
      <Text wrap="truncate-end">{row('target', String(epochs))}</Text>
      <Text wrap="truncate-end">{row('L2', String(l2))}</Text>
      <Text wrap="truncate-end" {...paint.dim()}>
        {' + - L  [ ] { }'}
      </Text>
    </Panel>
  );
}
