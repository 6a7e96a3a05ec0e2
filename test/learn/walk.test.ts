import { describe, expect, it } from 'vitest';
import { topologicalOrder, topologicalOrderOf, type Value } from '../../src/engine/value.js';
import { PHASES, StepWalk } from '../../src/learn/walk.js';
import { DEFAULT_RUN_OPTIONS, createSession, type RunOptions } from '../../src/train/setup.js';
import { withPreset } from '../../src/train/presets.js';
import { TrainingSession } from '../../src/train/session.js';
import { fitScaling } from '../../src/data/scaling.js';

const classic = (options: Partial<RunOptions> = {}) => createSession({ ...DEFAULT_RUN_OPTIONS, ...options });

/** Walk to the last item of the update phase. */
function walkToEnd(walk: StepWalk): void {
  while (walk.next());
}

describe('the backprop walk', () => {
  it('walks the classic example through five phases, and the title line gives the step size', () => {
    const session = classic();
    const walk = new StepWalk(session);
    expect(walk.following).toBe(false);
    expect(walk.phaseName).toBe('forward');
    // Per sample: 4 + 4 + 1 neurons of 3, 4 and 4 inputs: 2·3+1, 2·4+1, 2·4+1 operations each.
    expect(walk.items(0)).toHaveLength(4 * 7 + 4 * 9 + 9);
    const seen: string[] = [];
    do seen.push(walk.phaseName);
    while (walk.next());
    expect([...new Set(seen)]).toEqual([...PHASES]);
    expect(walk.size.rules).toBe(4 * 73 + 4 * 2 + 3);
    expect(walk.size.operations).toBe(walk.items(0).length);
    expect(walk.size.nodes).toBe(4 * (73 + 12) + 41 + 4 * 3 + 3);
  });

  it('adds up, sample after sample (+=), to the engine gradient of the whole step', () => {
    const session = classic();
    session.step();
    const walk = new StepWalk(session);
    let ended = new Float64Array(walk.params.length); // where the previous sample's backward left each grad
    for (let s = 0; s < walk.samples; s++) {
      while (walk.phase < 3) walk.next();
      // Backward of sample s starts from the total the samples before it left.
      walk.params.forEach((p, i) => expect(p.grad).toBeCloseTo(ended[i] as number, 14));
      walkToEnd(walk);
      ended = Float64Array.from(walk.params, (p) => p.grad);
      walk.changeSample(1);
      while (walk.phase > 0) walk.previous();
    }
    const engine = session.freshGradients();
    ended.forEach((g, i) => expect(g).toBeCloseTo(engine[i] as number, 12));
  });

  it('gives every node of the walked sample the grad backward() gives it in the whole graph', () => {
    const session = classic();
    session.step();
    const walk = new StepWalk(session, { sample: 2 });
    const { loss, outputs } = session.stepGraph(session.copyModel());
    loss.backward();
    while (walk.phase < 3) walk.next();
    walk.endPhase();
    expect(walk.gradAt(walk.root)).toBe(1);
    const params = new Set(walk.params);
    const walked = topologicalOrderOf(walk.outs).filter((v) => !params.has(v) && v._a !== null);
    const whole = topologicalOrder(outputs[2]?.[0] as Value).filter((v) => v._a !== null && v.children.length > 0);
    expect(walked).toHaveLength(whole.length);
    walked.forEach((v, i) => {
      expect(v.data).toBe(whole[i]?.data);
      expect(walk.gradAt(v)).toBeCloseTo(whole[i]?.grad as number, 14);
    });
    // Each line's contribution is what the node's rule added: now - was, with the grad it had then.
    const line = walk.items(3).find((i) => i.kind === 'node' && i.node.op === 'tanh');
    if (line?.kind !== 'node') throw new Error('no tanh node');
    const [c] = walk.effect(line.node) ?? [];
    expect(c?.now).toBeCloseTo((c?.was as number) + (1 - line.node.data ** 2) * (walk.gradAt(line.node) as number), 15);
  });

  it('walks a 3-class network (K outputs, softmax cross-entropy): the samples add up to the step, which one s then takes', () => {
    const session = createSession(withPreset({ ...DEFAULT_RUN_OPTIONS, dataset: 'spiral', classes: 3, size: 6, layers: [3] }));
    session.step();
    const walk = new StepWalk(session);
    expect(walk.outs).toHaveLength(3);
    expect(walk.size.nodes).toBeGreaterThan(0);
    for (let s = 0; s < walk.samples; s++) {
      walkToEnd(walk);
      if (s < walk.samples - 1) {
        walk.changeSample(1);
        while (walk.phase > 0) walk.previous();
      }
    }
    const engine = session.freshGradients();
    walk.params.forEach((p, i) => expect(p.grad).toBeCloseTo(engine[i] as number, 12));
    // The loss phase shows the sample's softmax cross-entropy, op by op.
    const lossOps = walk.items(1).flatMap((item) => (item.kind === 'node' ? [walk.name(item.node)] : []));
    for (const op of ['relu', 'exp', 'log']) expect(lossOps).toContain(`s${walk.samples} ${op}`); // on the last sample
    const previews = walk.updates.map((u) => u.after);
    session.step();
    session.snapshot().forEach((p, i) => expect(p.value).toBeCloseTo(previews[i] as number, 12));
  });

  it('ends with the numbers one s gives, to 1e-12', () => {
    const session = classic();
    session.step();
    const walk = new StepWalk(session);
    walkToEnd(walk);
    expect(walk.atEnd).toBe(true);
    const loss = walk.root.data;
    const previews = walk.updates.map((u) => u.after);
    const report = session.step();
    expect(report.loss).toBeCloseTo(loss, 12);
    session.snapshot().forEach((p, i) => expect(p.value).toBeCloseTo(previews[i] as number, 12));
  });

  it.each([
    ['momentum', { momentum: 0.9 }, /^p - lr · v, v = momentum · v \+ grad$/],
    ['Adam', { optimizer: 'adam' as const }, /^p - lr · m̂ \/ \(√v̂ \+ ε\)/],
  ])('previews the update of SGD with %s in its own rule, and the step then matches', (_name, options, formula) => {
    const session = classic(options);
    session.step();
    session.step();
    const walk = new StepWalk(session);
    expect(walk.updates[0]?.formula).toMatch(formula);
    walkToEnd(walk);
    const previews = walk.updates.map((u) => u.after);
    session.step();
    session.snapshot().forEach((p, i) => expect(p.value).toBeCloseTo(previews[i] as number, 12));
  });

  it('changes nothing in the session when left early', () => {
    const session = classic();
    session.step();
    const before = session.snapshot();
    const walk = new StepWalk(session);
    for (let i = 0; i < 200; i++) walk.next();
    walk.changeSample(1);
    expect(session.snapshot()).toEqual(before);
    expect(session.epoch).toBe(1);
  });

  it('tab changes the sample the forward pass shows', () => {
    const walk = new StepWalk(classic());
    const first = walk.items(0).map((i) => (i.kind === 'node' ? i.node.data : 0));
    walk.changeSample(1);
    expect(walk.sample).toBe(1);
    const second = walk.items(0).map((i) => (i.kind === 'node' ? i.node.data : 0));
    expect(second).not.toEqual(first);
    walk.changeSample(-2);
    expect(walk.sample).toBe(3);
  });

  it('steps back to where it was, with the same numbers', () => {
    const walk = new StepWalk(classic());
    while (walk.phase < 3) walk.next();
    for (let i = 0; i < 10; i++) walk.next();
    const grads = walk.params.map((p) => p.grad);
    walk.next();
    walk.next();
    walk.previous();
    walk.previous();
    expect(walk.params.map((p) => p.grad)).toEqual(grads);
  });

  it('answers every key within 100 ms on a larger network (moons, 2-16-16-1: best of 3 runs of each)', () => {
    const session = classic({ dataset: 'moons', layers: [16, 16], activation: 'relu', loss: 'hinge' });
    const walk = new StepWalk(session, { parameter: 20 });
    expect(walk.following).toBe(true);
    const keys: [string, () => void][] = [
      ['enter', () => walk.endPhase()],
      ['s', () => walk.next()],
      ['tab', () => walk.changeSample(1)],
      ['enter', () => walk.endPhase()],
      ['s', () => walk.next()],
      ['enter', () => walk.endPhase()],
      ['s (into backward)', () => walk.next()],
      ['enter (end of backward)', () => walk.endPhase()],
      ['↓', () => walk.changeNeuron(1)],
      ['s', () => walk.next()],
      ['←', () => walk.previous()],
      ['shift-tab', () => walk.changeSample(-1)],
    ];
    for (const [name, press] of keys) {
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3; run++) {
        const start = performance.now();
        press();
        best = Math.min(best, performance.now() - start);
        if (run < 2 && name.startsWith('s')) walk.previous(); // repeat the same move
      }
      expect(best, name).toBeLessThan(100);
    }
  });
});

describe('the walk on a large network', () => {
  it('starts on the first neuron alive on the sample, not a dead relu whose grads are all 0', () => {
    const session = classic(withPreset({ ...DEFAULT_RUN_OPTIONS, dataset: 'moons' }));
    const walk = new StepWalk(session, { parameter: 0 });
    expect(walk.following).toBe(true);
    // The followed neuron's relu, from the forward phase's list: alive when its output is above 0.
    const relu = (): Value => {
      const item = walk.items(0).find((it) => it.kind === 'node' && it.node.op === 'relu');
      return (item as { node: Value }).node;
    };
    expect(relu().data).toBeGreaterThan(0);
    const first = walk.neuron;
    expect(first).toBeGreaterThan(0); // L1.N1 is dead on sample 1 of moons (seed 42)
    for (let k = 0; k < first; k++) {
      walk.changeNeuron(-1);
      expect(relu().data, walk.neuronName).toBe(0);
    }
  });
});

describe('the walk of a step with a penalty, held-out samples and scaled data', () => {
  /** y = x1 - 2 x2 on 20 points, in units far from 1: a data file --scale auto standardises. */
  const data = {
    name: 'plane',
    x: Array.from({ length: 20 }, (_, i) => [100 + 10 * i, (i * 7) % 20]),
    y: Array.from({ length: 20 }, (_, i) => 100 + 10 * i - 2 * ((i * 7) % 20)),
  };
  const session = (): TrainingSession =>
    new TrainingSession({
      dataset: data,
      scaling: fitScaling(data, true),
      layers: [3],
      activation: 'tanh',
      loss: 'mse',
      l2: 0.01,
      learningRate: 0.05,
      epochs: 10,
      seed: 3,
      testFraction: 0.25,
    });

  it('walks the training samples as the model sees them, and its end equals one s to 1e-12', () => {
    const s = session();
    s.step();
    const walk = new StepWalk(s, { sample: 3 });
    expect(walk.samples).toBe(15);
    expect(walk.scaled).toBe(true);
    // The walked sample's input is the standardised training row, its output the engine's for it.
    const x = walk.items(0)[0];
    if (x?.kind !== 'node') throw new Error('no node');
    expect(walk.outs[0]?.data).toBeCloseTo(s.freshStep().outputs[3]?.[0] as number, 14);
    walkToEnd(walk); // sample 4's backward adds to what samples 1-3 left: their shares, without the penalty
    const loss = walk.root.data;
    const previews = walk.updates.map((u) => u.after);
    const report = s.step(); // in the data's units: the scaled loss times the targets' variance
    expect(report.loss / loss).toBeCloseTo((s.config.scaling?.target?.std as number) ** 2, 10);
    s.snapshot().forEach((p, i) => expect(p.value).toBeCloseTo(previews[i] as number, 12));
  });

  it('visits in backward every node of the walked sample\'s path: its forward pass, its loss term, the partial sums, the loss', () => {
    const walk = new StepWalk(session(), { sample: 5 });
    const listed = new Set(walk.items(3).map((item) => (item as { node: Value }).node));
    // What depends on the walked sample's forward pass: every operation from its inputs to the loss.
    const downstream = new Set<Value>();
    for (const v of topologicalOrder(walk.root)) {
      const fromSample = v._a !== null && walk.info(v)?.inSample === true;
      if (fromSample || walk.outs.includes(v) || v.children.some((c) => downstream.has(c) && !walk.params.includes(c))) downstream.add(v);
    }
    expect([...downstream].filter((v) => !listed.has(v))).toEqual([]);
    expect(listed.size).toBe(downstream.size);
    expect(walk.items(3)).toHaveLength(walk.items(0).length + walk.items(1).length);
    // The loss phase lists the same path forward: sample 6's term, the partial sums s1-s6 + ... s1-s15 +, the mean, the penalty's add.
    expect(walk.items(1).map((item) => walk.name((item as { node: Value }).node))).toEqual([
      's6 +', 's6 **2', ...Array.from({ length: 10 }, (_, k) => `s1-s${k + 6} +`), 's1-s15 *', 'loss',
    ]);
  });
});
