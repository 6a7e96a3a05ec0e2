import { describe, expect, it } from 'vitest';
import { toDot, toTextTree, trace } from '../../src/engine/graph.js';
import { Value } from '../../src/engine/value.js';

/** e = tanh(a * b + a), with labels, after backward(). */
function example(): { a: Value; b: Value; c: Value; d: Value; e: Value } {
  const a = new Value(2, [], '', 'a');
  const b = new Value(-3, [], '', 'b');
  const c = a.mul(b);
  c.label = 'c';
  const d = c.add(a);
  d.label = 'd';
  const e = d.tanh();
  e.label = 'e';
  e.backward();
  return { a, b, c, d, e };
}

/** The record label of every value node in a DOT text, by node id. */
function dotRecords(dot: string): Map<string, string> {
  const records = new Map<string, string>();
  for (const m of dot.matchAll(/^ {2}(n\d+) \[shape=record, label="\{ (.*) \}"\];$/gm)) records.set(m[1]!, m[2]!);
  return records;
}

function dotEdges(dot: string): string[] {
  return [...dot.matchAll(/^ {2}(\w+) -> (\w+);$/gm)].map((m) => `${m[1]} -> ${m[2]}`);
}

describe('trace', () => {
  it('lists every node once, operands before the values made from them, root last', () => {
    const { a, b, c, d, e } = example();
    const { nodes } = trace(e);
    expect(nodes).toHaveLength(5);
    expect(new Set(nodes).size).toBe(5);
    expect(nodes[nodes.length - 1]).toBe(e);
    const at = (x: Value): number => nodes.indexOf(x);
    expect(at(a)).toBeLessThan(at(c));
    expect(at(b)).toBeLessThan(at(c));
    expect(at(c)).toBeLessThan(at(d));
    expect(at(d)).toBeLessThan(at(e));
  });

  it('has one edge from each operand to the value made from it', () => {
    const { a, b, c, d, e } = example();
    const { edges } = trace(e);
    expect(edges).toHaveLength(5);
    expect(edges).toEqual(expect.arrayContaining([[a, c], [b, c], [c, d], [a, d], [d, e]]));
  });

  it('traces a lone leaf as one node and no edges', () => {
    const a = new Value(1);
    expect(trace(a)).toEqual({ nodes: [a], edges: [] });
  });

  it('keeps an edge per operand when a node is used twice by the same op', () => {
    const a = new Value(1.5);
    const s = a.add(a);
    const { nodes, edges } = trace(s);
    expect(nodes).toEqual([a, s]);
    expect(edges).toEqual([
      [a, s],
      [a, s],
    ]);
  });

  it('includes constants wrapped from plain-number operands', () => {
    const a = new Value(1);
    const { nodes } = trace(a.mul(3));
    expect(nodes.map((v) => v.data)).toEqual([1, 3, 3]);
  });

  it('traces a chain of 100,000 nodes', () => {
    let cur = new Value(0);
    for (let i = 0; i < 100_000; i++) cur = cur.tanh();
    expect(trace(cur).nodes).toHaveLength(100_001);
  });
});

describe('toDot', () => {
  it('is a directed graph laid out left to right', () => {
    const dot = toDot(example().e);
    expect(dot.startsWith('digraph G {\n  rankdir=LR;\n')).toBe(true);
    expect(dot.endsWith('}\n')).toBe(true);
  });

  it('shows each value as a record with its label, data and grad', () => {
    const { e } = example();
    const records = [...dotRecords(toDot(e)).values()];
    expect(records).toHaveLength(5);
    expect(records).toContain('a | data 2 | grad -0.0027');
    expect(records).toContain('b | data -3 | grad 0.0027');
    expect(records).toContain('c | data -6 | grad 0.0013');
    expect(records).toContain('d | data -4 | grad 0.0013');
    expect(records).toContain('e | data -0.9993 | grad 1');
  });

  it('leaves the label out of an unlabelled value', () => {
    const dot = toDot(new Value(0.5).mul(2));
    expect([...dotRecords(dot).values()]).toEqual(['data 0.5000 | grad 0', 'data 2 | grad 0', 'data 1 | grad 0']);
  });

  it('puts an op node between the operands and each value made by an operation', () => {
    const dot = toDot(example().e);
    const records = dotRecords(dot);
    const idOf = (label: string): string => [...records].find(([, r]) => r.startsWith(`${label} |`))![0];
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(idOf) as [string, string, string, string, string];
    expect(dot).toContain(`  ${c}_op [label="*"];`);
    expect(dot).toContain(`  ${d}_op [label="+"];`);
    expect(dot).toContain(`  ${e}_op [label="tanh"];`);
    expect(dot).not.toContain(`${a}_op`); // leaves have no op node
    expect(dot).not.toContain(`${b}_op`);
    expect(dotEdges(dot).sort()).toEqual(
      [
        `${c}_op -> ${c}`,
        `${d}_op -> ${d}`,
        `${e}_op -> ${e}`,
        `${a} -> ${c}_op`,
        `${b} -> ${c}_op`,
        `${c} -> ${d}_op`,
        `${a} -> ${d}_op`,
        `${d} -> ${e}_op`,
      ].sort(),
    );
  });

  it('shows the exponent of a pow node', () => {
    expect(toDot(new Value(3).pow(2))).toContain('_op [label="**2"];');
  });

  it('escapes characters that would break a record label', () => {
    const dot = toDot(new Value(1, [], '', 'x"{y}<z>|w\\'));
    expect(dot).toContain('label="{ x\\"\\{y\\}\\<z\\>\\|w\\\\ | data 1 | grad 0 }"');
  });
});

describe('toTextTree', () => {
  it('prints the root first and each operand indented under the value made from it', () => {
    expect(toTextTree(example().e)).toBe(
      [
        '[tanh] e | data -0.9993 | grad 1',
        '└─ [+] d | data -4 | grad 0.0013',
        '   ├─ [*] c | data -6 | grad 0.0013',
        '   │  ├─ a | data 2 | grad -0.0027',
        '   │  └─ b | data -3 | grad 0.0027',
        '   └─ a | data 2 | grad -0.0027',
        '',
      ].join('\n'),
    );
  });

  it('prints a value used twice in full once and refers back to it afterwards', () => {
    const a = new Value(2, [], '', 'a');
    const b = a.mul(3);
    b.label = 'b';
    const out = b.add(b);
    out.label = 'out';
    const lines = toTextTree(out).trimEnd().split('\n');
    expect(lines).toEqual([
      '[+] out | data 12 | grad 0',
      '├─ [*] b | data 6 | grad 0',
      '│  ├─ a | data 2 | grad 0',
      '│  └─ data 3 | grad 0',
      '└─ [*] b | data 6 | grad 0 (see above)',
    ]);
  });

  it('prints a lone leaf as one line', () => {
    expect(toTextTree(new Value(-1.25, [], '', 'w'))).toBe('w | data -1.2500 | grad 0\n');
  });
});
