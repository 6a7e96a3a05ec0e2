/**
 * Per-epoch loss, accuracy and learning rate, stored in growing Float64Arrays so that long runs
 * stay compact (24 bytes an epoch). Accuracy is NaN where it does not apply.
 */
export class History {
  private loss = new Float64Array(256);
  private acc = new Float64Array(256);
  private lr = new Float64Array(256);
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(loss: number, accuracy: number | null, learningRate: number): void {
    if (this.n === this.loss.length) {
      this.loss = grow(this.loss);
      this.acc = grow(this.acc);
      this.lr = grow(this.lr);
    }
    this.loss[this.n] = loss;
    this.acc[this.n] = accuracy ?? Number.NaN;
    this.lr[this.n] = learningRate;
    this.n++;
  }

  pop(): void {
    if (this.n > 0) this.n--;
  }

  /** Keep the first `length` epochs and drop the rest. */
  truncate(length: number): void {
    this.n = Math.max(0, Math.min(this.n, length));
  }

  /** Add epochs in order; accuracy is NaN where it does not apply, as `accuracies()` gives it. */
  append(loss: ArrayLike<number>, accuracy: ArrayLike<number>, learningRate: ArrayLike<number>): void {
    for (let i = 0; i < loss.length; i++) {
      const acc = accuracy[i] as number;
      this.push(loss[i] as number, Number.isNaN(acc) ? null : acc, learningRate[i] as number);
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

  learningRates(): Float64Array {
    return this.lr.subarray(0, this.n);
  }

}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(a.length * 2);
  bigger.set(a);
  return bigger;
}
