import { Text } from 'ink';
import { useContext, useRef } from 'react';
import type { TrainingSession } from '../../train/session.js';
import { binaryLabel } from '../../data/task.js';
import { Panel } from '../Panel.js';
import { Predictions } from '../Predictions.js';
import { useTerminal } from '../terminal.js';
import { ColorContext } from '../theme.js';
import type { Canvas } from './canvas.js';
import { ASCII_GLYPHS, drawBoundary, drawClassRegions, drawCurve, drawPredictionScatter, drawRegressionField, drawScoreHistogram, UNICODE_GLYPHS, type Sample, type Style } from './draw.js';
import { boundsOf, gridPoints, span } from './field.js';
import { mapKind, mapTitle } from './kind.js';
import { GridSampler } from './sampler.js';

interface MapPanelProps {
  /** Whose model the map draws, evaluated through its compiled replay (in the data's own units). */
  session: TrainingSession;
  x: readonly (readonly number[])[];
  y: readonly number[];
  /** Which samples are held out for testing (hollow glyphs); none when omitted. */
  test?: readonly boolean[];
  /**
   * The model's outputs for each sample: the weights now, or while playing the last epoch's
   * forward pass; null while they are being computed (a big setup's first frame).
   */
  outputs: readonly (readonly number[])[] | null;
  accuracy: number | null;
  /** Whose weights gave `outputs` (see Predictions' `when`). */
  outputsWhen?: string;
  classification: boolean;
  /** K for a K-class problem (`y` holds class numbers), else undefined. */
  classes?: number | undefined;
  /** Two classes the data gave as 0/1: labels are shown so. */
  zeroOne?: boolean | undefined;
  /** Two flat colours by the sign of the score instead of a shaded score. */
  discrete: boolean;
  /** Training runs: the grid may be a few frames old (see GridSampler). */
  playing: boolean;
  /** The grid is not evaluated yet: the panel says it is coming (a big setup's first frame). */
  pending?: boolean;
  width: number;
  height: number;
}

const INFO: Record<string, string> = {
  field: 'prediction',
  curve: 'output over x',
  scatter: 'prediction vs target',
  histogram: 'scores by class',
};

/**
 * What the network has learned, drawn for the shape of its data (see `mapKind`): the decision
 * boundary of a 2-input classifier, a fit for regression and other input counts, or the
 * per-sample table for the smallest datasets.
 */
export function MapPanel(props: MapPanelProps) {
  const { session, x, y, test, outputs, accuracy, outputsWhen, classification, classes, zeroOne = false, discrete, playing, pending = false, width, height } = props;
  const colour = useContext(ColorContext);
  const terminal = useTerminal();
  const sampler = useRef(new GridSampler()).current;
  const kind = mapKind(x[0]?.length ?? 0, x.length, classification, classes);
  if (kind === 'table') {
    if (outputs === null) return <Evaluating title={mapTitle(kind)} info="" what="outputs" width={width} height={height} />;
    return <Predictions targets={y} outputs={outputs} accuracy={accuracy} classes={classes} zeroOne={zeroOne} when={outputsWhen} width={width} height={height} />;
  }

  const title = mapTitle(kind) + (kind === 'boundary' && discrete ? ' (discrete)' : '');
  const info = kind === 'boundary' ? (discrete ? 'd shaded' : 'd discrete') : INFO[kind];
  if (outputs === null || (pending && (kind === 'boundary' || kind === 'field' || kind === 'curve'))) return <Evaluating title={title} info={info} what="map" width={width} height={height} />;
  const style: Style = { colour: colour && terminal.depth > 0, unicode: terminal.unicode, glyphs: terminal.unicode ? UNICODE_GLYPHS : ASCII_GLYPHS };
  const samples: Sample[] = x.map((row, i) => ({ x: row, y: y[i], test: test?.[i] ?? false }));
  const cols = Math.max(1, width - 2);
  const rows = Math.max(1, height - 2);
  let canvas: Canvas;
  if (kind === 'boundary' || kind === 'field') {
    const bounds = boundsOf(x);
    const key = `${cols}x${rows}:${bounds.x0},${bounds.x1},${bounds.y0},${bounds.y1}`;
    const scores = sampler.scores(session, () => gridPoints(bounds, cols, 2 * rows), key, playing);
    const [first] = scores;
    if (kind === 'field') canvas = drawRegressionField(first, cols, rows, bounds, samples, style);
    else if (classes !== undefined) canvas = drawClassRegions(scores, cols, rows, bounds, samples, discrete, style);
    else canvas = drawBoundary(first, cols, rows, bounds, samples, discrete, style);
  } else if (kind === 'curve') {
    const [x0, x1] = span(x.map((row) => row[0]));
    const centres = (): number[][] => Array.from({ length: cols }, (_, c) => [x0 + ((c + 0.5) * (x1 - x0)) / cols]);
    const [curve] = sampler.scores(session, centres, `${cols}:${x0},${x1}`, playing);
    canvas = drawCurve(curve, x0, x1, rows, samples, classification, style);
  } else if (kind === 'scatter') {
    canvas = drawPredictionScatter(firstOutputs(outputs), samples, cols, rows, style);
  } else {
    canvas = drawScoreHistogram(firstOutputs(outputs), samples, cols, rows, style, { positive: binaryLabel(1, zeroOne), negative: binaryLabel(-1, zeroOne) });
  }
  return (
    <Panel title={title} info={info} width={width} height={height}>
      {canvas.lines(style.colour ? terminal.depth : 0).map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
    </Panel>
  );
}

/** The panel while what it draws is being computed: it says so. */
function Evaluating({ title, info, what, width, height }: { title: string; info: string; what: string; width: number; height: number }) {
  return (
    <Panel title={title} info={info} width={width} height={height}>
      <Text dimColor wrap="truncate-end">
        evaluating the {what}…
      </Text>
    </Panel>
  );
}

/** Each sample's first output: the prediction or score of a one-output model. */
function firstOutputs(outputs: readonly (readonly number[])[]): number[] {
  return outputs.map((o) => o[0]);
}
