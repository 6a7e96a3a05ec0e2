/** The figures of one epoch as every output reports them (see `StepReport` in session.ts). */
export interface EpochFigures {
  /** 1 for the first epoch. */
  epoch: number;
  loss: number;
  accuracy: number | null;
  r2: number | null;
  learningRate: number;
  testLoss: number | null;
  testAccuracy: number | null;
  testR2: number | null;
  /** Set when the epoch started from weights restored after a divergence: the epoch they were the weights of. */
  restoredFrom: number | null;
}

/**
 * Per-epoch loss, accuracy, R², learning rate and the test loss, accuracy and R², stored in
 * growing Float64Arrays so that long runs stay compact (64 bytes an epoch). Accuracy and R² are
 * NaN where they do not apply, the test figures where there is no test set; the restore mark
 * (see `EpochFigures.restoredFrom`) where there is none.
 */
export class History {
  private loss = new Float64Array(256);
  private acc = new Float64Array(256);
  private r2 = new Float64Array(256);
  private lr = new Float64Array(256);
  private testLoss = new Float64Array(256);
  private testAcc = new Float64Array(256);
  private testR2 = new Float64Array(256);
  private restored = new Float64Array(256);
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(
    loss: number,
    accuracy: number | null,
    learningRate: number,
    testLoss: number | null = null,
    testAccuracy: number | null = null,
    r2: number | null = null,
    testR2: number | null = null,
    restoredFrom: number | null = null,
  ): void {
    if (this.n === this.loss.length) {
      this.restored = grow(this.restored);
      this.loss = grow(this.loss);
      this.acc = grow(this.acc);
      this.r2 = grow(this.r2);
      this.lr = grow(this.lr);
      this.testLoss = grow(this.testLoss);
      this.testAcc = grow(this.testAcc);
      this.testR2 = grow(this.testR2);
    }
    this.loss[this.n] = loss;
    this.acc[this.n] = accuracy ?? Number.NaN;
    this.r2[this.n] = r2 ?? Number.NaN;
    this.lr[this.n] = learningRate;
    this.testLoss[this.n] = testLoss ?? Number.NaN;
    this.testAcc[this.n] = testAccuracy ?? Number.NaN;
    this.testR2[this.n] = testR2 ?? Number.NaN;
    this.restored[this.n] = restoredFrom ?? Number.NaN;
    this.n++;
  }

  /** Epoch i + 1's figures (null where a figure does not apply). */
  row(i: number): EpochFigures {
    if (!(Number.isInteger(i) && i >= 0 && i < this.n)) throw new RangeError(`history has ${this.n} epochs, no row ${i}`);
    return {
      epoch: i + 1,
      loss: this.loss[i],
      accuracy: orNull(this.acc[i]),
      r2: orNull(this.r2[i]),
      learningRate: this.lr[i],
      testLoss: orNull(this.testLoss[i]),
      testAccuracy: orNull(this.testAcc[i]),
      testR2: orNull(this.testR2[i]),
      restoredFrom: orNull(this.restored[i]),
    };
  }

  pop(): void {
    if (this.n > 0) this.n--;
  }

  /** Keep the first `length` epochs and drop the rest. */
  truncate(length: number): void {
    this.n = Math.max(0, Math.min(this.n, length));
  }

  /** Add epochs in order; NaN where a figure does not apply, as `accuracies()`, `r2s()` and the test series give it. */
  append(
    loss: ArrayLike<number>,
    accuracy: ArrayLike<number>,
    learningRate: ArrayLike<number>,
    testLoss?: ArrayLike<number>,
    testAccuracy?: ArrayLike<number>,
    r2?: ArrayLike<number>,
    testR2?: ArrayLike<number>,
    restoredFrom?: ArrayLike<number>,
  ): void {
    for (let i = 0; i < loss.length; i++) {
      const figures = [orNull(testLoss?.[i]), orNull(testAccuracy?.[i]), orNull(r2?.[i]), orNull(testR2?.[i]), orNull(restoredFrom?.[i])] as const;
      this.push(loss[i], orNull(accuracy[i]), learningRate[i], ...figures);
    }
  }

  clear(): void {
    this.n = 0;
  }

  /** The losses of every epoch so far, oldest first (a view: copy it to keep it). */
  losses(): Float64Array {
    return this.loss.subarray(0, this.n);
  }

  accuracies(): Float64Array {
    return this.acc.subarray(0, this.n);
  }

  /** R² of every epoch (NaN where it does not apply). */
  r2s(): Float64Array {
    return this.r2.subarray(0, this.n);
  }

  learningRates(): Float64Array {
    return this.lr.subarray(0, this.n);
  }

  /** The test loss of every epoch (NaN without a test set). */
  testLosses(): Float64Array {
    return this.testLoss.subarray(0, this.n);
  }

  testAccuracies(): Float64Array {
    return this.testAcc.subarray(0, this.n);
  }

  /** R² on the held-out samples of every epoch (NaN without a test set, or for classification). */
  testR2s(): Float64Array {
    return this.testR2.subarray(0, this.n);
  }

  /** Per epoch, the epoch whose weights it started from after a divergence (NaN for none). */
  restorations(): Float64Array {
    return this.restored.subarray(0, this.n);
  }
}

/** NaN (and a missing entry) is a figure that does not apply: null. */
function orNull(x: number | undefined): number | null {
  return x === undefined || Number.isNaN(x) ? null : x;
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(a.length * 2);
  bigger.set(a);
  return bigger;
}
