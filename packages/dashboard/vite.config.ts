import { defineConfig } from 'vite';

// The page, built into dist/client beside the server code that serves it (createDashboardPage).
// Relative URLs: it is served under whatever path the app mounts it at.
export default defineConfig({
  root: 'client',
  base: './',
  build: { outDir: '../dist/client', emptyOutDir: true, target: 'es2022', sourcemap: false },
});
