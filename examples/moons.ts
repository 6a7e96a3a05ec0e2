/**
 * A 2-D two-moons classifier, as in micrograd's demo: MLP(2, [16, 16, 1]) with relu hidden
 * layers and a linear output, hinge loss plus L2, learning rate decaying from 1.0 to 0.1 over
 * 100 steps. STEPS and SEED may be set in the environment; it exits non-zero below 95% accuracy.
 */
import { MLP, SGD, accuracy, hingeLoss, l2Regularization, linearDecay, makeDataset } from '../src/index.js';

const steps = Number(process.env.STEPS ?? 100);
const seed = Number(process.env.SEED ?? 42);

const { x, y } = makeDataset('moons', { size: 100, noise: 0.1 });
const model = new MLP(2, [16, 16, 1], { activation: 'relu', outputActivation: 'linear', seed });
const optimizer = new SGD(model.parameters());
const learningRate = linearDecay(1.0, 0.1, steps);

let acc = 0;
for (let k = 0; k < steps; k++) {
  const scores = x.map((row) => model.forward(row)[0]);
  const loss = hingeLoss(scores, y).add(l2Regularization(model.parameters(), 1e-4));
  acc = accuracy(
    scores.map((s) => s.data),
    y,
  );

  model.zeroGrad();
  loss.backward();
  optimizer.step(learningRate(k));

  if (k % 10 === 0 || k === steps - 1) {
    console.log(`step ${String(k).padStart(3)}  loss ${loss.data.toFixed(6)}  accuracy ${(100 * acc).toFixed(0)}%`);
  }
}

const final = accuracy(
  x.map((row) => model.forward(row)[0].data),
  y,
);
console.log(`\nfinal accuracy ${(100 * final).toFixed(1)}% on ${y.length} points`);
if (final < 0.95) {
  console.error(`below the 95% this example promises`);
  process.exit(1);
}
