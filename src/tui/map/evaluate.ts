import { Tape } from '../../engine/tape.js';
import { Value } from '../../engine/value.js';
import { scaleRow, unscaleOutput, type Scaling } from '../../data/scaling.js';
import type { MLP } from '../../nn/mlp.js';

/** A model's first output, recorded once as a tape whose inputs are leaves set before each replay. */
interface Replay {
  tape: Tape;
  inputs: Value[];
}

const replays = new WeakMap<MLP, Replay>();

function replayOf(model: MLP): Replay {
  let replay = replays.get(model);
  if (replay === undefined) {
    const inputs = Array.from({ length: model.sizes[0] as number }, () => new Value(0));
    const output = model.forward(inputs)[0] as Value;
    // The inputs are listed with the parameters so that each replay reads their current values.
    replay = { tape: new Tape(output, [...model.parameters(), ...inputs]), inputs };
    replays.set(model, replay);
  }
  return replay;
}

/**
 * The model's output at each of `points` (rows of inputs in the data's own units, standardised
 * with `scaling` on the way in and back on the way out), with its current parameters. The one
 * place the views evaluate a model away from the data: the engine's own forward pass, replayed
 * from a tape, so the numbers are the ones training computes.
 */
export function evaluatePoints(model: MLP, points: readonly (readonly number[])[], scaling?: Scaling): Float64Array {
  const { tape, inputs } = replayOf(model);
  const out = new Float64Array(points.length);
  for (let p = 0; p < points.length; p++) {
    const point = scaling === undefined ? (points[p] as readonly number[]) : scaleRow(points[p] as readonly number[], scaling);
    for (let i = 0; i < inputs.length; i++) (inputs[i] as Value).data = point[i] as number;
    out[p] = scaling === undefined ? tape.forward() : unscaleOutput(tape.forward(), scaling);
  }
  return out;
}
