import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.{ts,tsx}'],
    // Generous: a loaded 2-core machine runs the tmux and reference tests several times slower.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
