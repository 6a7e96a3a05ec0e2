/**
 * The classic first example, exactly: four samples, MLP(3, [4, 4, 1]) with tanh, the sum of
 * squared errors, and 20 steps of p.data += -0.1 * p.grad. STEPS and SEED may be set in the
 * environment; it exits non-zero if the loss did not fall.
 */
import { MLP, type Value } from '../src/index.js';

const steps = Number(process.env.STEPS ?? 20);
const seed = Number(process.env.SEED ?? 42);

const xs = [
  [2.0, 3.0, -1.0],
  [3.0, -1.0, 0.5],
  [0.5, 1.0, 1.0],
  [1.0, 1.0, -1.0],
];
const ys = [1.0, -1.0, -1.0, 1.0];
const n = new MLP(3, [4, 4, 1], { seed });

let ypred: Value[] = [];
let first = 0;
let last = 0;
for (let k = 0; k < steps; k++) {
  // forward pass
  ypred = xs.map((x) => n.forward(x)[0]);
  let loss = ypred[0].sub(ys[0]).pow(2);
  for (let i = 1; i < ys.length; i++) loss = loss.add(ypred[i].sub(ys[i]).pow(2));

  // backward pass
  n.zeroGrad();
  loss.backward();

  // update
  for (const p of n.parameters()) p.data += -0.1 * p.grad;

  console.log(`step ${String(k).padStart(2)}  loss ${loss.data.toFixed(6)}`);
  if (k === 0) first = loss.data;
  last = loss.data;
}

console.log('\ntarget  prediction');
ypred = xs.map((x) => n.forward(x)[0]);
ys.forEach((y, i) => console.log(`${y.toFixed(2).padStart(6)}  ${ypred[i].data.toFixed(4).padStart(10)}`));

if (!(last < first)) {
  console.error(`the loss did not fall: ${first} -> ${last}`);
  process.exit(1);
}
