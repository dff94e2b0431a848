# syntax=docker/dockerfile:1
# Every Lapak image, one target each. Build from the repository root:
#   docker build --target api    -t lapak-api .
#   docker build --target worker -t lapak-worker .
#   docker build --target web    -t lapak-web \
#     --build-arg VITE_API_URL=https://api.shop.example --build-arg VITE_DIRECTUS_URL=https://cms.shop.example .
#   docker build --target tools  -t lapak-tools .
#
# workspace: pnpm and every package of the lockfile in a cache-mounted store, then the sources.
# api, worker: the app cut out of the workspace with its production dependencies (`pnpm deploy`),
#   on Node's Debian slim image as the unprivileged `node` user. The TypeScript sources run
#   through tsx's loader in the same process, so signals reach Node directly.
# web: the storefront built with Vite (the browser-facing URLs of the API and Directus are baked
#   in at build time, and so is nginx's Content-Security-Policy allowing exactly those two),
#   served by nginx's unprivileged image (uid 101, port 8080).
# tools: the repository's one-shot scripts (applying the Directus schema, deploying the n8n
#   flows) with the workspace's dependencies, for the compose stack.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS workspace
ENV CI=true PNPM_HOME=/pnpm
RUN npm install --global --no-fund --no-audit --loglevel=error pnpm@10.34.9
WORKDIR /repo
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=lapak-pnpm,target=/pnpm/store pnpm fetch --store-dir /pnpm/store
COPY . .

FROM workspace AS api-build
RUN --mount=type=cache,id=lapak-pnpm,target=/pnpm/store \
    pnpm deploy --filter @lapak/api --prod --legacy --offline --store-dir /pnpm/store /out

FROM workspace AS worker-build
RUN --mount=type=cache,id=lapak-pnpm,target=/pnpm/store \
    pnpm deploy --filter @lapak/worker --prod --legacy --offline --store-dir /pnpm/store /out

FROM workspace AS web-build
RUN --mount=type=cache,id=lapak-pnpm,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --store-dir /pnpm/store --filter "@lapak/web..."
ARG VITE_API_URL=http://localhost:3000
ARG VITE_DIRECTUS_URL=http://localhost:8055
RUN VITE_API_URL="$VITE_API_URL" VITE_DIRECTUS_URL="$VITE_DIRECTUS_URL" \
    pnpm --filter @lapak/web exec vite build
# nginx's config, its Content-Security-Policy allowing exactly the API and Directus built in above.
RUN VITE_API_URL="$VITE_API_URL" VITE_DIRECTUS_URL="$VITE_DIRECTUS_URL" \
    node deploy/web/render-nginx-conf.ts deploy/web/nginx.conf > /repo/nginx.conf

FROM workspace AS tools
RUN --mount=type=cache,id=lapak-pnpm,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --store-dir /pnpm/store --filter "!@lapak/web"
USER node
CMD ["node", "--version"]

FROM nginxinc/nginx-unprivileged:1.29-alpine AS web
COPY --from=web-build /repo/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=web-build /repo/web/dist /usr/share/nginx/html
# The image already runs as nginx (uid 101); said here so that nothing below can run as root.
USER 101
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD ["wget", "-q", "--spider", "http://127.0.0.1:8080/"]

FROM ${NODE_IMAGE} AS worker
ENV NODE_ENV=production WORKER_METRICS_HOST=0.0.0.0 WORKER_METRICS_PORT=3001
WORKDIR /app
COPY --from=worker-build --chown=root:root /out /app
USER node
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.WORKER_METRICS_PORT||3001)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "src/main.ts"]

FROM ${NODE_IMAGE} AS api
ENV NODE_ENV=production API_HOST=0.0.0.0 API_PORT=3000 API_METRICS_HOST=0.0.0.0 API_METRICS_PORT=3002
WORKDIR /app
COPY --from=api-build --chown=root:root /out /app
USER node
# 3000: the API; 3002: its /metrics, for Prometheus only (publish or route nothing to it).
EXPOSE 3000 3002
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.API_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The same image migrates the database and exits with:
#   node --import tsx node_modules/@lapak/core/src/db/migrate.cli.ts
CMD ["node", "--import", "tsx", "src/main.ts"]
