import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The same bundle runs in Electron (file://, hence relative base) and in serve mode.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
  },
  esbuild: { jsx: 'automatic' },
});
