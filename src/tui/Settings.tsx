import { Box, Text } from 'ink';
import { DEFAULT_LR_STEP, type ScheduleSpec } from '../nn/optim.js';
import { formatRate } from './format.js';
import { formatPace, type Pace } from './pace.js';

interface SettingsProps {
  /** The base rate (what + - L change); the status line shows the current one. */
  learningRate: number;
  schedule?: ScheduleSpec | undefined;
  epochs: number;
  l2: number;
  pace: Pace;
  /** Samples per update, or null when each update takes the whole training set. */
  batch?: number | null;
  /** Share of the samples held out for testing (0: none). */
  testFraction: number;
  /** The learning rate being typed after L, or null. */
  lrDraft: string | null;
  width: number;
}

/** One line of what the keys change (learning rate, pace, epoch target, L2), each with its keys; what does not fit is left out from the end. */
export function Settings({ learningRate, schedule, epochs, l2, pace, batch = null, testFraction, lrDraft, width }: SettingsProps) {
  const parts: [label: string, value: string, keys: string][] = [
    ['lr', formatRate(learningRate) + scheduleText(schedule), '+ - L'],
    ['pace', formatPace(pace), '< >'],
    ['target', String(epochs), '[ ] { }'],
    ...(batch === null ? [] : [['batch', String(batch), ''] as [string, string, string]]),
    ['L2', formatRate(l2), ''],
    ...(testFraction > 0 ? [['test', `${Math.round(testFraction * 100)}%`, ''] as [string, string, string]] : []),
  ];
  let room = width - 1;
  const shown = parts.filter(([label, value, keys]) => {
    const length = label.length + 1 + value.length + (keys === '' ? 0 : keys.length + 1) + 3;
    room -= length;
    return room >= 0;
  });
  return (
    <Box width={width}>
      <Text wrap="truncate-end">
        {' '}
        {shown.map(([label, value, keys], i) => (
          <Text key={label}>
            {i > 0 && ' · '}
            {label}{' '}
            {label === 'lr' && lrDraft !== null ? <Text inverse>{`${lrDraft}▏`}</Text> : <Text bold>{value}</Text>}
            {keys !== '' && ` ${keys}`}
          </Text>
        ))}
      </Text>
    </Box>
  );
}

/** After the base rate: where the schedule takes it (nothing for a constant rate). */
function scheduleText(schedule: ScheduleSpec | undefined): string {
  switch (schedule?.kind ?? 'constant') {
    case 'constant':
      return '';
    case 'step':
      return ` halved every ${schedule?.every ?? DEFAULT_LR_STEP}`;
    default:
      return ` ${schedule?.kind} to ${formatRate(schedule?.final ?? 0)}`;
  }
}
