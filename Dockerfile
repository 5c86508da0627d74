# syntax=docker/dockerfile:1
# procure's service image: the Restate service endpoint, the dashboard/gateway and the CLI.
# Restate itself runs from its official image (see docker-compose.yml and render.yaml).

# --- deps: production dependencies only (tsx is one: the TypeScript sources run as they are) ---
FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# patches/: the postgres.js guard against a write on a closed socket (applied by postinstall).
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund \
  # The Restate server binary from npm is only for `npm start` on a laptop (RESTATE_START_SERVER=false here).
  && rm -rf node_modules/@restatedev/restate-server node_modules/@restatedev/restate-server-* \
  && npm cache clean --force

# --- runtime: sources + production node_modules, running as the unprivileged `node` user ---
FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    PROCURE_DATA_DIR=/app/data \
    RESTATE_START_SERVER=false \
    SERVICE_HOST=0.0.0.0 \
    SERVICE_PORT=9080 \
    DASHBOARD_HOST=0.0.0.0 \
    DASHBOARD_PORT=3000
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json tsconfig.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root services ./services
COPY --chown=root:root shared ./shared
COPY --chown=root:root data/migrations ./data/migrations
RUN mkdir -p /app/data/models && chown -R node:node /app/data
USER node
EXPOSE 3000 9080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.DASHBOARD_PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "services/main.ts"]
