import { defineConfig } from 'vite';
import { districtAssets } from './build/districts-asset.js';

export default defineConfig({
  // Same origin as the API in production (fastify serves dist/); `npm run dev -w @streetwise/console-web`
  // proxies the API and the live feed to a console on 127.0.0.1:3000.
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [districtAssets()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200, sourcemap: false },
});
