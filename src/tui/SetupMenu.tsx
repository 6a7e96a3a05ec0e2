import { Box, Text, useInput } from 'ink';
import SelectInput from 'ink-select-input';
import { useState } from 'react';
import { BUILT_IN_DATASETS, DATASET_NAMES } from '../data/datasets.js';
import { ACTIVATIONS } from '../nn/activation.js';
import { LOSSES, type LossName } from '../nn/loss.js';
import { withPreset } from '../train/presets.js';
import type { RunOptions } from '../train/setup.js';
import { Panel } from './Panel.js';
import { usePaint } from './theme.js';

type Field = 'dataset' | 'layers' | 'activation' | 'loss' | 'test';

/** Shares of the samples the menu offers to hold out for testing. */
const TEST_PERCENTS = ['0%', '10%', '20%', '30%', '50%'];
const percent = (fraction: number | undefined): string => `${Math.round((fraction ?? 0) * 100)}%`;

const LAYER_PRESETS = ['2', '4', '4,4', '8,8', '16,16', '32,32', '8,8,8'];

interface SetupMenuProps {
  options: RunOptions;
  /** Called with the chosen options when the user picks "apply". */
  onApply: (options: RunOptions) => void;
  onCancel: () => void;
  isActive: boolean;
  width: number;
  height: number;
}

function datasetLabel(o: RunOptions): string {
  return o.dataFile ?? o.dataset;
}

function current(o: RunOptions, field: Field): string {
  switch (field) {
    case 'dataset':
      return datasetLabel(o);
    case 'layers':
      return o.layers.join(',');
    case 'activation':
      return o.activation;
    case 'loss':
      return o.loss;
    case 'test':
      return percent(o.testFraction);
  }
}

/** The choices for one field, the current one included. */
function choices(o: RunOptions, field: Field): string[] {
  switch (field) {
    case 'dataset':
      return o.dataFile === undefined ? DATASET_NAMES : [o.dataFile, ...DATASET_NAMES];
    case 'layers': {
      const now = o.layers.join(',');
      return LAYER_PRESETS.includes(now) ? LAYER_PRESETS : [now, ...LAYER_PRESETS];
    }
    case 'activation':
      return [...ACTIVATIONS];
    case 'loss':
      return Object.keys(LOSSES);
    case 'test':
      return TEST_PERCENTS.includes(percent(o.testFraction)) ? TEST_PERCENTS : [percent(o.testFraction), ...TEST_PERCENTS];
  }
}

function withChoice(o: RunOptions, field: Field, value: string): RunOptions {
  switch (field) {
    case 'dataset': {
      // The same choice again keeps what the command line gave it (a file, --size, --noise).
      if (value === o.dataFile || (o.dataFile === undefined && value === o.dataset)) return o;
      // A built-in dataset comes with its preset, which the other fields can then change.
      const { dataFile: _file, size: _size, noise: _noise, classes: _classes, ...rest } = o;
      return withPreset({ ...rest, dataset: value });
    }
    case 'layers':
      return { ...o, layers: value.split(',').map(Number) };
    case 'activation':
      return { ...o, activation: value as RunOptions['activation'] };
    case 'loss':
      return { ...o, loss: value as LossName };
    case 'test': {
      const { testFraction: _fraction, ...rest } = o;
      const fraction = Number.parseFloat(value) / 100;
      return fraction > 0 ? { ...rest, testFraction: fraction } : rest;
    }
  }
}

/** Built-in datasets are listed with what they are. */
function choiceLabel(field: Field, value: string): string {
  const builtIn = field === 'dataset' ? BUILT_IN_DATASETS[value] : undefined;
  return builtIn === undefined ? value : `${value.padEnd(8)} ${builtIn.description}`;
}

/** One choice on one line: a long description cut to fit instead of wrapping; blue only with colour. */
function Choice({ isSelected = false, label }: { isSelected?: boolean; label: string }) {
  const paint = usePaint();
  return (
    <Text wrap="truncate-end" {...(isSelected ? paint.fg('blue') : {})}>
      {label}
    </Text>
  );
}

/** The pointer before the highlighted choice, blue only with colour. */
function Pointer({ isSelected = false }: { isSelected?: boolean }) {
  const paint = usePaint();
  return (
    <Box marginRight={1} flexShrink={0}>
      <Text {...paint.fg('blue')}>{isSelected ? '❯' : ' '}</Text>
    </Box>
  );
}

const FIELD_LABELS: Record<Field, string> = {
  dataset: 'dataset',
  layers: 'hidden layers',
  activation: 'activation',
  loss: 'loss',
  test: 'held out',
};

/**
 * The setup menu: pick a field, then its value; "apply" restarts training with the choices,
 * esc (or "cancel") leaves everything as it was.
 */
export function SetupMenu({ options, onApply, onCancel, isActive, width, height }: SetupMenuProps) {
  const paint = usePaint();
  const [draft, setDraft] = useState(options);
  const [field, setField] = useState<Field | null>(null);
  // The list comes back with the field just edited highlighted, not the first one.
  const [lastField, setLastField] = useState<Field>('dataset');

  useInput(
    (_input, key) => {
      if (!key.escape) return;
      if (field === null) onCancel();
      else setField(null);
    },
    { isActive },
  );

  const limit = Math.max(3, height - 4);
  if (field !== null) {
    const items = choices(draft, field).map((c) => ({ key: c, label: choiceLabel(field, c), value: c }));
    const initialIndex = Math.max(0, items.findIndex((i) => i.value === current(draft, field)));
    return (
      <Panel title={`setup · ${FIELD_LABELS[field]}`} info="enter choose · esc back" width={width} height={height}>
        <SelectInput
          key={field}
          items={items}
          initialIndex={initialIndex}
          limit={limit}
          isFocused={isActive}
          itemComponent={Choice}
          indicatorComponent={Pointer}
          onSelect={(item) => {
            setDraft(withChoice(draft, field, item.value));
            setField(null);
          }}
        />
      </Panel>
    );
  }

  const fields = Object.keys(FIELD_LABELS) as Field[];
  const items = [
    ...fields.map((f) => ({ key: f, label: `${FIELD_LABELS[f].padEnd(15)}${current(draft, f)}`, value: f as string })),
    { key: 'apply', label: 'apply and restart training', value: 'apply' },
    { key: 'cancel', label: 'cancel', value: 'cancel' },
  ];
  return (
    <Panel title="setup" info="enter choose · esc cancel" width={width} height={height}>
      <SelectInput
        key="fields"
        items={items}
        initialIndex={fields.indexOf(lastField)}
        limit={limit}
        isFocused={isActive}
        itemComponent={Choice}
        indicatorComponent={Pointer}
        onSelect={(item) => {
          if (item.value === 'apply') onApply(draft);
          else if (item.value === 'cancel') onCancel();
          else {
            setLastField(item.value as Field);
            setField(item.value as Field);
          }
        }}
      />
      <Box marginTop={1} flexDirection="column">
        <Text {...paint.dim()} wrap="truncate-end">
          {' Applying starts again from epoch 0. A new'}
        </Text>
        <Text {...paint.dim()} wrap="truncate-end">
          {' dataset brings its preset, lr and target too.'}
        </Text>
      </Box>
    </Panel>
  );
}
