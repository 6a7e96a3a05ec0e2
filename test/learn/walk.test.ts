import { describe, expect, it, vi } from 'vitest';
import { Op, topologicalOrder, topologicalOrderOf, type Value } from '../../src/engine/value.js';
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
    expect(walk.size.nodes).toBe(4 * (73 + 12) + 41 + 4 * 3 + 3);
    // The counts are the graphs' own: the whole step's, and one sample's output's (as the tour's MLP screen counts it).
    const { loss, outputs } = session.stepGraph(session.copyModel());
    expect(walk.size.nodes).toBe(topologicalOrder(loss).length);
    expect(walk.size.sampleNodes).toBe(topologicalOrder(outputs[0][0] as Value).length);
    expect(walk.size.sampleNodes).toBe(41 + 12 + walk.items(0).length);
  });

  it('adds up, sample after sample (+=), to the engine gradient of the whole step', () => {
    const session = classic();
    session.step();
    const walk = new StepWalk(session);
    const count = session.parameterCount;
    const grads = (): Float64Array => Float64Array.from({ length: count }, (_, i) => walk.grad(i));
    let ended = new Float64Array(count); // where the previous sample's backward left each grad
    for (let s = 0; s < walk.samples; s++) {
      while (walk.phase < 3) walk.next();
      // Backward of sample s starts from the total the samples before it left.
      grads().forEach((g, i) => expect(g).toBeCloseTo(ended[i] as number, 14));
      walkToEnd(walk);
      ended = grads();
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
    const params = new Set(Array.from({ length: session.parameterCount }, (_, i) => walk.param(i)));
    const walked = topologicalOrder(walk.out).filter((v) => !params.has(v) && v._a !== null);
    const whole = topologicalOrder(outputs[2][0]).filter((v) => v._a !== null && v.children.length > 0);
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

  it('ends with the numbers one s gives, to 1e-12', () => {
    const session = classic();
    session.step();
    const walk = new StepWalk(session);
    walkToEnd(walk);
    expect(walk.atEnd).toBe(true);
    const loss = walk.root.data;
    const previews = Array.from({ length: session.parameterCount }, (_, i) => walk.update(i)?.after);
    const report = session.step();
    expect(report.loss).toBeCloseTo(loss, 12);
    session.snapshot().forEach((p, i) => expect(p.value).toBeCloseTo(previews[i] as number, 12));
  });

  it.each([
    ['momentum', { momentum: 0.9 }, /^p - lr · v, v = momentum · v \+ grad$/],
    ['Adam', { optimizer: 'adam' as const }, /^p - lr · m_hat \/ \(sqrt\(v_hat\) \+ eps\)$/],
  ])('previews the update of SGD with %s in its own rule, and the step then matches', (_name, options, formula) => {
    const session = classic(options);
    session.step();
    session.step();
    const walk = new StepWalk(session);
    expect(walk.update(0)?.formula).toMatch(formula);
    walkToEnd(walk);
    const previews = Array.from({ length: session.parameterCount }, (_, i) => walk.update(i)?.after);
    session.step();
    session.snapshot().forEach((p, i) => expect(p.value).toBeCloseTo(previews[i] as number, 12));
  });

  it('with --batch, walks the next mini-batch, mid-epoch too, and ends with the numbers of that one update, to 1e-12', () => {
    const session = classic({ batch: 2 });
    session.step();
    session.stepBatch(); // the next update is the epoch's second batch
    const walk = new StepWalk(session);
    expect(walk.batch).toEqual(session.nextBatch());
    expect(walk.samples).toBe(2);
    walkToEnd(walk);
    expect(walk.root.data).toBeCloseTo(session.nudgedLoss(0, 0).loss, 12); // the batch's loss, as the update computes it
    const previews = Array.from({ length: session.parameterCount }, (_, i) => walk.update(i)?.after);
    expect(session.stepBatch()).not.toBeNull(); // that update ends the epoch of two batches
    session.snapshot().forEach((p, i) => expect(p.value).toBeCloseTo(previews[i] as number, 12));
  });

  it('names the numbers of the loss (a target, 1/n) as they print, not to 16 digits', () => {
    const session = new TrainingSession({
      dataset: { name: 'targets', source: 'test', x: [[0.5], [1]], y: [0.8506450405344373, -0.25] },
      layers: [2],
      activation: 'tanh',
      outputActivation: 'linear',
      loss: 'mse',
      learningRate: 0.1,
      epochs: 1,
      seed: 1,
    });
    const walk = new StepWalk(session);
    const names = topologicalOrder(walk.root).map((v) => walk.name(v));
    expect(names).toEqual(expect.arrayContaining(['-0.8506', '0.25', '0.5'])); // -y1, -y2 and the mean's 1/n
    expect(names.filter((name) => /\d{6}/.test(name))).toEqual([]);
  });

  it('enter goes to the end of the phase, and pressed there, to the end of the next; it never applies the step', () => {
    const session = classic();
    const walk = new StepWalk(session);
    const ends: [number, boolean][] = [];
    for (let i = 0; i < PHASES.length + 1; i++) {
      walk.endPhase();
      ends.push([walk.phase, walk.position === walk.items(walk.phase).length - 1]);
    }
    expect(ends).toEqual([[0, true], [1, true], [2, true], [3, true], [4, true], [4, true]]);
    expect(walk.atEnd).toBe(true);
    expect(session.epoch).toBe(0);
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
    const grads = Array.from({ length: 41 }, (_, i) => walk.grad(i));
    walk.next();
    walk.next();
    walk.previous();
    walk.previous();
    expect(Array.from({ length: 41 }, (_, i) => walk.grad(i))).toEqual(grads);
  });
});

/** The keys of a walk through a step on a large network, as the view sends them. */
const KEY_PRESSES: [string, (walk: StepWalk) => void][] = [
  ['enter', (w) => w.endPhase()],
  ['s', (w) => w.next()],
  ['tab', (w) => w.changeSample(1)],
  ['enter', (w) => w.endPhase()],
  ['s', (w) => w.next()],
  ['enter', (w) => w.endPhase()],
  ['s (into backward)', (w) => w.next()],
  ['enter (end of backward)', (w) => w.endPhase()],
  ['↓', (w) => w.changeNeuron(1)],
  ['tab (in backward)', (w) => w.changeSample(1)],
  ['s', (w) => w.next()],
  ['←', (w) => w.previous()],
  ['shift-tab', (w) => w.changeSample(-1)],
  ['shift-tab (around to the last sample)', (w) => w.changeSample(-1)],
  ['enter', (w) => w.endPhase()],
  ['s (into update)', (w) => w.next()],
];

describe('the walk on a large network', () => {
  const moons = (layers: number[]) => classic({ ...withPreset({ ...DEFAULT_RUN_OPTIONS, dataset: 'moons' }), layers });

  it('builds the same few nodes per key whatever the size of the network (how fast: npm run bench)', () => {
    // A first-layer neuron (2 inputs) followed on a small and on a much larger network: each key
    // builds at most its 2 input leaves, 3 parameters and 5 operations, and the same on both.
    const perKey = (layers: number[]): number[] => {
      const walk = new StepWalk(moons(layers), { parameter: 0 });
      expect(walk.following).toBe(true);
      expect(walk.neuronName).toMatch(/^L1\./);
      return KEY_PRESSES.map(([, press]) => {
        const before = walk.built;
        press(walk);
        return walk.built - before;
      });
    };
    const small = perKey([8, 8]);
    expect(small.length).toBe(KEY_PRESSES.length);
    expect(Math.max(...small)).toBeLessThanOrEqual(2 + 3 + 5);
    expect(perKey([64, 64, 64])).toEqual(small);
  });

  it('runs the tape on at most one sample a key, whatever the key (how fast: npm run bench)', () => {
    const session = moons([64, 64, 64]);
    const walk = new StepWalk(session, { parameter: 0 });
    const traced = vi.spyOn(session, 'traceSample');
    const traces = KEY_PRESSES.map(([, press]) => {
      traced.mockClear();
      press(walk);
      return traced.mock.calls.length;
    });
    expect(Math.max(...traces)).toBe(1);
  });

  it('gives the followed neuron the grads backward() gives it in the whole graph, and its weights the step\'s gradient', () => {
    const session = moons([16, 16]); // hinge, relu, L2 1e-4
    session.step();
    const copy = session.copyModel();
    const { loss, outputs } = session.stepGraph(copy);
    loss.backward();
    const j = outputs.findIndex((o) => o[0].grad !== 0); // a sample inside the hinge's margin: its gradient is not 0
    const walk = new StepWalk(session, { sample: j, parameter: 3 * 16 + 17 * 4 }); // L2.N5 (3 parameters a first-layer neuron, 17 a second-layer one)
    expect(walk.neuronName).toMatch(/^L2\./);
    while (walk.phase < 3) walk.next();
    walk.endPhase();
    // The same nodes in the whole graph: the products of the neuron's weights in that sample's forward pass.
    const params = copy.parameters();
    const first = 3 * 16 + 17 * (walk.neuron - 16);
    const weights = new Set(params.slice(first, first + 17));
    const whole = topologicalOrder(outputs[j][0]).filter((v) => v._op === Op.mul && weights.has(v._a as Value));
    const walked = walk.items(3).map((i) => (i as { node: Value }).node).filter((v) => v._op === Op.mul && walk.info(v)?.inSample);
    expect(walked).toHaveLength(16);
    walked.reverse().forEach((v, k) => {
      expect(v.data).toBe(whole[k]?.data);
      expect(walk.gradAt(v)).toBeCloseTo(whole[k]?.grad as number, 14);
    });
    // The bridge: the gradient the layers above give the neuron's output is the whole graph's.
    const order = topologicalOrder(outputs[j][0]);
    const sum = order.find((v) => v._op === Op.add && v._b === whole[15]);
    const relu = order.find((v) => v._a === sum && v._op === Op.relu) as Value;
    expect(walk.bridgeNode?.node.data).toBe(relu.data);
    expect(walk.bridgeNode?.grad).toBeCloseTo(relu.grad, 14);
    expect(relu.grad).not.toBe(0);
    // Walking to the last sample, the weights end on the step's gradient less the penalty's share (shown apart).
    walk.changeSample(-1 - j); // around to sample 100
    walk.endPhase();
    const fresh = session.freshGradients();
    for (let i = first; i < first + 17; i++) expect(walk.grad(i) + walk.penaltyShare(i)).toBeCloseTo(fresh[i] as number, 12);
  });

  it('ends with the numbers one s gives, to 1e-12', () => {
    const session = moons([16, 16]);
    session.step();
    const walk = new StepWalk(session, { parameter: 100 });
    walkToEnd(walk);
    const shown = walk.items(4).map((item) => (item as { index: number }).index);
    const previews = shown.map((i) => walk.update(i)?.after as number);
    const loss = walk.root.data;
    const report = session.step();
    expect(report.loss).toBeCloseTo(loss, 12);
    const after = session.parameters();
    shown.forEach((i, k) => expect(after[i]).toBeCloseTo(previews[k] as number, 12));
  });

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
    expect(walk.out.data).toBeCloseTo(s.freshStep().outputs[3][0], 14);
    walkToEnd(walk); // sample 4's backward adds to what samples 1-3 left: their shares, without the penalty
    const loss = walk.root.data;
    const previews = Array.from({ length: s.parameterCount }, (_, i) => walk.update(i)?.after);
    const report = s.step(); // in the data's units: the scaled loss times the targets' variance
    expect(report.loss / loss).toBeCloseTo((s.config.scaling?.target?.std as number) ** 2, 10);
    s.snapshot().forEach((p, i) => expect(p.value).toBeCloseTo(previews[i] as number, 12));
  });

  it('visits in backward every node of the walked sample\'s path: its forward pass, its loss term, the partial sums, the loss', () => {
    const walk = new StepWalk(session(), { sample: 5 });
    const listed = new Set(walk.items(3).map((item) => (item as { node: Value }).node));
    const params = new Set(Array.from({ length: 13 }, (_, i) => walk.param(i)));
    const isParam = (v: Value): boolean => params.has(v);
    // What depends on the walked sample's forward pass: every operation from its inputs to the loss.
    const downstream = new Set<Value>();
    for (const v of topologicalOrder(walk.root)) {
      const fromSample = v._a !== null && walk.info(v)?.inSample === true;
      if (fromSample || v === walk.out || v.children.some((c) => downstream.has(c) && !isParam(c))) downstream.add(v);
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

describe('the walk of K classes with softmax cross-entropy', () => {
  it.each([[[4]], [[16, 16]]])('walks blobs in 3 classes (hidden layers %j): the sample\'s 3 outputs feed ce\'s term, the end equals one s', (layers) => {
    const session = classic({ ...withPreset({ ...DEFAULT_RUN_OPTIONS, dataset: 'blobs', classes: 3 }), layers, size: 30 });
    session.step();
    const walk = new StepWalk(session, { sample: 1, parameter: 0 });
    expect(walk.following).toBe(layers.length > 1);
    expect(walk.outs).toHaveLength(3);
    const graph = session.stepGraph(session.copyModel());
    expect(walk.size.nodes).toBe(topologicalOrder(graph.loss).length);
    expect(walk.size.sampleNodes).toBe(topologicalOrderOf(graph.outputs[1] as Value[]).length);
    // The loss phase: sample 2's term over its 3 scores (a softmax through exp and log), then the sums up to the loss.
    const names = walk.items(1).map((item) => walk.name((item as { node: Value }).node));
    expect(names).toContain('s2 exp');
    expect(names).toContain('s2 log');
    expect(names.at(-1)).toBe('loss');
    // Backward reaches every one of the walked sample's outputs: each gets its grad from ce's rules.
    while (walk.phase < 3) walk.next();
    walk.endPhase();
    for (const out of walk.outs) expect(walk.info(out)?.downstream).toBe(true);
    walkToEnd(walk);
    const shown = walk.items(4).map((item) => (item as { index: number }).index);
    const previews = shown.map((i) => walk.update(i)?.after as number);
    const loss = walk.root.data;
    expect(session.step().loss).toBeCloseTo(loss, 12);
    const after = session.parameters();
    shown.forEach((i, k) => expect(after[i]).toBeCloseTo(previews[k] as number, 12));
  });
});
