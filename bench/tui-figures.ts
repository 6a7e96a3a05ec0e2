/** What bench/tui.tsx measures, as bench/run.ts reads it back from its JSON. */

export interface Target {
  name: string;
  value: string;
  passed: boolean;
}

export interface UiFigures {
  stepsPerSecond: number;
  framesPerSecond: number;
  /** Bytes Ink wrote to the terminal per second while playing: over SSH, the frame cost. */
  bytesPerSecond: number;
  /** Key to the frame that shows its effect, over the keys answered; null when none was (JSON has no Infinity). */
  keyLatencyP50Ms: number | null;
  keyLatencyP99Ms: number | null;
  /** Keys pressed, and how many of them a frame answered before the next key. */
  keys: number;
  keysAnswered: number;
  /** Frames that drew the boundary map: the rate is measured with it on screen. */
  mapFrames: number;
}

export interface TerminalUiFigures {
  workload: string;
  headless: number;
  ui: UiFigures;
  tenThousand: UiFigures;
  firstFrame: { classic: number; big: number };
  targets: Target[];
}

/** A key's latency for people: `12.3 ms`, or `none` when no key was answered. */
export function latency(ms: number | null): string {
  return ms === null ? 'none' : `${ms.toFixed(1)} ms`;
}
