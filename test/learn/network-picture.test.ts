import { describe, expect, it } from 'vitest';
import { Op, topologicalOrder, type Value } from '../../src/engine/value.js';
import { NetworkPicture } from '../../src/learn/network-picture.js';
import { subset } from '../../src/data/split.js';
import { createSession, DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';

describe('the network picture', () => {
  it('gives a neuron\'s nodes the data and grads backward() gives them in the whole step\'s graph', () => {
    const session = createSession(DEFAULT_RUN_OPTIONS);
    session.step();
    const picture = new NetworkPicture(session, 2, session.freshGradients());
    const copy = session.copyModel();
    const { loss, outputs } = session.stepGraph(copy);
    loss.backward();
    const order = topologicalOrder(outputs[2][0]);
    // L2.N3: its products are those of its weights in sample 3's forward pass.
    const weights = new Set(copy.layers[1]?.neurons[2]?.w);
    const whole = order.filter((v) => v._op === Op.mul && weights.has(v._a as Value));
    const nodes = picture.neuron(1, 2);
    expect(nodes.products).toHaveLength(4);
    nodes.products.forEach((p, i) => {
      expect(p.data).toBe(whole[i]?.data);
      expect(p.grad).toBeCloseTo(whole[i]?.grad as number, 14);
      expect(p._b?.data).toBe(whole[i]?._b?.data); // the input: L1's output on the sample
    });
    const act = order.find((v) => v._op === Op.tanh && v._a === order.find((s) => s._op === Op.add && s._b === whole[3])) as Value;
    expect(nodes.out.data).toBe(act.data);
    expect(nodes.out.grad).toBeCloseTo(act.grad, 14);
    expect(picture.output(1, 2)).toBe(act.data);
    expect(picture.weight(1, 2, 0).grad).toBe(session.freshGradients()[3 * 4 + 4 + 5 * 2]);
  });

  it('with mini-batches, draws the next update: its samples, its gradient, and each node\'s grad in that batch\'s loss', () => {
    const session = createSession({ ...DEFAULT_RUN_OPTIONS, batch: 2 });
    session.stepBatch(); // into the epoch: the next update is its second batch
    const batch = session.nextBatch();
    const picture = new NetworkPicture(session, 0, session.freshGradients()).withSample(1);
    expect([picture.samples, picture.batched]).toEqual([2, true]);
    const copy = session.copyModel();
    const { loss, outputs } = session.stepGraph(copy, subset(session.trainingData, batch, 'batch'));
    loss.backward();
    const out = outputs[1][0] as Value; // the batch's second sample
    const nodes = picture.neuron(2, 0);
    expect(nodes.out.data).toBe(out.data);
    expect(nodes.out.grad).toBeCloseTo(out.grad, 14);
    const params = copy.parameters();
    expect(picture.weight(2, 0, 1).grad).toBeCloseTo(params[37]?.grad as number, 14); // L3.N1.w2
    expect(nodes.products[1]?._a?.grad).not.toBe(params[37]?.grad); // one sample's share of it, not the batch's
  });
});
