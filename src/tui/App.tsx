import { Box, Text, useApp, useInput, useStdin, type Key } from 'ink';
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { expandHome } from '../io/home.js';
import { UserError } from '../errors.js';
import { plural } from '../format.js';
import { oneLine } from '../io/one-line.js';
import { defaultCheckpointName } from '../train/checkpoint.js';
import { RunFiles } from '../train/run-files.js';
import type { Evaluation, TrainingSession } from '../train/session.js';
import { healthHint } from '../train/health.js';
import { isBig, type Controller } from './controller.js';
import { architecture, datasetLabel, lossLabel } from './describe.js';
import { Header } from './Header.js';
import { Help, HELP_SECTIONS, helpPageOf, helpPages } from './Help.js';
import {
  BINDINGS,
  bindingFor,
  DIAGRAM_BINDINGS,
  findBinding,
  TOUR_BINDINGS,
  WALK_BINDINGS,
  type Binding,
  type TrainerBinding,
  type DiagramAction,
  type TourAction,
  type WalkAction,
} from './keys.js';
import { TOUR } from '../learn/tour.js';
import { startTour, tourHints, TourView, type TourState } from './TourView.js';
import { NetworkPicture } from '../learn/network-picture.js';
import { DIAGRAM_HINTS, DiagramView, SHOWN_NEURONS, type DiagramSelection } from './DiagramView.js';
import { COMPACT_COLUMNS, COMPACT_ROWS, computeLayout, TABLE_WIDTH } from './layout.js';
import { parseRate } from './learning-rate.js';
import { editLine, type EditKey } from './line-editor.js';
import { StepWalk } from '../learn/walk.js';
import { LOSSES } from '../nn/loss.js';
import { stepSizeLine, walkHints, WalkView } from './WalkView.js';
import { LossChart } from './LossChart.js';
import { mapKind, mapLines } from './map/kind.js';
import { MapPanel } from './map/MapPanel.js';
import { clampOffset, shownIndices } from './param-rows.js';
import { OneKeyAtATime, useTextEntry } from './OneKeyAtATime.js';
import { CommandLineView } from './CommandLineView.js';
import { commandWords } from '../train/command-line.js';
import { Panel } from './Panel.js';
import { ParamTable } from './ParamTable.js';
import { promptLine, type Prompt } from './prompt.js';
import { Settings } from './Settings.js';
import { SetupMenu } from './SetupMenu.js';
import { PENDING, StatusBar, withHelpHint, type Figure, type StatusBarProps } from './StatusBar.js';
import { useController } from './use-controller.js';
import { useGradientCheck } from './use-gradient-check.js';
import { useTerminalSize, type Size } from './use-terminal-size.js';
import { useTerminal } from './terminal.js';

type Mode = 'main' | 'help' | 'menu' | 'command' | 'prompt' | 'walk' | 'diagram' | 'tour';

/** The network diagram's state: what it shows and what is selected. */
interface Diagram {
  picture: NetworkPicture;
  selection: DiagramSelection;
}

interface AppProps {
  controller: Controller;
  /** The run's files (`w`, `e`, autosave); by default none from the command line. */
  files?: RunFiles;
  /** A fixed size instead of the terminal's (tests). */
  size?: Size;
  /** Redraws per second at most while training runs. */
  maxFps?: number;
  /** Open on the guided tour (--tour): q then quits the program, the last screen opens the trainer. */
  tour?: boolean;
}

const HINTS: Record<'help' | 'menu' | 'command', string> = {
  help: '← → turn the page · ? or esc close the help',
  menu: '↑↓ move · enter choose · esc back',
  command: 'any key: back to the trainer',
};

/** How long the walk waits to build its graph: long enough for the view's first frame to be drawn. */
const BUILD_DELAY_MS = 10;
/** While training plays, the health hint is checked this often. */
const HEALTH_EVERY_MS = 1000;

/** The terminal trainer: renders the controller's state and turns keys into its commands. */
export function App(props: AppProps) {
  return (
    <OneKeyAtATime>
      <Trainer {...props} />
    </OneKeyAtATime>
  );
}

function Trainer({ controller, files: given, size, maxFps = 30, tour: openOnTour = false }: AppProps) {
  const frameStart = performance.now();
  const clock = useController(controller, maxFps);
  // Ink writes the frame when React commits, before layout effects run: this measures both.
  useLayoutEffect(() => clock.record(performance.now() - frameStart));
  const terminal = useTerminalSize();
  const { unicode } = useTerminal();
  const { columns, rows } = size ?? terminal;
  const [mapFirst, setMapFirst] = useState(false);
  const [discrete, setDiscrete] = useState(false);
  const [helpPage, setHelpPage] = useState(0);
  const healthCheck = useRef<{ session: unknown; epoch: number; time: number; hint: string | null } | null>(null);
  // The session whose first frame is on screen. A big session's first frame is drawn from the
  // model and the data alone: before its map's grid and its health hint, a forward pass each
  // while the replay's code is still cold (measured on moons-1000, MLP(2,[32,32,1]), at load 7:
  // the grid 25 ms and the hint 15 ms of CPU), and before its first evaluation when nothing has
  // run the model yet (compiling the replay and a forward pass over every sample: 10-60 ms). The
  // next frame, at once, brings them (docs/performance.md, issue 9).
  const [drawn, setDrawn] = useState<TrainingSession | null>(null);
  const fresh = drawn !== controller.session && isBig(controller.session.config);
  const evaluating = fresh && !controller.session.evaluated;
  useEffect(() => {
    if (drawn === controller.session) return;
    const timer = setTimeout(() => setDrawn(controller.session), 0);
    return () => clearTimeout(timer);
  });
  useEffect(() => {
    if (drawn !== null) controller.drawn(); // the frame with all of it is on screen: the worker may start
  }, [drawn]);
  const { dataset } = controller.session.config;
  const kind = mapKind(dataset.x[0]?.length ?? 0, dataset.x.length, controller.session.isClassification, dataset.classes);
  const layout = computeLayout(columns, rows, mapFirst, mapLines(kind, dataset.x.length));
  const helpPageSize = Math.max(1, layout.bodyHeight - 2);
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  // Mode and prompt live in a ref: keys that arrive together are handled before React re-renders,
  // and each must see what the one before it changed ("L0.05⏎" typed fast is one chunk).
  // tourQuits: q in the tour ends the program (--tour, until the tour has opened the trainer).
  // helpFrom: the view the help was opened from, and goes back to.
  const ui = useRef<{ mode: Mode; helpFrom: Mode; prompt: Prompt; walk: StepWalk | null; diagram: Diagram | null; tour: TourState; tourQuits: boolean }>({
    mode: openOnTour ? 'tour' : 'main',
    helpFrom: 'main',
    prompt: { kind: 'lr', text: '' },
    walk: null,
    diagram: null,
    tour: startTour(),
    tourQuits: openOnTour,
  });
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const { mode, prompt } = ui.current;
  useTextEntry(mode === 'prompt' && prompt.kind !== 'overwrite'); // a pasted file name goes in whole
  const setMode = (next: Mode): void => {
    ui.current.mode = next;
    rerender();
  };
  const openPrompt = (next: Prompt): void => {
    ui.current.prompt = next;
    setMode('prompt');
  };
  const [ownFiles] = useState(() => new RunFiles({}, () => ({ options: controller.options, session: controller.session })));
  const files = given ?? ownFiles;
  const [offset, setOffset] = useState(0);
  const [sortByGrad, setSortByGrad] = useState(false);
  const [logScale, setLogScale] = useState(false);
  const [checking, setChecking] = useState(false);

  const session = controller.session;
  const count = session.parameterCount;
  const visible = Math.max(1, layout.tableRows);
  const top = clampOffset(offset, count, visible);
  // Read by keys, whose handler may be one render behind the table.
  const tableView = useRef({ top, sortByGrad });
  tableView.current = { top, sortByGrad };
  const scrollTo = (to: (from: number) => number): void => setOffset((o) => clampOffset(to(clampOffset(o, count, visible)), count, visible));

  // The table's rows on screen: only they are read, whatever the size of the network. The check
  // runs for them alone, and not while training changes them every frame.
  const tableShown = (mode === 'main' || mode === 'prompt') && !layout.compact;
  const shownRows = tableShown ? shownIndices(count, () => session.gradients(), sortByGrad, top, visible) : [];
  const checkResult = useGradientCheck(session, shownRows, checking && !controller.playing && mode !== 'walk');

  const quit = (): void => {
    controller.dispose();
    exit();
  };

  const run = (binding: TrainerBinding): void => {
    switch (binding.action) {
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
        return openPrompt({ kind: 'save', text: files.savePath ?? defaultCheckpointName(controller.options) });
      case 'export':
        return openPrompt({ kind: 'export', text: defaultCheckpointName(controller.options, '-history.csv') });
      case 'epochs':
        return controller.changeEpochs(binding.delta);
      case 'reset':
        return controller.reset();
      case 'newSeed':
        return controller.newSeed();
      case 'menu':
        controller.pause();
        return setMode('menu');
      case 'commandLine':
        return setMode('command');
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
        scrollTo(() => 0); // sorted or not, the table starts at the top: the largest gradients are the point
        return setSortByGrad((s) => !s);
      case 'logScale':
        return setLogScale((s) => !s);
      case 'slower':
        return controller.slower();
      case 'faster':
        return controller.faster();
      case 'clearPrevious':
        return controller.clearPrevious();
      case 'discrete':
        return setDiscrete((d) => !d);
      case 'mapFirst':
        return setMapFirst((m) => !m);
      case 'help':
        return openHelp(HELP_SECTIONS.trainer);
      case 'walk':
        return openWalk();
      case 'check':
        return setChecking((c) => !c);
      case 'diagram':
        controller.pause();
        ui.current.diagram = {
          picture: new NetworkPicture(session, 0, session.freshGradients()),
          selection: { layer: 0, neuron: 0, gradients: false },
        };
        return setMode('diagram');
      case 'tour':
        controller.pause();
        return setMode('tour');
      case 'quit':
        return quit();
    }
  };

  /** The help, at the page of `section` (the keys of the view it is opened from); closing it goes back there. */
  const openHelp = (section: string): void => {
    ui.current.helpFrom = ui.current.mode;
    setHelpPage(helpPageOf(section, helpPageSize, columns));
    setMode('help');
  };

  /** Pause and take the next step apart, following the neuron of the table's first row. */
  const openWalk = (): void => {
    controller.pause();
    if (session.status === 'done') return controller.say(`reached the epoch target ${session.epochs}: raise it with ] first, then walk the next step`);
    const parameter = shownIndices(count, () => session.gradients(), tableView.current.sortByGrad, tableView.current.top, 1)[0] ?? 0;
    // The view opens at once; the step's graph (a second or more on the largest networks) is built
    // just after that first frame, and esc or b leave before it is done.
    ui.current.walk = null;
    setMode('walk');
    setTimeout(() => {
      if (ui.current.mode !== 'walk' || ui.current.walk !== null) return;
      ui.current.walk = new StepWalk(session, { parameter });
      rerender();
    }, BUILD_DELAY_MS);
  };

  const closeWalk = (): void => {
    ui.current.walk = null;
    setMode('main');
  };

  /** Past the walk's last item: exactly the update it took apart, by `s`'s own code (one mini-batch with --batch). */
  const applyWalk = (): void => {
    closeWalk();
    const { batchesPerEpoch: batches, batchesDone: batch, epoch } = controller.session;
    controller.stepBatch();
    if (controller.message !== null) return;
    controller.say(
      batches === 1
        ? `the walked step is applied: epoch ${controller.session.epoch}, the same as s`
        : `the walked update is applied: batch ${batch + 1}/${batches} of epoch ${epoch + 1}, one of the updates s takes`,
    );
  };

  /** Keys in the walk; past its last item the step is applied exactly as `s` applies one. */
  const walkKey = (action: WalkAction): void => {
    const walk = ui.current.walk;
    if (walk === null) return action === 'close' ? closeWalk() : undefined; // still being built
    switch (action) {
      case 'next':
        return walk.next() ? rerender() : applyWalk();
      case 'previous':
        walk.previous();
        return rerender();
      case 'endPhase':
        walk.endPhase();
        return rerender();
      case 'nextSample':
        walk.changeSample(1);
        return rerender();
      case 'previousSample':
        walk.changeSample(-1);
        return rerender();
      case 'neuronUp':
        walk.changeNeuron(-1);
        return rerender();
      case 'neuronDown':
        walk.changeNeuron(1);
        return rerender();
      case 'close':
        closeWalk();
        return controller.say('left the walk: the half-walked step is dropped, nothing changed');
    }
  };

  /** Keys in the network diagram: arrows select a neuron, tab a sample, g weights or gradients. */
  const diagramKey = (action: DiagramAction): void => {
    const d = ui.current.diagram as Diagram;
    const { picture, selection } = d;
    const shown = (layer: number): number => Math.min(SHOWN_NEURONS, picture.sizes[layer + 1]);
    const select = (layer: number, neuron: number): void => {
      d.selection = { ...selection, layer, neuron: Math.max(0, Math.min(shown(layer) - 1, neuron)) };
    };
    const samples = picture.samples;
    const resample = (delta: number): void => {
      d.picture = picture.withSample((picture.sample + delta + samples) % samples);
    };
    switch (action) {
      case 'layerLeft':
        select(Math.max(0, selection.layer - 1), selection.neuron);
        break;
      case 'layerRight':
        select(Math.min(picture.layers - 1, selection.layer + 1), selection.neuron);
        break;
      case 'neuronUp':
        select(selection.layer, selection.neuron - 1);
        break;
      case 'neuronDown':
        select(selection.layer, selection.neuron + 1);
        break;
      case 'nextSample':
        resample(1);
        break;
      case 'previousSample':
        resample(-1);
        break;
      case 'gradients':
        d.selection = { ...selection, gradients: !selection.gradients };
        break;
      case 'close':
        ui.current.diagram = null;
        return setMode('main');
    }
    rerender();
  };

  /** Keys in the tour. From --tour, q quits; from the trainer, it goes back to the run. */
  const tourKey = (action: TourAction): void => {
    const tour = ui.current.tour;
    const screen = TOUR[tour.screen];
    const last = tour.screen === TOUR.length - 1;
    const poke = (sign: number): void => {
      tour.values[tour.screen] = (tour.values[tour.screen] ?? screen.start) + sign * screen.step;
    };
    switch (action) {
      case 'next':
        if (last) return openTrainerFromTour();
        tour.screen++;
        break;
      case 'previous':
        tour.screen = Math.max(0, tour.screen - 1);
        break;
      case 'more':
        poke(1);
        break;
      case 'less':
        poke(-1);
        break;
      case 'open':
        if (last) return openTrainerFromTour();
        return;
      case 'quit':
        if (ui.current.tourQuits) return quit();
        return setMode('main');
    }
    rerender();
  };

  /** The tour's end: the trainer on the classic example (a run of another dataset is kept as it is). */
  /** True when the run is the classic example, where the tour's end opens the trainer. */
  const onClassic = (): boolean => controller.options.dataset === 'classic' && controller.options.dataFile === undefined;

  const openTrainerFromTour = (): void => {
    ui.current.tour = startTour();
    ui.current.tourQuits = false;
    setMode('main');
    if (onClassic()) {
      controller.say('the classic example: space trains it, s steps, b walks one step node by node');
    } else {
      controller.say('back to your run: m and dataset classic give the classic example');
    }
  };

  const submit = ({ kind, text }: Prompt): void => {
    if (kind === 'save' || kind === 'export') {
      if (files.wouldReplace(text)) return openPrompt({ kind: 'overwrite', text, then: kind });
      return write(kind, text);
    }
    const rate = parseRate(text);
    if (typeof rate === 'string') controller.say(rate, 'error');
    else controller.setLearningRate(rate);
  };

  const write = (what: 'save' | 'export', path: string): void => {
    try {
      if (what === 'export') {
        files.exportHistory(path);
        return controller.say(`wrote ${plural(controller.session.history.length, 'epoch')} of history to ${path}`);
      }
      files.save(path);
      files.savePath = path;
      controller.say(`saved ${path} at epoch ${controller.session.epoch}`);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      controller.say(oneLine(err.message), 'error');
    }
  };

  const finishPrompt = (): void => {
    const { kind, text } = ui.current.prompt;
    setMode('main');
    if (text.trim() === '') return controller.say(kind === 'lr' ? 'nothing typed: learning rate unchanged' : 'no file name: nothing written');
    // A file name is taken as a shell would take it: `~/runs/a.ckpt` is in the home directory.
    submit({ kind, text: kind === 'lr' ? text.trim() : expandHome(text.trim()) });
  };

  /** Keys while a prompt is open: the answer to the overwrite question, or the line editor's keys. */
  const type = (input: string, key: EditKey): void => {
    const prompt = ui.current.prompt;
    if (prompt.kind === 'overwrite') {
      const { text, then = 'save' } = prompt;
      setMode('main');
      return input === 'y' || input === 'Y' ? write(then, text) : controller.say(`${text} is left as it was`);
    }
    const edit = editLine(prompt.text, input, key);
    ui.current.prompt = { ...prompt, text: edit.text };
    if (edit.done === 'cancel') return setMode('main');
    if (edit.done === 'submit') return finishPrompt();
    rerender();
  };

  /** Keys in a modal view (one at a time: see OneKeyAtATime); `?` opens the help at the view's `section`. */
  function viewKeys<A extends string>(bindings: readonly Binding<A | 'help'>[], handle: (action: A) => void, section: string, input: string, key: Key): void {
    const action = bindingFor(bindings, input, key);
    if (action === 'help') return openHelp(section);
    if (action !== undefined) handle(action as A);
  }

  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') return quit();
      // On the "too small" screen only q works: other keys would change what nobody can see.
      const plain = !key.ctrl && !key.meta; // Ctrl or Alt with a letter is never the letter
      if (layout.tooSmall) return plain && input === 'q' ? quit() : undefined;
      const modeNow = (): Mode => ui.current.mode; // read afresh: run() may change it
      if (modeNow() === 'help') {
        if ((plain && (input === '?' || input === 'q')) || key.escape) return setMode(ui.current.helpFrom);
        const last = helpPages(helpPageSize, columns).length - 1;
        if (key.rightArrow || (plain && input === ' ')) setHelpPage((p) => Math.min(last, p + 1));
        if (key.leftArrow) setHelpPage((p) => Math.max(0, p - 1));
        return;
      }
      if (modeNow() === 'menu') return; // the menu handles its own keys
      if (modeNow() === 'command') return setMode('main');
      if (modeNow() === 'prompt') return type(input, key);
      if (modeNow() === 'walk') return viewKeys(WALK_BINDINGS, walkKey, HELP_SECTIONS.walk, input, key);
      if (modeNow() === 'diagram') return viewKeys(DIAGRAM_BINDINGS, diagramKey, HELP_SECTIONS.diagram, input, key);
      if (modeNow() === 'tour') return viewKeys(TOUR_BINDINGS, tourKey, HELP_SECTIONS.tour, input, key);
      // Keys typed together ("sss", "L0.05⏎") come one at a time, each after the last one's frame.
      const binding = findBinding(BINDINGS, input, key);
      if (binding !== undefined) run(binding);
    },
    { isActive: isRawModeSupported === true },
  );

  if (layout.tooSmall) return <TooSmall columns={columns} rows={rows} />;

  // While training runs, the outputs are what the last step computed rather than pay for another
  // forward pass; paused, they are the weights now, one update past the status line's figures.
  const ownPass = controller.playing ? session.lastStep : null;
  const latest = ownPass ?? (evaluating ? null : session.latest);
  const outputsWhen = ownPass !== null ? `in epoch ${ownPass.epoch}` : session.epoch === 0 ? 'at epoch 0' : `after epoch ${session.epoch}`;
  // The status line and the chart give the epoch's own figures, as the history, CSV and --json do
  // (at epoch 0, those of `latest`).
  const figures = evaluating && session.epoch === 0 ? pendingFigures(session) : session.reported;
  // Samples per update, shown when an epoch takes more than one.
  const batch = session.batchSize < session.trainData.x.length ? session.batchSize : null;
  const { seed } = session.config;
  // The health hint runs a forward pass per sample: while playing at most once a second.
  const checked = healthCheck.current;
  const now = performance.now();
  const due = checked === null || checked.session !== session || (checked.epoch !== session.epoch && (!controller.playing || now - checked.time > HEALTH_EVERY_MS));
  if (due && !fresh) {
    healthCheck.current = { session, epoch: session.epoch, time: now, hint: healthHint(session) };
  }
  const health = fresh ? null : (healthCheck.current?.hint ?? null);
  // One status line for every view; the modal views (walk, diagram) pause training and show their own keys.
  const status = (view: Pick<StatusBarProps, 'stepsPerSecond' | 'message' | 'health' | 'prompt'>) => (
    <StatusBar
      epoch={session.epoch}
      epochs={session.epochs}
      loss={figures.loss}
      accuracy={figures.accuracy}
      testLoss={figures.testLoss}
      testAccuracy={figures.testAccuracy}
      r2={figures.r2}
      testR2={figures.testR2}
      learningRate={session.currentLearningRate}
      batch={batch}
      pace={controller.pace}
      width={columns}
      {...view}
    />
  );
  const pausedStatus = (prompt: string) => status({ stepsPerSecond: null, message: null, prompt });
  const header = [datasetLabel(dataset), architecture(session), lossLabel(session), `seed ${seed}`, session.engine];

  if (mode === 'tour') {
    return (
      <Box flexDirection="column" width={columns} height={rows - 1}>
        <Header parts={['guided tour: from a derivative to a trained network']} status={controller.status} width={columns} />
        <TourView state={ui.current.tour} classic={onClassic()} width={columns} height={layout.bodyHeight + 1} />
        <Text wrap="truncate-end">
          {' '}
          {withHelpHint(tourHints(ui.current.tour, ui.current.tourQuits, onClassic()), columns - 1)}
        </Text>
      </Box>
    );
  }

  const diagram = mode === 'diagram' ? ui.current.diagram : null;
  if (diagram !== null) {
    return (
      <Box flexDirection="column" width={columns} height={rows - 1}>
        <Header parts={header} status={controller.status} width={columns} />
        <DiagramView picture={diagram.picture} selection={diagram.selection} unicode={unicode} width={columns} height={layout.bodyHeight} />
        {pausedStatus(withHelpHint(DIAGRAM_HINTS, columns - 1))}
      </Box>
    );
  }

  if (mode === 'walk' && ui.current.walk === null) {
    return (
      <Box flexDirection="column" width={columns} height={rows - 1}>
        <Header parts={[`${architecture(session)} · ${session.trainingData.x.length} samples`]} status={controller.status} width={columns} bare />
        <Panel title="backprop · taking the next step apart" width={columns} height={layout.bodyHeight}>
          <Text> building the step's graph on a copy of the parameters…</Text>
        </Panel>
        <Text wrap="truncate-end"> b/esc back</Text>
      </Box>
    );
  }

  const walk = mode === 'walk' ? ui.current.walk : null;
  if (walk !== null) {
    return (
      <Box flexDirection="column" width={columns} height={rows - 1}>
        <Header parts={[stepSizeLine(walk)]} status={controller.status} width={columns} bare />
        <WalkView walk={walk} lossName={LOSSES[session.config.loss].description} width={columns} height={layout.bodyHeight} />
        {pausedStatus(withHelpHint(walkHints(walk), columns - 1))}
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Header parts={header} status={controller.status} width={columns} />
      <Box height={layout.bodyHeight}>
        {mode === 'help' ? (
          <Help page={helpPage} width={columns} height={layout.bodyHeight} />
        ) : mode === 'command' ? (
          <CommandLineView words={commandWords(controller.options)} width={columns} height={layout.bodyHeight} />
        ) : mode === 'menu' ? (
          <SetupMenu
            options={controller.options}
            isActive={isRawModeSupported === true}
            width={columns}
            height={layout.bodyHeight}
            onCancel={() => setMode('main')}
            onApply={(options) => {
              setMode('main');
              setOffset(0);
              controller.apply(options);
            }}
          />
        ) : (
          <>
            <Box flexDirection="column" width={layout.leftWidth}>
              {layout.chartHeight > 0 && (
                <LossChart
                  losses={session.history.losses()}
                  restores={session.history.restorations()}
                  testLosses={session.testData === null ? null : session.history.testLosses()}
                  previous={controller.previous}
                  initial={figures.loss === PENDING ? null : { loss: figures.loss, testLoss: figures.testLoss === PENDING ? null : figures.testLoss }}
                  logScale={logScale}
                  width={layout.leftWidth}
                  height={layout.chartHeight}
                />
              )}
              {layout.mapHeight > 0 && (
                <MapPanel
                  session={session}
                  x={dataset.x}
                  y={dataset.y}
                  {...samplesView(session, latest)}
                  accuracy={latest?.accuracy ?? null}
                  outputsWhen={outputsWhen}
                  classification={session.isClassification}
                  classes={dataset.classes}
                  zeroOne={dataset.zeroOne}
                  discrete={discrete}
                  playing={controller.playing}
                  pending={fresh}
                  width={layout.leftWidth}
                  height={layout.mapHeight}
                />
              )}
            </Box>
            {!layout.compact && (
              <ParamTable
                shown={session.snapshotAt(shownRows).map((p, k) => ({ ...p, index: shownRows[k] as number }))}
                count={count}
                offset={top}
                rows={visible}
                sortByGrad={sortByGrad}
                check={checking ? checkResult : null}
                batched={session.batchesPerEpoch > 1}
                width={TABLE_WIDTH}
                height={layout.bodyHeight}
              />
            )}
          </>
        )}
      </Box>
      <Settings
        learningRate={session.learningRate}
        schedule={session.config.schedule}
        batch={batch}
        epochs={session.epochs}
        l2={session.config.l2 ?? 0}
        pace={controller.pace}
        testFraction={session.config.testFraction ?? 0}
        lrDraft={mode === 'prompt' && prompt.kind === 'lr' ? prompt.text : null}
        width={columns}
      />
      {status({
        stepsPerSecond: controller.playing ? controller.stepsPerSecond : null,
        message: controller.message,
        health,
        prompt: mode === 'prompt' ? promptLine(prompt, columns - 1) : mode === 'help' || mode === 'menu' || mode === 'command' ? HINTS[mode] : null,
      })}
    </Box>
  );
}

/**
 * Which samples are held out, and the model's output for every sample in the dataset's order
 * (an evaluation lists the training samples' outputs, then the test samples').
 */
function samplesView(session: TrainingSession, latest: Evaluation | null): { test?: boolean[]; outputs: number[][] | null } {
  const { split } = session;
  if (latest === null) return { outputs: null }; // not evaluated yet: the panel says so
  if (split === null) return { test: session.config.dataset.y.map(() => false), outputs: latest.outputs };
  const test = session.config.dataset.y.map(() => false);
  const outputs = test.map(() => [Number.NaN]);
  split.train.forEach((i, k) => (outputs[i] = latest.outputs[k]));
  split.test.forEach((i, k) => {
    test[i] = true;
    outputs[i] = latest.testOutputs?.[k] ?? [Number.NaN];
  });
  return { test, outputs };
}

/**
 * The status line's figures before the model has run on the data (see `evaluating`): each one
 * that applies to this session, pending.
 */
function pendingFigures(session: TrainingSession): Record<'loss', Figure> & Record<'accuracy' | 'r2' | 'testLoss' | 'testAccuracy' | 'testR2', Figure | null> {
  const test = session.testData !== null;
  const classification = session.isClassification;
  return {
    loss: PENDING,
    accuracy: classification ? PENDING : null,
    r2: classification ? null : PENDING,
    testLoss: test ? PENDING : null,
    testAccuracy: test && classification ? PENDING : null,
    testR2: test && !classification ? PENDING : null,
  };
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
