/** Bounds on what a run may ask for, shared by the command line and checkpoint loading. */
export const MAX_LAYER_SIZE = 256;
export const MAX_LAYERS = 8;
export const MAX_EPOCHS = 10_000_000;
export const MAX_SAMPLES = 100_000;
export const MAX_NOISE = 10;
export const MAX_SEED = 2 ** 32 - 1;
