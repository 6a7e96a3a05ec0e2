import { Text } from 'ink';
import type { Value } from '../engine/value.js';
import { factor, forwardFormula, forwardNumbers, localTerms } from '../engine/explain.js';
import { formatNumber, formatOperand as o } from '../format.js';
import { PHASES, type StepWalk, type WalkItem } from '../learn/walk.js';
import { fixed, NO_BREAK, wrapLine } from './format.js';
import { Panel } from './Panel.js';
import { usePaint } from './theme.js';

interface WalkViewProps {
  walk: StepWalk;
  /** What the loss is, in words (`sum of squared errors`). */
  lossName: string;
  width: number;
  height: number;
}

const NAME = 16;
const PARAM = 12;
const NUM = 9;
/** Lines under the list that explain the current item; up to MAX_DETAIL when they wrap (Adam's update: its rule, its moments, the grad, what next). */
const DETAIL = 3;
const MAX_DETAIL = 7;

const n = formatNumber;
/** What the op table's formulas call a node's operands, in order. */
const OPERANDS = ['a', 'b'];

/** What each phase's items are, so the counts agree with the top line's: operations, rules, parameters. */
const UNITS = ['operation', 'operation', 'parameter', 'rule', 'parameter'];

/** The walk's title: where in the step it is. */
export function walkTitle(walk: StepWalk): string {
  const unit = UNITS[walk.phase];
  const parts = [
    'backprop',
    `phase ${walk.phase + 1}/${PHASES.length} ${walk.phaseName}`,
    `sample ${walk.sample + 1}/${walk.samples}`,
    `${unit} ${walk.position + 1}/${walk.items().length}`,
  ];
  return parts.join(' · ');
}

/** The title line of the screen while walking: how big one step is, the whole and one sample's part. */
export function stepSizeLine(walk: StepWalk): string {
  const { nodes, sampleNodes, rules } = walk.size;
  // 26.9M, 397k: the line shares the top row with the run's status (at most 66 columns are left).
  const count = (x: number): string =>
    x >= 1e6 ? `${(x / 1e6).toPrecision(3)}M` : x >= 1e5 ? `${Math.round(x / 1e3)}k` : x.toLocaleString('en');
  return `one ${walk.batched ? 'update' : 'step'}: ${count(nodes)} nodes (${count(sampleNodes)} a sample) · ${count(rules)} rules in backward`;
}

/** The keys of the walk, for the hint line. */
export function walkHints(walk: StepWalk): string {
  return ['s/→ next', '← back', 'enter end of phase', 'tab sample', ...(walk.following ? ['↑↓ neuron'] : []), 'b/esc back'].join(' · ');
}

/** A node's name, with `●k` when k operands take it (its grad adds up k contributions). */
function nodeName(walk: StepWalk, v: Value): string {
  const uses = walk.info(v)?.uses ?? 0;
  return uses > 1 ? `${walk.name(v)} ●${uses}` : walk.name(v);
}

/** One line of the list for an item; `done` once the walk has reached it. */
function row(walk: StepWalk, item: WalkItem, done: boolean): string {
  const phase = walk.phase;
  if (item.kind === 'param') {
    const name = walk.names[item.index].padEnd(PARAM).slice(0, PARAM);
    if (phase === 2) return `${name} ${fixed(walk.oldGrads[item.index], NUM)} → ${done ? fixed(0, NUM) : ''}`;
    const u = walk.update(item.index);
    if (u === undefined) return name;
    return `${name} ${fixed(u.before, NUM)} → ${done ? fixed(u.after, NUM) : ' '.repeat(NUM)}  ${done ? u.numbers : ''}`;
  }
  const v = item.node;
  const name = nodeName(walk, v).padEnd(NAME).slice(0, NAME);
  if (phase !== 3) return `${name} ${fixed(v.data, NUM)}  ${forwardNumbers(v)}`;
  const grad = walk.gradAt(v);
  if (!done || grad === undefined) return `${name} ${fixed(v.data, NUM)}`;
  const effect = walk.effect(v) ?? [];
  // Each operand's share whole on a line, should the row wrap.
  const adds = effect.map((c) => `${walk.name(c.operand)} +=${n(c.now - c.was)}`.replaceAll(' ', NO_BREAK)).join(', ');
  return `${name} ${fixed(v.data, NUM)} ${fixed(grad, NUM)}  ${adds}`;
}

/** What backward's listed rules are: the forward's operations (in reverse) and the loss's. */
function backwardParts(walk: StepWalk): string {
  const items = walk.items();
  const forward = items.filter((item) => item.kind === 'node' && walk.info(item.node)?.inSample === true).length;
  return `${forward} rules of forward + ${items.length - forward} of the loss`;
}

/** The lines that explain the current item with its numbers. */
function detail(walk: StepWalk, lossName: string): string[] {
  const item = walk.item;
  if (item.kind === 'param') {
    const i = item.index;
    const name = walk.names[i];
    if (walk.phase === 2) {
      const old = walk.oldGrads[i];
      const total = walk.totals[i];
      return [
        `${name}.grad = 0   (was ${n(old)}, left from the previous step)`,
        `Without zero grad, backward would add this step's ${n(total)} on top:`,
        `${n(old)} + ${o(total)} = ${n(old + total)}, and the update would use that.`,
      ];
    }
    const u = walk.update(i);
    const total = walk.totals[i];
    const sofar = walk.grad(i); // the running total: the walked sample and the ones before it
    const penalty = walk.penaltyShare(i); // a large network's walked graph holds the L2 penalty as one leaf
    const after = walk.samples - walk.sample - 1;
    const through = walk.sample === 0 ? 'sample 1' : `samples 1-${walk.sample + 1}`;
    const rest = after === 1 ? `sample ${walk.samples}` : `samples ${walk.sample + 2}-${walk.samples}`;
    const l2 = penalty === 0 ? '' : ` + ${o(penalty)} from L2`;
    return [
      `${name}: ${u?.formula ?? ''} = ${u?.numbers ?? ''} = ${n(u?.after ?? NaN)}`,
      ...(u?.terms === undefined ? [] : [u.terms]),
      walk.samples === 1
        ? `grad ${n(total)}: the whole step's gradient`
        : after === 0
          ? `grad ${n(total)}: what backward added up over all ${walk.samples} samples (+=)${l2}`
          : `grad ${n(total)} = ${n(sofar)} after ${through} + ${o(total - sofar - penalty)} from ${rest}${l2}`,
      walk.atEnd ? 'next: apply this step (s or →), as s in the trainer would' : '',
    ];
  }
  const v = item.node;
  const name = nodeName(walk, v);
  if (walk.phase === 0 || walk.phase === 1) {
    if (v === walk.root) {
      const parts = v.children.map((c) => walk.name(c)).join(' and ');
      return [`loss = ${n(v.data)}: ${lossName} over the ${walk.samples} samples`, `${forwardNumbers(v)} = ${n(v.data)}: ${parts}`, ''];
    }
    const uses = walk.info(v)?.uses ?? 0;
    return [`${name} = ${forwardFormula(v)} = ${forwardNumbers(v)} = ${n(v.data)}`, uses > 1 ? `used by ${uses} nodes: in backward its grad adds up ${uses} contributions` : '', ''];
  }
  const grad = walk.gradAt(v) ?? v.grad;
  const terms = localTerms(v);
  const effect = walk.effect(v) ?? [];
  const start = v === walk.root ? ' = d loss/d loss: backward starts here' : '';
  // The local rule as the chain rule reads it: out's derivative with respect to each operand (a, b).
  const rule = terms.map((t, k) => `d out/d ${OPERANDS[k]} = ${t.formula}`).join(', ');
  const lines = [`${name} grad ${n(grad)}${start}; out = ${forwardFormula(v)}, so ${rule}:`];
  terms.forEach((t, k) => {
    const c = effect[k];
    if (c === undefined) return;
    lines.push(` ${nodeName(walk, t.operand)}.grad += ${factor(t)} · ${n(grad)} = ${n(c.now - c.was)}  (was ${n(c.was)}, now ${n(c.now)})`);
  });
  if (walk.bridgeNode?.node === v) lines.push(` (${n(grad)} came down from the output through the layers above: rules not listed, ↑↓ another neuron)`);
  while (lines.length < DETAIL) lines.push('');
  return lines;
}

/**
 * The list's lines: the current item's, then up to half of the rest from the items before it,
 * then the items after it, then more before if room is left. An item longer than `columns` wraps.
 */
function listLines(walk: StepWalk, items: readonly WalkItem[], rows: number, columns: number): { index: number; first: boolean; text: string }[] {
  const linesOf = (index: number): { index: number; first: boolean; text: string }[] =>
    wrapLine(row(walk, items[index], index <= walk.position), columns).map((text, k) => ({ index, first: k === 0, text }));
  const at = walk.position;
  let before: ReturnType<typeof linesOf> = [];
  let after: ReturnType<typeof linesOf> = [];
  const current = linesOf(at).slice(0, rows);
  let lo = at - 1;
  let hi = at + 1;
  const fits = (more: number): boolean => current.length + before.length + after.length + more <= rows;
  const half = Math.floor((rows - current.length) / 2);
  while (lo >= 0 && before.length < half && fits(linesOf(lo).length)) before = [...linesOf(lo--), ...before];
  while (hi < items.length && fits(linesOf(hi).length)) after = [...after, ...linesOf(hi++)];
  while (lo >= 0 && fits(linesOf(lo).length)) before = [...linesOf(lo--), ...before];
  return [...before, ...current, ...after];
}

/** The step-through view: one real training step, phase by phase, item by item. */
export function WalkView({ walk, lossName, width, height }: WalkViewProps) {
  const paint = usePaint();
  const inner = Math.max(1, height - 2);
  const items = walk.items();
  // Long lines wrap (none is cut while there is room): the explanation below first, up to
  // MAX_DETAIL lines, then the list, whose items take one line or more each.
  const room = Math.max(8, width - 3);
  const explained = detail(walk, lossName).flatMap((line) => (line === '' ? [''] : wrapLine(line, room)));
  const detailRows = Math.min(Math.max(DETAIL, explained.length), MAX_DETAIL);
  const details = explained.slice(0, detailRows);
  while (details.length < detailRows) details.push('');
  const hidden = walk.hidden();
  const summary = `${walk.phase === 3 ? `${backwardParts(walk)} · ` : ''}${
    hidden > 0
      ? `+ ${hidden.toLocaleString('en')} more ${UNITS[walk.phase]}s${walk.following ? ` (following ${walk.neuronName}; ↑↓ another)` : ''}${walk.samples > 1 ? ` · tab: sample` : ''}`
      : walk.samples > 1 && walk.phase !== 2 && walk.phase !== 4
        ? `the other ${walk.samples - 1} samples run the same way (tab)`
        : ''
  }`;
  const summaries = summary === '' ? [''] : wrapLine(summary, room).slice(0, 2);
  const listRows = Math.max(1, inner - 2 - summaries.length - detailRows); // strip, header, summary
  const list = listLines(walk, items, listRows, width - 4);
  const strip = PHASES.map((p, i) => (i < walk.phase ? `${p} ✓` : i === walk.phase ? `[${p}]` : p)).join('  ');
  const header =
    walk.phase === 2
      ? `  ${'parameter'.padEnd(PARAM)} ${'grad'.padStart(NUM)}   ${'zeroed'.padStart(NUM)}`
      : walk.phase === 4
        ? `  ${'parameter'.padEnd(PARAM)} ${'value'.padStart(NUM)}   ${'new'.padStart(NUM)}  rule with the numbers${walk.scaled ? ', in standardised units' : ''}`
        : walk.phase === 3
          ? `  ${'node'.padEnd(NAME)} ${'data'.padStart(NUM)} ${'grad'.padStart(NUM)}  adds to its operands' grads`
          : `  ${'node'.padEnd(NAME)} ${'data'.padStart(NUM)}  computed from`;
  return (
    <Panel title={walkTitle(walk)} info={walk.following ? `follows ${walk.neuronName}` : ''} width={width} height={height}>
      <Text wrap="truncate-end">
        {' '}
        {strip}
        <Text {...paint.dim()}>{'   enter: end of phase'}</Text>
      </Text>
      <Text bold wrap="truncate-end">
        {header}
      </Text>
      {Array.from({ length: listRows }, (_, r) => {
        const line = list[r];
        if (line === undefined) return <Text key={r}> </Text>;
        const current = line.index === walk.position;
        const done = line.index <= walk.position;
        return (
          <Text key={r} wrap="truncate-end" bold={current} {...(current ? paint.fg('magenta') : done ? {} : paint.dim())}>
            {current && line.first ? '▶ ' : '  '}
            {line.text}
          </Text>
        );
      })}
      {summaries.map((line, i) => (
        <Text key={`s${i}`} wrap="truncate-end">
          {' '}
          {line}
        </Text>
      ))}
      {details.map((line, i) => (
        <Text key={`d${i}`} wrap="truncate-end" {...paint.fg('magenta')}>
          {' '}
          {line}
        </Text>
      ))}
    </Panel>
  );
}
