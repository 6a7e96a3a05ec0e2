import { Box, Text, useInput } from 'ink';
import SelectInput from 'ink-select-input';
import { useState } from 'react';
import { UserError } from '../errors.js';
import { MAX_SEED } from '../train/limits.js';
import { presetFor } from '../train/presets.js';
import { RUN_SETTINGS, shownValue, type RunSetting } from '../train/run-settings.js';
import type { RunOptions } from '../train/setup.js';
import { wrapLine } from './format.js';
import { editLine } from './line-editor.js';
import { useTextEntry } from './OneKeyAtATime.js';
import { Panel } from './Panel.js';
import { usePaint } from './theme.js';

interface SetupMenuProps {
  options: RunOptions;
  /** Called with the chosen options when the user picks "apply". */
  onApply: (options: RunOptions) => void;
  onCancel: () => void;
  isActive: boolean;
  width: number;
  height: number;
}

/** What the menu shows: the list of settings, the choices of one, or the line where one is typed. */
type View =
  | { kind: 'settings' }
  | { kind: 'choose'; setting: RunSetting; highlighted: string }
  | { kind: 'type'; setting: RunSetting; text: string; error: string | null; suggestion: number; fresh: boolean };

const APPLY = { value: 'apply', label: 'apply and restart training', help: 'Applying starts training again from epoch 0, with these settings.' };
const CANCEL = { value: 'cancel', label: 'cancel', help: 'Leave the menu; the run goes on as it was.' };
const REGENERATE = { value: 'regenerate', label: 'regenerate data', help: 'Draw the dataset again: the next data seed gives new points of the same shape.' };

/** A key that types something (not only control characters). */
const PRINTABLE = /[^\x00-\x1f\x7f]/;

/** Label column of the settings list. */
const LABEL_WIDTH = 19;

/** The settings that apply to `o`, in the table's order. */
function shownSettings(o: RunOptions): RunSetting[] {
  return RUN_SETTINGS.filter((s) => s.inapplicable?.(o) === undefined);
}

/** The data seed after the current one (round to 0 past the largest). */
function nextSeed(dataSeed: RunSetting, o: RunOptions): string {
  return String((Number(shownValue(dataSeed, o)) + 1) % (MAX_SEED + 1));
}

/** What a built-in dataset's preset chooses, in one line. */
function presetLine(name: string): string {
  const p = presetFor(name);
  const momentum = p.momentum > 0 ? ` momentum ${p.momentum}` : '';
  return `preset: layers ${p.layers.join(',')} ${p.activation} · ${p.loss} · ${p.optimizer}${momentum} lr ${p.learningRate} · L2 ${p.l2} · ${p.epochs} epochs`;
}

/** The explanation under a list or a typed line, wrapped to the panel (never cut). */
function explanation(view: View, settingsHighlight: string, width: number): string[] {
  const wrap = (texts: string[]): string[] => texts.flatMap((t) => wrapLine(t, width));
  if (view.kind === 'type') {
    const { setting } = view;
    const offers = setting.suggestions === undefined ? [] : [`↑↓ to pick one of: ${setting.suggestions.join(' · ')}`];
    const keeps = view.fresh && view.text !== '' ? [`enter keeps ${view.text}; typing replaces it`] : [];
    return wrap([...keeps, ...offers, `accepted: ${setting.accepted}`, setting.help]);
  }
  if (view.kind === 'choose') {
    const { setting, highlighted } = view;
    const described = setting.describeChoice?.(highlighted);
    if (described === undefined) return wrap([setting.help]);
    return wrap(setting.flag === 'dataset' ? [`${highlighted}: ${described}`, presetLine(highlighted)] : [`${highlighted}: ${described}`]);
  }
  const setting = RUN_SETTINGS.find((s) => s.flag === settingsHighlight);
  const help = setting?.help ?? [CANCEL, REGENERATE, APPLY].find((item) => item.value === settingsHighlight)?.help ?? APPLY.help;
  return wrap([help]);
}

/** One choice on one line; blue when highlighted, with colour. */
function Choice({ isSelected = false, label }: { isSelected?: boolean; label: string }) {
  const paint = usePaint();
  return (
    <Text wrap="truncate-middle" {...(isSelected ? paint.fg('blue') : {})}>
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

/**
 * The setup menu: every setting of a run, from the same table as the command line's flags
 * (src/train/run-settings.ts), with its value and what it does. A list setting opens its
 * choices; any other is typed, and refused with the command line's message when it is not
 * accepted. Choosing a dataset fills in its preset. "apply" restarts training with the
 * settings; esc (or "cancel") leaves everything as it was.
 */
export function SetupMenu({ options, onApply, onCancel, isActive, width, height }: SetupMenuProps) {
  const paint = usePaint();
  const [draft, setDraft] = useState(options);
  const [view, setView] = useState<View>({ kind: 'settings' });
  // The list comes back with the setting just edited highlighted, and explains the highlighted one.
  const [highlighted, setHighlighted] = useState('dataset');
  const textWidth = width - 4; // the borders and a space each side
  useTextEntry(view.kind === 'type');

  const back = (next: RunOptions = draft): void => {
    setDraft(next);
    setView({ kind: 'settings' });
  };

  const open = (setting: RunSetting): void => {
    setHighlighted(setting.flag);
    if (setting.choices !== undefined) return setView({ kind: 'choose', setting, highlighted: shownValue(setting, draft) });
    // The line opens on the current value, selected as in a form: typing replaces it, enter keeps it.
    setView({ kind: 'type', setting, text: shownValue(setting, draft), error: null, suggestion: -1, fresh: true });
  };

  /** Keys of the typed line: the line editor's, and ↑↓ through the suggestions. */
  const typeKey = (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]): void => {
    if (view.kind !== 'type') return;
    const offers = view.setting.suggestions ?? [];
    if ((key.upArrow || key.downArrow) && offers.length > 0) {
      const step = key.downArrow ? 1 : -1;
      const suggestion = (Math.max(-1, view.suggestion) + step + offers.length) % offers.length;
      return setView({ ...view, suggestion, text: offers[suggestion], error: null, fresh: false });
    }
    const replaces = view.fresh && (key.backspace || key.delete || (PRINTABLE.test(input) && !key.ctrl && !key.meta));
    const edit = editLine(replaces ? '' : view.text, input, key);
    if (edit.done === 'cancel') return back();
    if (edit.done !== 'submit') return setView({ ...view, text: edit.text, error: null, fresh: false });
    try {
      back(view.setting.apply(draft, edit.text.trim()));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      setView({ ...view, text: edit.text, error: err.message });
    }
  };

  useInput(
    (input, key) => {
      if (view.kind === 'type') return typeKey(input, key);
      if (!key.escape) return;
      if (view.kind === 'settings') onCancel();
      else back();
    },
    { isActive },
  );

  const settings = shownSettings(draft);
  // The list keeps one height, room left for the longest explanation it may show.
  const explanationRows = Math.max(
    ...[...settings.map((s) => s.flag), APPLY.value, CANCEL.value, REGENERATE.value].map((f) => explanation({ kind: 'settings' }, f, textWidth).length),
    explanation(view, highlighted, textWidth).length,
  );
  const limit = Math.max(3, height - 3 - explanationRows);
  const notes = explanation(view, highlighted, textWidth);
  const footer = (lines: string[], error: string | null = null) => (
    <Box marginTop={1} flexDirection="column">
      {error !== null && wrapLine(error, textWidth).map((line, i) => <Text key={`e${i}`} {...paint.fg('red')}>{` ${line}`}</Text>)}
      {lines.map((line, i) => (
        <Text key={i} {...paint.dim()}>
          {` ${line}`}
        </Text>
      ))}
    </Box>
  );

  if (view.kind === 'choose') {
    const { setting } = view;
    const items = (setting.choices?.(draft) ?? []).map((c) => ({ key: c, label: c, value: c }));
    const initialIndex = Math.max(0, items.findIndex((i) => i.value === shownValue(setting, draft)));
    return (
      <Panel title={`setup · ${setting.label}`} info="enter choose · esc back" width={width} height={height}>
        <SelectInput
          key={setting.flag}
          items={items}
          initialIndex={initialIndex}
          limit={limit}
          isFocused={isActive}
          itemComponent={Choice}
          indicatorComponent={Pointer}
          onHighlight={(item) => setView({ ...view, highlighted: item.value })}
          onSelect={(item) => back(item.value === setting.read(draft) ? draft : setting.apply(draft, item.value))}
        />
        {footer(notes)}
      </Panel>
    );
  }

  if (view.kind === 'type') {
    const { setting, text, error, fresh } = view;
    return (
      <Panel title={`setup · ${setting.label}`} info="enter set · esc back" width={width} height={height}>
        <Text wrap="truncate-start">
          {` ${setting.label}: `}
          <Text inverse={fresh}>{text}</Text>▏
        </Text>
        {footer(notes, error)}
      </Panel>
    );
  }

  const dataSeed = settings.find((s) => s.flag === 'data-seed');
  const items = [
    ...settings.flatMap((s) => [
      { key: s.flag, label: `${s.label.padEnd(LABEL_WIDTH)}${shownValue(s, draft)}`, value: s.flag },
      // A new data seed at one key: the same dataset drawn again.
      ...(s === dataSeed ? [{ key: REGENERATE.value, label: `${REGENERATE.label.padEnd(LABEL_WIDTH)}↻ data seed ${nextSeed(s, draft)}`, value: REGENERATE.value }] : []),
    ]),
    // Apply last, so that ↑ from the top of the list goes round to it.
    { key: CANCEL.value, label: CANCEL.label, value: CANCEL.value },
    { key: APPLY.value, label: APPLY.label, value: APPLY.value },
  ];
  return (
    <Panel title="setup" info="enter choose · esc cancel" width={width} height={height}>
      <SelectInput
        key="settings"
        items={items}
        initialIndex={Math.max(0, items.findIndex((i) => i.value === highlighted))}
        limit={limit}
        isFocused={isActive}
        itemComponent={Choice}
        indicatorComponent={Pointer}
        onHighlight={(item) => setHighlighted(item.value)}
        onSelect={(item) => {
          if (item.value === APPLY.value) onApply(draft);
          else if (item.value === CANCEL.value) onCancel();
          else if (item.value === REGENERATE.value && dataSeed !== undefined) setDraft(dataSeed.apply(draft, nextSeed(dataSeed, draft)));
          else open(RUN_SETTINGS.find((s) => s.flag === item.value) as RunSetting);
        }}
      />
      {footer(notes)}
    </Panel>
  );
}
