import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Packing, npm installs (from a shared cache) and two tsc compiles happen once, in beforeAll.
    hookTimeout: 600_000,
    testTimeout: 60_000,
  },
});
