// Build configuration of the OpenMSO web UI: `vite build web` writes web/dist/, which the
// C++ server serves from the same origin. In development (`vite web`) the API is proxied.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const apiTarget = process.env.OPENMSO_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: { '/api': { target: apiTarget, ws: true, changeOrigin: false } },
  },
});
