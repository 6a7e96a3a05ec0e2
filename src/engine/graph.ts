import { topologicalOrder, type Value } from './value.js';

/** The nodes of an expression (operands first, root last) and its edges, operand -> result. */
export interface Trace {
  nodes: Value[];
  edges: Array<[from: Value, to: Value]>;
}

export function trace(root: Value): Trace {
  const nodes = topologicalOrder(root);
  const edges: Array<[Value, Value]> = [];
  for (const v of nodes) for (const child of v.children) edges.push([child, v]);
  return { nodes, edges };
}

/** A number short enough for a graph label. */
function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(4);
}

function describe(v: Value, escape: (s: string) => string = (s) => s): string {
  const name = v.label === '' ? '' : `${escape(v.label)} | `;
  return `${name}data ${fmt(v.data)} | grad ${fmt(v.grad)}`;
}

/**
 * Graphviz DOT for an expression: a record per value (label, data, grad) and, for each value
 * made by an operation, a small op node between its operands and itself.
 */
export function toDot(root: Value): string {
  const { nodes, edges } = trace(root);
  const id = new Map<Value, string>(nodes.map((v, i) => [v, `n${i}`]));
  const lines = ['digraph G {', '  rankdir=LR;'];
  for (const v of nodes) {
    const n = id.get(v) as string;
    lines.push(`  ${n} [shape=record, label="{ ${describe(v, escapeDot)} }"];`);
    if (v.op !== '') {
      lines.push(`  ${n}_op [label="${escapeDot(v.op)}"];`);
      lines.push(`  ${n}_op -> ${n};`);
    }
  }
  for (const [from, to] of edges) lines.push(`  ${id.get(from)} -> ${id.get(to)}_op;`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** Record labels treat braces, bars and angle brackets as structure; quotes and backslashes end or escape the string. */
function escapeDot(s: string): string {
  return s.replace(/["\\{}<>|]/g, (c) => `\\${c}`);
}

/**
 * The expression as an indented tree for a terminal, root first. A value used twice is
 * printed in full once and referred to by "(see above)" afterwards.
 */
export function toTextTree(root: Value): string {
  const lines: string[] = [];
  const printed = new Set<Value>();
  // Iterative so that deep graphs print instead of overflowing the stack.
  const stack: Array<{ v: Value; prefix: string; last: boolean; top: boolean }> = [
    { v: root, prefix: '', last: true, top: true },
  ];
  while (stack.length > 0) {
    const { v, prefix, last, top } = stack.pop() as (typeof stack)[number];
    const branch = top ? '' : last ? '└─ ' : '├─ ';
    const op = v.op === '' ? '' : `[${v.op}] `;
    const seen = printed.has(v) && v.children.length > 0;
    lines.push(`${prefix}${branch}${op}${describe(v)}${seen ? ' (see above)' : ''}`);
    if (seen) continue;
    printed.add(v);
    const childPrefix = top ? '' : prefix + (last ? '   ' : '│  ');
    const children = v.children;
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ v: children[i], prefix: childPrefix, last: i === children.length - 1, top: false });
    }
  }
  return lines.join('\n') + '\n';
}
