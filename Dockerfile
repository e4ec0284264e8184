# syntax=docker/dockerfile:1
#
# One image for the whole graph: the gateway, each subgraph and the migrations
# are the same files started with a different command (see deploy/README.md):
#   gateway        node dist/gateway/main.js
#   a subgraph     node dist/subgraphs/<volunteers|organizations|donations|cooperation|roadmap>/main.js
#   migrations     node dist/scripts/migrate.js
#
# The build stage runs exactly the commands CI runs (.ci/run): `npm ci`, then
# `npm run build`; `npm prune --omit=dev` then drops the development packages.
# `npm run deploy:check` holds the Dockerfile, compose.yaml and deploy/k8s to
# the code's entrypoints, ports and settings.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
# Owned by root and not writable by the process: the container runs with a
# read-only root filesystem; nothing is written under /app.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
# The `node` user of the official image, by number so that Kubernetes can
# verify runAsNonRoot.
USER 1000:1000
EXPOSE 4000 4001 4002 4003 4004
# The gateway listens on GATEWAY_PORT (4000), a subgraph on PORT (4001-4004);
# both answer GET /health. The migration job serves nothing (its health does not matter).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.GATEWAY_PORT || process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/gateway/main.js"]
