import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The renderer is built to dist/renderer and served by Electron (app://tee-inspector/) or browser mode (127.0.0.1):
// relative asset paths, no inline scripts (the CSP allows 'self' only).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    // TEE_RENDERER_OUT builds elsewhere (browser mode's findRendererDir reads the same variable).
    outDir: process.env.TEE_RENDERER_OUT ?? fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
