import { Box, Text } from 'ink';
import type { Message } from './controller.js';
import { formatLoss, formatPercent } from '../format.js';
import { formatRate } from './format.js';
import { HINTS } from './keys.js';
import { usePaint } from './theme.js';

interface StatusBarProps {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number | null;
  learningRate: number;
  stepsPerSecond: number;
  message: Message | null;
  /** Replaces the key hints while a mode (typing a learning rate, the menu) has its own keys. */
  prompt: string | null;
  width: number;
}

/** The status line (epoch, loss, accuracy, lr, speed) and below it a message or the key hints. */
export function StatusBar(props: StatusBarProps) {
  const { epoch, epochs, loss, accuracy, learningRate, stepsPerSecond, message, prompt, width } = props;
  const paint = usePaint();
  const parts = [
    // Padded after the number, so the text reads "epoch 7/100" and what follows stays put.
    `epoch ${epoch}/${epochs}`.padEnd(`epoch ${epochs}/${epochs}`.length),
    `loss ${formatLoss(loss).padStart(9)}`,
    ...(accuracy === null ? [] : [`acc ${formatPercent(accuracy).padStart(4)}`]),
    `lr ${formatRate(learningRate).padEnd(6)}`,
    `${String(Math.round(stepsPerSecond)).padStart(5)} steps/s`,
  ];
  const bottom = prompt ?? message?.text ?? HINTS.join(' · ');
  const tone = prompt === null && message?.tone === 'error' ? paint.fg('red') : prompt === null && message === null ? paint.dim() : paint.fg('yellow');
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" bold>
        {' ' + parts.join(' · ')}
      </Text>
      <Text wrap="truncate-end" {...tone}>
        {' ' + bottom}
      </Text>
    </Box>
  );
}
