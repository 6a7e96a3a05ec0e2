import { Box, Text, useApp, useInput, useStdin, type Key } from 'ink';
import { useLayoutEffect, useReducer, useRef, useState } from 'react';
import { defaultCheckpointName } from '../train/checkpoint.js';
import type { Controller } from './controller.js';
import { architecture, lossLabel } from './describe.js';
import { Header } from './Header.js';
import { Help } from './Help.js';
import { actionFor, type Action } from './keys.js';
import { COMPACT_COLUMNS, COMPACT_ROWS, computeLayout, TABLE_WIDTH } from './layout.js';
import { parseRate } from './learning-rate.js';
import { LossChart } from './LossChart.js';
import { mapKind, mapLines } from './map/kind.js';
import { MapPanel } from './map/MapPanel.js';
import { clampOffset } from './param-rows.js';
import { ParamTable } from './ParamTable.js';
import { Settings } from './Settings.js';
import { SetupMenu } from './SetupMenu.js';
import { StatusBar } from './StatusBar.js';
import { useController } from './use-controller.js';
import { useTerminalSize, type Size } from './use-terminal-size.js';

type Mode = 'main' | 'help' | 'menu' | 'prompt';

/** A line of text being typed: a learning rate, or where to save a checkpoint or the history. */
interface Prompt {
  /** `overwrite` asks before a save or export replaces a file this run did not write. */
  kind: 'lr' | 'save' | 'export' | 'overwrite';
  text: string;
  then?: 'save' | 'export';
}

interface AppProps {
  controller: Controller;
  /** A fixed size instead of the terminal's (tests). */
  size?: Size;
  /** Redraws per second at most while training runs. */
  maxFps?: number;
}

const HINTS: Record<'help' | 'menu', string> = {
  help: 'press any key to close the help',
  menu: '↑↓ move · enter choose · esc back',
};

/** A key event with no special key: for text that arrived in the same chunk as the key before it. */
const NO_KEY = {} as Key;

/**
 * The prompt line, at most `room` characters. A file name too long for it keeps its end, where
 * the cursor is (cut at the end, what is being typed would be out of sight); the keys go first.
 */
function promptLine({ kind, text }: Prompt, room: number): string {
  if (kind === 'lr') return 'type a learning rate, like 0.05 or 1e-3 · enter apply · esc cancel';
  if (kind === 'overwrite') return `${text} exists: y replaces it · any other key keeps it`;
  const label = kind === 'save' ? 'save checkpoint to: ' : 'export history (CSV) to: ';
  const keys = kind === 'save' ? ' · enter save · esc cancel' : ' · enter write · esc cancel';
  const line = `${label}${text}▏${keys}`;
  if (line.length <= room) return line;
  const fits = Math.max(2, room - label.length - 1);
  return `${label}${text.length > fits ? '…' + text.slice(-(fits - 1)) : text}▏`;
}

/** The terminal trainer: renders the controller's state and turns keys into its commands. */
export function App({ controller, size, maxFps = 30 }: AppProps) {
  const frameStart = performance.now();
  const clock = useController(controller, maxFps);
  // Ink writes the frame when React commits, before layout effects run: this measures both.
  useLayoutEffect(() => clock.record(performance.now() - frameStart));
  const terminal = useTerminalSize();
  const { columns, rows } = size ?? terminal;
  const [mapFirst, setMapFirst] = useState(false);
  const [discrete, setDiscrete] = useState(false);
  const { dataset } = controller.session.config;
  const kind = mapKind(dataset.x[0]?.length ?? 0, dataset.x.length, controller.session.isClassification);
  const layout = computeLayout(columns, rows, mapFirst, mapLines(kind, dataset.x.length));
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  // Mode and prompt live in a ref: keys that arrive together are handled before React re-renders,
  // and each must see what the one before it changed ("L0.05⏎" typed fast is one chunk).
  const ui = useRef<{ mode: Mode; prompt: Prompt }>({ mode: 'main', prompt: { kind: 'lr', text: '' } });
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const { mode, prompt } = ui.current;
  const setMode = (next: Mode): void => {
    ui.current.mode = next;
    rerender();
  };
  const openPrompt = (next: Prompt): void => {
    ui.current.prompt = next;
    setMode('prompt');
  };
  const [offset, setOffset] = useState(0);
  const [sortByGrad, setSortByGrad] = useState(false);
  const [logScale, setLogScale] = useState(false);

  const session = controller.session;
  const count = session.parameterCount;
  const visible = Math.max(1, layout.tableRows);
  const top = clampOffset(offset, count, visible);
  const scrollTo = (to: (from: number) => number): void => setOffset((o) => clampOffset(to(clampOffset(o, count, visible)), count, visible));

  const quit = (): void => {
    controller.dispose();
    exit();
  };

  const run = (action: Action): void => {
    switch (action) {
      case 'togglePlay':
        return controller.togglePlay();
      case 'step':
        return controller.stepOnce();
      case 'lrUp':
        return controller.raiseLearningRate();
      case 'lrDown':
        return controller.lowerLearningRate();
      case 'lrType':
        return openPrompt({ kind: 'lr', text: '' });
      case 'save':
        return openPrompt({ kind: 'save', text: controller.savePath ?? defaultCheckpointName(controller.options) });
      case 'export':
        return openPrompt({ kind: 'export', text: defaultCheckpointName(controller.options, '-history.csv') });
      case 'epochsUp10':
        return controller.changeEpochs(10);
      case 'epochsDown10':
        return controller.changeEpochs(-10);
      case 'epochsUp100':
        return controller.changeEpochs(100);
      case 'epochsDown100':
        return controller.changeEpochs(-100);
      case 'reset':
        return controller.reset();
      case 'newSeed':
        return controller.newSeed();
      case 'menu':
        controller.pause();
        return setMode('menu');
      case 'rowUp':
        return scrollTo((o) => o - 1);
      case 'rowDown':
        return scrollTo((o) => o + 1);
      case 'pageUp':
        return scrollTo((o) => o - visible);
      case 'pageDown':
        return scrollTo((o) => o + visible);
      case 'home':
        return scrollTo(() => 0);
      case 'end':
        return scrollTo(() => count);
      case 'sortByGrad':
        return setSortByGrad((s) => !s);
      case 'logScale':
        return setLogScale((s) => !s);
      case 'discrete':
        return setDiscrete((d) => !d);
      case 'mapFirst':
        return setMapFirst((m) => !m);
      case 'help':
        return setMode('help');
      case 'quit':
        return quit();
    }
  };

  const submit = ({ kind, text }: Prompt): void => {
    if (kind === 'save' || kind === 'export') {
      if (controller.wouldReplace(text)) return openPrompt({ kind: 'overwrite', text, then: kind });
      return write(kind, text);
    }
    const rate = parseRate(text);
    if (typeof rate === 'string') controller.say(rate, 'error');
    else controller.setLearningRate(rate);
  };

  const write = (what: 'save' | 'export', path: string): void => {
    if (what === 'export') controller.exportHistory(path);
    else if (controller.save(path)) controller.savePath = path;
  };

  const finishPrompt = (): void => {
    const { kind, text } = ui.current.prompt;
    setMode('main');
    if (text.trim() === '') return controller.say(kind === 'lr' ? 'nothing typed: learning rate unchanged' : 'no file name: nothing written');
    submit({ kind, text: text.trim() });
  };

  /** Keys while a prompt is open: text, backspace, Ctrl+U to clear, enter to submit, esc to cancel. */
  const type = (input: string, key: Key): void => {
    if (ui.current.prompt.kind === 'overwrite') {
      const { text, then = 'save' } = ui.current.prompt;
      setMode('main');
      return input === 'y' || input === 'Y' ? write(then, text) : controller.say(`${text} is left as it was`);
    }
    if (key.escape) return setMode('main');
    if (key.return) return finishPrompt();
    const current = ui.current.prompt;
    let text = current.text;
    if (key.ctrl || key.meta) {
      if (key.ctrl && input === 'u') ui.current.prompt = { ...current, text: '' }; // as in a shell: clear the line
      return rerender();
    }
    if (key.backspace || key.delete) text = text.slice(0, -1);
    const control = /[\x00-\x1f]/;
    for (const ch of key.backspace || key.delete ? '' : input) {
      if (ch === '\r' || ch === '\n') {
        ui.current.prompt = { ...current, text };
        return finishPrompt();
      }
      if (ch === '\x7f' || ch === '\b') text = text.slice(0, -1);
      else if (ch === '\x15') text = ''; // Ctrl+U typed together with other keys
      else if (!control.test(ch)) text += ch;
    }
    ui.current.prompt = { ...current, text: text.slice(0, 240) };
    rerender();
  };

  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') return quit();
      // On the "too small" screen only q works: other keys would change what nobody can see.
      if (layout.tooSmall) return input === 'q' ? quit() : undefined;
      const modeNow = (): Mode => ui.current.mode; // read afresh: run() may change it
      if (modeNow() === 'help') return setMode('main');
      if (modeNow() === 'menu') return; // the menu handles its own keys
      if (modeNow() === 'prompt') return type(input, key);
      // Fast typing or tmux can deliver several keys as one event: "sss" is three steps.
      const keys = input.length > 1 && !key.meta ? [...input] : [input];
      for (let i = 0; i < keys.length; i++) {
        const action = actionFor(keys[i] as string, key);
        if (action === undefined) continue;
        run(action);
        if (modeNow() === 'prompt') return type(keys.slice(i + 1).join(''), NO_KEY);
        if (modeNow() !== 'main' || action === 'quit') return;
      }
    },
    { isActive: isRawModeSupported === true },
  );

  if (layout.tooSmall) return <TooSmall columns={columns} rows={rows} />;

  // While training runs, show what the last step computed rather than pay for another forward pass.
  const latest = controller.playing ? (session.lastStep ?? session.latest) : session.latest;
  const { seed } = session.config;
  const header = [`${dataset.name} (${dataset.x.length})`, architecture(session), lossLabel(session), `seed ${seed}`, session.engine];

  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Header parts={header} state={controller.state} width={columns} />
      <Box height={layout.bodyHeight}>
        {mode === 'help' ? (
          <Help width={columns} height={layout.bodyHeight} />
        ) : (
          <>
            {mode === 'menu' ? (
              <SetupMenu
                options={controller.options}
                isActive={isRawModeSupported === true}
                width={layout.leftWidth}
                height={layout.bodyHeight}
                onCancel={() => setMode('main')}
                onApply={(options) => {
                  setMode('main');
                  setOffset(0);
                  controller.apply(options);
                }}
              />
            ) : (
              <Box flexDirection="column" width={layout.leftWidth}>
                {layout.chartHeight > 0 && (
                  <LossChart
                    losses={session.history.losses()}
                    current={controller.playing ? null : latest.loss}
                    logScale={logScale}
                    width={layout.leftWidth}
                    height={layout.chartHeight}
                  />
                )}
                {layout.mapHeight > 0 && (
                  <MapPanel
                    model={session.model}
                    x={dataset.x}
                    y={dataset.y}
                    outputs={latest.outputs}
                    accuracy={latest.accuracy}
                    classification={session.isClassification}
                    discrete={discrete}
                    playing={controller.playing}
                    width={layout.leftWidth}
                    height={layout.mapHeight}
                  />
                )}
              </Box>
            )}
            {!layout.compact && (
              <ParamTable
                params={session.snapshot()}
                offset={top}
                rows={visible}
                sortByGrad={sortByGrad}
                width={TABLE_WIDTH}
                height={layout.bodyHeight}
              />
            )}
          </>
        )}
      </Box>
      <Settings
        learningRate={session.learningRate}
        epochs={session.epochs}
        l2={session.config.l2 ?? 0}
        lrDraft={mode === 'prompt' && prompt.kind === 'lr' ? prompt.text : null}
        width={columns}
      />
      <StatusBar
        epoch={session.epoch}
        epochs={session.epochs}
        loss={latest.loss}
        accuracy={latest.accuracy}
        learningRate={session.learningRate}
        stepsPerSecond={controller.playing ? controller.stepsPerSecond : 0}
        message={controller.message}
        prompt={mode === 'main' ? null : mode === 'prompt' ? promptLine(prompt, columns - 1) : HINTS[mode]}
        width={columns}
      />
    </Box>
  );
}

/** Shown instead of the screen when the terminal is smaller than the layout needs. */
function TooSmall({ columns, rows }: Size) {
  const lines = [
    `micrograd-tui needs at least ${COMPACT_COLUMNS}x${COMPACT_ROWS};`,
    `this terminal is ${columns}x${rows}.`,
    'Enlarge it to continue (q quits).',
  ].slice(0, Math.max(1, rows - 1));
  return (
    <Box flexDirection="column" width={columns}>
      {lines.map((line) => (
        <Text key={line} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
