import { Box, Text } from 'ink';
import { BINDINGS } from './keys.js';
import { Panel } from './Panel.js';

interface HelpProps {
  width: number;
  height: number;
}

/** Every key binding, read from the same table the input handler uses, in as many columns as fit. */
export function Help({ width, height }: HelpProps) {
  const perColumn = Math.max(1, height - 3);
  const columns: (typeof BINDINGS)[] = [];
  for (let i = 0; i < BINDINGS.length; i += perColumn) columns.push(BINDINGS.slice(i, i + perColumn));
  const columnWidth = Math.floor((width - 2) / columns.length);
  return (
    <Panel title="keys" info="any key closes" width={width} height={height}>
      <Box>
        {columns.map((bindings, c) => (
          <Box key={c} flexDirection="column" width={columnWidth}>
            {bindings.map((b) => (
              <Text key={b.keys} wrap="truncate-end">
                <Text bold>{` ${b.keys}`.padEnd(12)}</Text>
                {b.description}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    </Panel>
  );
}
