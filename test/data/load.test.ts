import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { readText } from '../../src/io/read.js';
import { UserError } from '../../src/errors.js';
import { userError } from '../helpers/user-error.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'micrograd-load-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
/** Write `content` to a fresh file called `name` (in its own folder, so names can repeat) and return its path. */
function file(name: string, content: string | Uint8Array): string {
  const sub = join(dir, String(counter++));
  mkdirSync(sub);
  const path = join(sub, name);
  writeFileSync(path, content);
  return path;
}

const BOM = '\uFEFF';

describe('loadDataset: CSV', () => {
  it('reads a file with a header, the last column being the target', () => {
    const path = file('points.csv', 'x1,x2,label\n0.5,1.2,-1\n-3,4e-2,1\n');
    expect(loadDataset(path)).toEqual({
      name: 'points.csv',
      source: path,
      x: [
        [0.5, 1.2],
        [-3, 0.04],
      ],
      y: [-1, 1],
    });
  });

  it('reads a file without a header', () => {
    const d = loadDataset(file('plain.csv', '1,2,3\n4,5,6\n'));
    expect(d.x).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(d.y).toEqual([3, 6]);
  });

  it('reads Windows line endings', () => {
    const d = loadDataset(file('crlf.csv', 'a,b,y\r\n1,2,1\r\n3,4,-1\r\n'));
    expect(d.x).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(d.y).toEqual([1, -1]);
  });

  it('skips a UTF-8 byte order mark before a header or a first data row', () => {
    expect(loadDataset(file('bom-header.csv', `${BOM}a,y\n1,1\n`)).x).toEqual([[1]]);
    const d = loadDataset(file('bom-data.csv', `${BOM}1,2\n3,4\n`));
    expect(d.x).toEqual([[1], [3]]);
    expect(d.y).toEqual([2, 4]);
  });

  it('skips blank lines and # comments and trims spaces around cells', () => {
    const d = loadDataset(file('spaced.csv', '# made by hand\n\nx, y\n 1 , 2 \n\n# more\n3,4\n\n'));
    expect(d.x).toEqual([[1], [3]]);
    expect(d.y).toEqual([2, 4]);
  });

  it('accepts the usual ways of writing a number', () => {
    const d = loadDataset(file('numbers.csv', '.5,-2.,+3,1e3,-1.5E-2,0\n'));
    expect(d.x).toEqual([[0.5, -2, 3, 1000, -0.015]]);
    expect(d.y).toEqual([0]);
  });

  it('reads a file without a final newline', () => {
    expect(loadDataset(file('nonl.csv', '1,2\n3,4')).y).toEqual([2, 4]);
  });

  it('reads quoted cells: commas and line breaks in names, quoted numbers', () => {
    const d = loadDataset(file('quoted.csv', '"width, cm","first\nsecond",y\n"0.5",2,"-1"\n1.5,"4",1\n'));
    expect(d.x).toEqual([
      [0.5, 2],
      [1.5, 4],
    ]);
    expect(d.y).toEqual([-1, 1]);
  });

  it('reads a spreadsheet\'s CSV export: a byte order mark, CRLF, a quoted header', () => {
    const d = loadDataset(file('export.csv', `${BOM}"x1","x2","y"\r\n1,2,1\r\n3,4,-1\r\n`));
    expect(d.x).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(d.y).toEqual([1, -1]);
  });
});

describe('loadDataset: JSON', () => {
  it('reads {"x": [[...]], "y": [...]}', () => {
    const path = file('data.json', JSON.stringify({ x: [[1, 2], [3, 4.5]], y: [1, -1] }));
    expect(loadDataset(path)).toEqual({ name: 'data.json', source: path, x: [[1, 2], [3, 4.5]], y: [1, -1] });
  });

  it('recognises JSON by its content whatever the extension', () => {
    expect(loadDataset(file('data.txt', ' \n{"x": [[1]], "y": [2]}')).y).toEqual([2]);
  });

  it('skips a byte order mark', () => {
    expect(loadDataset(file('bom.json', `${BOM}{"x": [[1]], "y": [2]}`)).x).toEqual([[1]]);
  });

  it('recognises .json case-insensitively', () => {
    expect(loadDataset(file('DATA.JSON', '{"x": [[1]], "y": [2]}')).y).toEqual([2]);
  });
});

describe('loadDataset: file errors', () => {
  it('names a missing file', () => {
    const path = join(dir, 'nope.csv');
    expect(userError(() => loadDataset(path))).toBe(`${path}: no such file`);
  });

  it('refuses a directory', () => {
    const path = mkdtempSync(join(dir, 'folder-'));
    expect(userError(() => loadDataset(path))).toBe(`${path}: is a directory, expected a file`);
  });

  it('refuses bytes that are not UTF-8', () => {
    const path = file('latin1.csv', new Uint8Array([0x61, 0x2c, 0x79, 0x0a, 0xff, 0xfe, 0x2c, 0x31, 0x0a]));
    expect(userError(() => loadDataset(path))).toBe(`${path}: not valid UTF-8 text`);
  });

  it('refuses a file over the size limit', () => {
    const path = file('big.csv', '1,2\n'.repeat(10));
    expect(userError(() => readText(path, 16))).toBe(`${path}: file is 40 bytes, the limit is 16 bytes`);
  });
});

describe('loadDataset: CSV errors name the file and the line', () => {
  it('rejects an empty file', () => {
    const path = file('empty.csv', '');
    expect(userError(() => loadDataset(path))).toMatch(new RegExp(`^${escape(path)}: no data rows`));
  });

  it('rejects a file of blank lines and comments', () => {
    const path = file('blank.csv', '\n  \n# nothing\n\r\n');
    expect(userError(() => loadDataset(path))).toMatch(/no data rows/);
  });

  it('rejects a header without data', () => {
    const path = file('header.csv', 'x,y\n');
    expect(userError(() => loadDataset(path))).toMatch(new RegExp(`^${escape(path)}: no data rows`));
  });

  it('rejects a single column', () => {
    const path = file('one.csv', '\n1\n2\n');
    expect(userError(() => loadDataset(path))).toBe(`${path}:2: expected at least 2 columns (inputs, then the target)`);
  });

  it('rejects a row with more or fewer columns than the first', () => {
    const path = file('ragged.csv', 'a,b,y\n1,2,1\n1,2\n');
    expect(userError(() => loadDataset(path))).toBe(`${path}:3: 2 columns, expected 3 like line 1`);
    const longer = file('ragged2.csv', '1,2,1\n\n1,2,3,4\n');
    expect(userError(() => loadDataset(longer))).toBe(`${longer}:3: 4 columns, expected 3 like line 1`);
  });

  it('rejects a non-numeric cell, naming the line and column', () => {
    const path = file('words.csv', 'a,b,y\n1,2,1\n1,two,1\n');
    expect(userError(() => loadDataset(path))).toBe(`${path}:3: column 2: "two" is not a number`);
  });

  it('names the line a row starts on, counting the line breaks inside quoted cells', () => {
    for (const nl of ['\n', '\r\n']) {
      const path = file('breaks.csv', `"a${nl}b",y${nl}1,1${nl}"2",two${nl}`);
      expect(userError(() => loadDataset(path))).toBe(`${path}:4: column 2: "two" is not a number`);
    }
  });

  it('rejects a quote that is never closed, naming the line it opens on', () => {
    const path = file('open.csv', 'x,y\n1,1\n\n# a comment\n"2,1\n3,1\n');
    expect(userError(() => loadDataset(path))).toBe(`${path}:5: a quoted cell has no closing quote (")`);
  });

  it('rejects a quote inside an unquoted cell, or after a closing quote', () => {
    const inside = file('inside.csv', 'x,y\n1,2"3\n');
    expect(userError(() => loadDataset(inside))).toBe(`${inside}:2: a quote (") inside a cell: quote the whole cell and double the quotes in it ("a ""b""")`);
    const after = file('after.csv', 'x,y\n1,"2"3\n');
    expect(userError(() => loadDataset(after))).toMatch(/:2: a quote \(\"\) inside a cell/);
  });

  it('rejects an empty cell', () => {
    const path = file('hole.csv', '1,2,1\n1,,1\n');
    expect(userError(() => loadDataset(path))).toBe(`${path}:2: column 2: "" is not a number`);
  });

  it('takes a first line with a number among its names for a header (x,2020,y)', () => {
    expect(loadDataset(file('year.csv', 'x,2020,y\n1,2,1\n3,4,-1\n'))).toMatchObject({ x: [[1, 2], [3, 4]], y: [1, -1] });
  });

  it('reports a non-numeric cell on the first line instead of taking the line for a header', () => {
    const path = file('typo.csv', '1,2x,1\n3,4,-1\n');
    expect(userError(() => loadDataset(path))).toBe(`${path}:1: column 2: "2x" is not a number`);
  });

  it('rejects NaN and Infinity', () => {
    for (const cell of ['NaN', 'Infinity', '-Infinity', 'inf']) {
      const path = file('nan.csv', `x,y\n1,1\n${cell},1\n`);
      expect(userError(() => loadDataset(path))).toBe(`${path}:3: column 1: "${cell}" is not a number`);
    }
  });

  it('rejects a number too large for a double', () => {
    const path = file('huge.csv', '1,1\n2,1e400\n');
    expect(userError(() => loadDataset(path))).toBe(`${path}:2: column 2: 1e400 is too large (not a finite number)`);
    const negative = file('huge2.csv', '-1e400,1\n');
    expect(userError(() => loadDataset(negative))).toMatch(/:1: column 1: -1e400 is too large/);
  });

  it('shortens a long bad cell in the message', () => {
    const path = file('long.csv', `1,1\n${'z'.repeat(500)},1\n`);
    const message = userError(() => loadDataset(path));
    expect(message).toBe(`${path}:2: column 1: "${'z'.repeat(20)}…" is not a number`);
  });
});

describe('loadDataset: JSON errors name the file and the field', () => {
  const json = (name: string, doc: unknown): string => file(name, typeof doc === 'string' ? doc : JSON.stringify(doc));

  it('rejects an empty .json file', () => {
    const path = json('empty.json', '');
    expect(userError(() => loadDataset(path))).toMatch(new RegExp(`^${escape(path)}: not valid JSON \\(`));
  });

  it('rejects text that is not JSON, including NaN', () => {
    const path = json('bad.json', '{"x": [[NaN]], "y": [1]}');
    expect(userError(() => loadDataset(path))).toMatch(new RegExp(`^${escape(path)}: not valid JSON`));
  });

  it('rejects a document without x and y arrays', () => {
    const shape = 'expected {"x": [[numbers], ...], "y": [numbers]}';
    for (const doc of ['[1, 2]', '{"x": [[1]]}', '{"x": 1, "y": [1]}', 'null', '3']) {
      const path = json('shape.json', doc);
      expect(userError(() => loadDataset(path))).toBe(`${path}: ${shape}`);
    }
  });

  it('rejects an empty x', () => {
    const path = json('nox.json', { x: [], y: [] });
    expect(userError(() => loadDataset(path))).toBe(`${path}: "x" is empty, expected at least one sample`);
  });

  it('rejects x and y of different lengths', () => {
    const path = json('lengths.json', { x: [[1], [2]], y: [1, 2, 3] });
    expect(userError(() => loadDataset(path))).toBe(`${path}: "x" has 2 samples but "y" has 3`);
  });

  it('rejects rows of different widths, naming the row', () => {
    const path = json('ragged.json', { x: [[1, 2], [3]], y: [1, 2] });
    expect(userError(() => loadDataset(path))).toBe(`${path}: x[1] has 1 numbers, expected 2 like x[0]`);
  });

  it('rejects a first row that is empty or not an array', () => {
    for (const first of [[], 5]) {
      const path = json('first.json', { x: [first], y: [1] });
      expect(userError(() => loadDataset(path))).toBe(`${path}: x[0] must be a non-empty array of numbers`);
    }
  });

  it('rejects a later row that is not an array', () => {
    const path = json('row.json', { x: [[1], 'a'], y: [1, 2] });
    expect(userError(() => loadDataset(path))).toBe(`${path}: x[1] is not an array of numbers`);
  });

  it('rejects non-numbers in x and y, naming the field', () => {
    const inX = json('xstr.json', { x: [[1, 2], [3, '4']], y: [1, 2] });
    expect(userError(() => loadDataset(inX))).toBe(`${inX}: x[1][1]: "4" is not a finite number`);
    const inY = json('ynull.json', { x: [[1], [2]], y: [1, null] });
    expect(userError(() => loadDataset(inY))).toBe(`${inY}: y[1]: null is not a finite number`);
  });

  it('refuses arrays nested 5,000 deep in one line, without overflowing the stack', () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const inX = json('deep-x.json', `{"x": [[1, 2], [3, ${deep}]], "y": [1, -1]}`);
    expect(userError(() => loadDataset(inX))).toBe(`${inX}: x[1][1]: an array is not a finite number`);
    const inY = json('deep-y.json', `{"x": [[1], [2]], "y": [1, ${deep}]}`);
    expect(userError(() => loadDataset(inY))).toBe(`${inY}: y[1]: an array is not a finite number`);
  });

  it('rejects a number too large for a double and says so', () => {
    const path = json('huge.json', '{"x": [[1, 1e400]], "y": [1]}');
    const message = userError(() => loadDataset(path));
    expect(message).toMatch(new RegExp(`^${escape(path)}: x\\[0\\]\\[1\\]: `));
    expect(message).toMatch(/Infinity|too large/);
    expect(message).not.toMatch(/null/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
