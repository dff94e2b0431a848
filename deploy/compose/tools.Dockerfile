# syntax=docker/dockerfile:1
# The repository's one-shot scripts (applying the Directus schema, deploying the n8n flows) with
# the workspace's dependencies, for the compose stack. Build from the repository root:
#   docker build -f deploy/compose/tools.Dockerfile -t lapak-tools .
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE}
ENV CI=true PNPM_HOME=/pnpm
RUN npm install --global --no-fund --no-audit --loglevel=error pnpm@10.34.9
WORKDIR /repo
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=lapak-pnpm,target=/pnpm/store pnpm fetch --store-dir /pnpm/store
COPY . .
RUN --mount=type=cache,id=lapak-pnpm,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --store-dir /pnpm/store --filter "!@lapak/web"

USER node
CMD ["node", "--version"]
