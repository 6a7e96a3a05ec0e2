/**
 * One tanh neuron, o = tanh(x1*w1 + x2*w2 + b), as in the micrograd lecture: backward(), then
 * every node's data and grad as a text tree, and the graph as Graphviz DOT (written to the
 * file named by DOT, default neuron.dot; render it with `dot -Tsvg neuron.dot`).
 */
import { writeFileSync } from 'node:fs';
import { Value, toDot, toTextTree } from '../src/index.js';

const x1 = new Value(2.0, [], '', 'x1');
const x2 = new Value(0.0, [], '', 'x2');
const w1 = new Value(-3.0, [], '', 'w1');
const w2 = new Value(1.0, [], '', 'w2');
const b = new Value(6.881373587019543, [], '', 'b');

const x1w1 = x1.mul(w1);
x1w1.label = 'x1*w1';
const x2w2 = x2.mul(w2);
x2w2.label = 'x2*w2';
const sum = x1w1.add(x2w2);
sum.label = 'x1*w1 + x2*w2';
const n = sum.add(b);
n.label = 'n';
const o = n.tanh();
o.label = 'o';

o.backward();

process.stdout.write(toTextTree(o));
const file = process.env.DOT ?? 'neuron.dot';
writeFileSync(file, toDot(o));
console.log(`\nwrote ${file}`);
