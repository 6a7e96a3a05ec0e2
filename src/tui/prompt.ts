import { editedLine } from './line-editor.js';

/** A line being typed at the bottom of the screen: a learning rate, or where to save a checkpoint or the history. */
export interface Prompt {
  /** `overwrite` asks before a save or export replaces a file this run did not write. */
  kind: 'lr' | 'save' | 'export' | 'overwrite';
  text: string;
  then?: 'save' | 'export';
}

/** The prompt's line, at most `room` characters (see `editedLine`). */
export function promptLine({ kind, text }: Prompt, room: number): string {
  if (kind === 'lr') return 'type a learning rate, like 0.05 or 1e-3 · enter apply · esc cancel';
  if (kind === 'overwrite') return `${text} exists: y replaces it · any other key keeps it`;
  if (kind === 'save') return editedLine('save checkpoint to: ', text, ' · enter save · esc cancel', room);
  return editedLine('export history (CSV) to: ', text, ' · enter write · esc cancel', room);
}
