import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** Where `npm run dev:web` forwards API calls: the gateway that `npm start` runs. */
const gateway = process.env.BOURSE_GATEWAY_URL ?? "http://localhost:8080";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  server: {
    proxy: {
      "/bourse.": { target: gateway, changeOrigin: true },
      "/grpc.": { target: gateway, changeOrigin: true },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2023",
    sourcemap: true,
    /* web/dist/.vite/manifest.json: which chunks each page needs, for scripts/web-bundle-size.ts. */
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          /* The candle chart library is large and only the trade page needs it: its own chunk, loaded there. */
          groups: [{ name: "charts", test: /node_modules[\\/](lightweight-charts|fancy-canvas)[\\/]/ }],
        },
      },
    },
  },
});
