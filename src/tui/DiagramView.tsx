import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { formatNumber as n } from '../format.js';
import type { NetworkPicture } from '../learn/network-picture.js';
import { toAscii } from './ascii.js';
import { fixed, NO_BREAK, wrapLine } from './format.js';
import { Panel } from './Panel.js';
import { usePaint } from './theme.js';

/** Neurons drawn per layer; a larger layer shows its first ones and `…`. */
export const SHOWN_NEURONS = 8;
/** Incoming edges drawn per neuron. */
const SHOWN_EDGES = 8;

export interface DiagramSelection {
  layer: number;
  neuron: number;
  /** `g`: edges show the whole step's gradients instead of the weights. */
  gradients: boolean;
}

interface DiagramViewProps {
  picture: NetworkPicture;
  selection: DiagramSelection;
  /** False under a C/POSIX locale: ASCII glyphs only. */
  unicode: boolean;
  width: number;
  height: number;
}

/** TF Playground's colour-blind-safe pair: blue for positive, orange for negative. */
const POSITIVE = '#0877bd';
const NEGATIVE = '#f59322';

/** Edge glyphs by strength (weak, medium, strong): one colour per sign, or without colour one set per sign. */
const EDGES = {
  colour: { unicode: ['·', '•', '●'], ascii: ['.', 'o', 'O'] },
  positive: { unicode: ['·', '+', '#'], ascii: ['.', '+', '#'] },
  negative: { unicode: ['·', '-', '='], ascii: [',', '-', '='] },
};
/** Activation shades from 0 to the layer's largest |output|. */
const SHADES = { unicode: [' ', '░', '▒', '▓', '█'], ascii: [' ', '.', ':', '+', '#'] };

function level(x: number, max: number, levels: number): number {
  if (max === 0) return 0;
  return Math.min(levels - 1, Math.floor((Math.abs(x) / max) * levels));
}

/** The keys of the diagram, for the hint line. */
export const DIAGRAM_HINTS = '←→ layer · ↑↓ neuron · tab sample · g weights/gradients · v/esc back';

/**
 * The network as TF Playground draws it, in text: layers as columns of neurons, each shaded by
 * its output on the chosen sample, with its incoming edges as a strip of glyphs coloured by
 * sign and sized by strength; below, the selected neuron's graph as micrograd's draw_dot shows it.
 */
export function DiagramView({ picture, selection, unicode, width, height }: DiagramViewProps) {
  const paint = usePaint();
  const colour = paint.fg('x').color !== undefined;
  const set = unicode ? 'unicode' : 'ascii';
  const inner = height - 2;
  const tallest = Math.max(...picture.sizes);
  const rows = Math.min(SHOWN_NEURONS, tallest) + (tallest > SHOWN_NEURONS ? 1 : 0);
  const ellipsis = unicode ? '…' : '...';
  const text = unicode ? (s: string): string => s : toAscii; // as the terminal's ASCII stream writes it (`·` as `.`)

  // The edge scale is per picture: the strongest edge on screen is drawn strongest.
  let strongest = 0;
  for (let l = 0; l < picture.layers; l++) {
    for (let j = 0; j < Math.min(SHOWN_NEURONS, picture.sizes[l + 1]); j++) {
      for (let i = 0; i < Math.min(SHOWN_EDGES, picture.sizes[l]); i++) {
        const w = picture.weight(l, j, i);
        strongest = Math.max(strongest, Math.abs(selection.gradients ? w.grad : w.value));
      }
    }
  }

  const edgeWidth = (l: number): number => Math.min(SHOWN_EDGES, picture.sizes[l]) + (picture.sizes[l] > SHOWN_EDGES ? 1 : 0);
  const columnWidth = (l: number): number => edgeWidth(l) + 9;
  // Layers that fit, keeping the selected one in view.
  let firstLayer = 0;
  const fits = (from: number): number => {
    let used = 9;
    let count = 0;
    for (let l = from; l < picture.layers && used + columnWidth(l) + 1 <= width - 4; l++) {
      used += columnWidth(l) + 1;
      count++;
    }
    return count;
  };
  while (selection.layer >= firstLayer + fits(firstLayer)) firstLayer++;
  const shownLayers = fits(firstLayer);

  const lines = Array.from({ length: rows }, (_, r) => {
    const parts: ReactNode[] = [];
    const inputs = picture.sizes[0];
    const inputText = r < Math.min(SHOWN_NEURONS, inputs) ? `x${r + 1} ${n(picture.input(r)).padStart(5)}`.slice(0, 9) : r === SHOWN_NEURONS && inputs > SHOWN_NEURONS ? ellipsis : '';
    parts.push(<Text key="in">{(firstLayer > 0 ? ellipsis : inputText).padEnd(9)}</Text>);
    for (let l = firstLayer; l < firstLayer + shownLayers; l++) {
      const size = picture.sizes[l + 1];
      parts.push(<Text key={`g${l}`}> </Text>);
      if (r >= Math.min(SHOWN_NEURONS, size)) {
        const more = r === SHOWN_NEURONS && size > SHOWN_NEURONS;
        parts.push(<Text key={`e${l}`}>{(more ? `${ellipsis}+${size - SHOWN_NEURONS}` : '').padEnd(columnWidth(l))}</Text>);
        continue;
      }
      const fanIn = picture.sizes[l];
      const edges: ReactNode[] = [];
      for (let i = 0; i < Math.min(SHOWN_EDGES, fanIn); i++) {
        const w = picture.weight(l, r, i);
        const x = selection.gradients ? w.grad : w.value;
        const k = level(x, strongest, 3);
        const glyph = colour ? EDGES.colour[set][k] : (x >= 0 ? EDGES.positive : EDGES.negative)[set][k];
        edges.push(
          <Text key={i} {...paint.fg(x >= 0 ? POSITIVE : NEGATIVE)}>
            {glyph}
          </Text>,
        );
      }
      if (fanIn > SHOWN_EDGES) edges.push(<Text key="more">{unicode ? '…' : '.'}</Text>);
      const out = picture.output(l, r);
      let layerMax = 0;
      for (let j = 0; j < Math.min(SHOWN_NEURONS, size); j++) layerMax = Math.max(layerMax, Math.abs(picture.output(l, j)));
      const shade = SHADES[set][level(out, layerMax, SHADES[set].length)];
      const selected = l === selection.layer && r === selection.neuron;
      parts.push(<Text key={`w${l}`}>{edges}</Text>);
      parts.push(
        <Text key={`n${l}`} inverse={selected}>
          {selected ? '>' : ' '}
          <Text {...paint.fg(out >= 0 ? POSITIVE : NEGATIVE)}>{shade}</Text>
          {fixed(out, 7, 3)}
        </Text>,
      );
    }
    if (firstLayer + shownLayers < picture.layers) parts.push(<Text key="end"> {ellipsis}</Text>);
    return parts;
  });

  const nodes = picture.neuron(selection.layer, selection.neuron);
  const graphRoom = Math.max(2, inner - rows - 3);
  // Each node on a line of its own, wrapped (not cut) at the panel's width: its data, then its grads.
  const wrap = (line: string): string[] => wrapLine(line, width - 4);
  // A grad with its label stays on one line when a node's line wraps.
  const unit = (label: string, x: number): string => `${label} ${n(x)}`.replaceAll(' ', NO_BREAK);
  const fanIn = nodes.products.length;
  const products = nodes.products.map((p, i) => {
    const x = p._b;
    const w = p._a;
    const value = `w ${n(w?.data ?? 0)} · x ${n(x?.data ?? 0)} = ${n(p.data)}`;
    return wrap(`${`w${i + 1}·x${i + 1}`.padEnd(7)}${value.padEnd(31)} ${unit('grad w', w?.grad ?? 0)} ${unit('x', x?.grad ?? 0)} ${unit('out', p.grad)}`);
  });
  const sum = nodes.sums[nodes.sums.length - 1];
  const tail = [
    ...wrap(`${'sum'.padEnd(7)}${`b ${n(nodes.bias.data)} + products = ${n(sum?.data ?? 0)}`.padEnd(31)} ${unit('grad b', nodes.bias.grad)} ${unit('out', sum?.grad ?? 0)}`),
    ...(nodes.out !== sum
      ? wrap(`${nodes.out.op.padEnd(7)}${`${nodes.out.op}(${n(sum?.data ?? 0)}) = ${n(nodes.out.data)}`.padEnd(31)} grad ${n(nodes.out.grad)} (the output)`)
      : ['linear: the sum is the output']),
  ];
  // As many products as fit with the sum, the output and, when some are left out, a line that says so.
  const graph: string[] = [];
  let show = 0;
  while (show < fanIn) {
    const more = show + 1 < fanIn ? 1 : 0;
    if (graph.length + (products[show] as string[]).length + more + tail.length > graphRoom && show > 0) break;
    graph.push(...(products[show] as string[]));
    show++;
  }
  if (show < fanIn) graph.push(`${ellipsis} ${fanIn - show} more products`);
  graph.push(...tail);

  const title = text(`network · ${picture.batched ? 'batch sample' : 'sample'} ${picture.sample + 1}/${picture.samples} · edges: ${selection.gradients ? 'gradients' : 'weights'}`);
  return (
    <Panel title={title} info={picture.name(selection.layer, selection.neuron)} width={width} height={height}>
      <Text bold wrap="truncate-end">
        {' inputs  '}
        {Array.from({ length: shownLayers }, (_, k) => ` ${`layer ${firstLayer + k + 1}`.padEnd(columnWidth(firstLayer + k))}`).join('')}
      </Text>
      {lines.map((parts, r) => (
        <Box key={r} height={1} overflow="hidden">
          <Text wrap="truncate-end"> {parts}</Text>
        </Box>
      ))}
      <Text wrap="truncate-end" {...paint.dim()}>
        {text(
          colour
            ? ` edges: blue +, orange -, ${EDGES.colour[set].join(' ')} weak to strong · neurons: shade = |output|`
            : ` edges: + ${EDGES.positive[set].join(' ')} / - ${EDGES.negative[set].join(' ')}, weak to strong · shade = |output|`,
        )}
      </Text>
      <Text bold wrap="truncate-end">
        {` ${picture.name(selection.layer, selection.neuron)} as micrograd draws it: every node's data, and its grad for sample ${picture.sample + 1}`}
      </Text>
      {graph.map((line, i) => (
        <Text key={`g${i}`} wrap="truncate-end">
          {' '}
          {text(line)}
        </Text>
      ))}
    </Panel>
  );
}
