import { describe, expect, it } from 'vitest';
import { ColumnTape } from '../../src/engine/column-tape.js';
import { Op } from '../../src/engine/ops.js';
import { TapeBuilder } from '../../src/engine/tape-builder.js';
import { Value } from '../../src/engine/value.js';

/** A program written by hand (as a recorder that knows its model's structure writes one) against the Value graph of the same sum. */
describe('TapeBuilder', () => {
  it('replays a hand-written program as the Value graph computes it: a weighted sum whose weight repeats, a parameter read per sample, a loss term', () => {
    const [w, c, p] = [new Value(0.3), new Value(-0.2), new Value(1.5)];
    const builder = new TapeBuilder(3, [w, c, p]);
    const [x1, x2, y] = [0, 1, 2].map((i) => builder.input(i)) as [number, number, number];
    // out = relu(c + w*x1 + w*x2); term = (out * p) * y
    const out = builder.apply(Op.relu, builder.dot(builder.param(1), [builder.param(0), builder.param(0)], [x1, x2]), -1, 0);
    builder.endModel();
    const term = builder.apply(Op.mul, builder.apply(Op.mul, out, builder.columnOf(builder.param(2)), 0), y, 0);
    const tape = new ColumnTape(builder.finish([out], term));

    const rows = Array.from({ length: 300 }, (_, s) => [Math.sin(s), Math.cos(2 * s), s % 3 === 0 ? -1 : 1] as const);
    tape.forward([0, 1, 2].map((i) => Float64Array.from(rows, (r) => r[i] as number)), rows.length);
    tape.backward(1);
    const fromTape = [w.grad, c.grad, p.grad];
    const terms = Array.from(tape.term());
    const outputs = Array.from(tape.output(0));

    w.grad = c.grad = p.grad = 0;
    const graphOutputs = rows.map(([a, b]) => c.add(w.mul(a)).add(w.mul(b)).relu());
    const graphTerms = graphOutputs.map((o, s) => o.mul(p).mul((rows[s] as readonly number[])[2] as number));
    graphTerms.reduce((total, t) => total.add(t)).backward();
    expect(outputs).toEqual(graphOutputs.map((o) => o.data));
    expect(terms).toEqual(graphTerms.map((t) => t.data));
    // w's two products in one sum may add in another order than backward() does
    [w, c, p].forEach((q, i) => expect(Math.abs((fromTape[i] as number) - q.grad)).toBeLessThanOrEqual(1e-12 * Math.abs(q.grad)));

    tape.forward([0, 1].map((i) => Float64Array.from(rows, (r) => r[i] as number)).concat([new Float64Array(0)]), 0, false);
    expect(tape.output(0)).toHaveLength(0);
  });
});
