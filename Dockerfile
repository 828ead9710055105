# syntax=docker/dockerfile:1
#
# One image per service, chosen by a build argument:
#
#   docker build --build-arg SERVICE=users -t bourse-users .
#
# SERVICE is users, inventory, orders, matching, marketmaker or gateway (whose image also serves the web app).
# The default target runs the service's ahead-of-time bundle (`npm run build`) with production dependencies
# only, as a non-root user under tini, and writes nothing outside /tmp, so it runs on a read-only root
# filesystem. Every image also holds the table initialiser: `node dist/db-init/main.js` (npm run db:init).
# Tilt builds its development images from k8s/dev.Dockerfile instead (sources under tsx, live update).

ARG NODE_IMAGE=node:24-slim

# tini as PID 1: it forwards SIGTERM to node (which drains and exits) and reaps orphaned processes.
FROM ${NODE_IMAGE} AS base
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Only what npm ci reads, so that its layers stay cached while sources change.
FROM base AS manifests
COPY package.json package-lock.json ./
COPY proto/package.json proto/
COPY services/common/package.json services/common/
COPY services/ledger/package.json services/ledger/
COPY services/trading/package.json services/trading/
COPY services/users/package.json services/users/
COPY services/inventory/package.json services/inventory/
COPY services/orders/package.json services/orders/
COPY services/matching/package.json services/matching/
COPY services/marketmaker/package.json services/marketmaker/
COPY gateway/package.json gateway/
COPY web/package.json web/

FROM manifests AS build
ARG SERVICE
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN test -n "$SERVICE" || { echo "set --build-arg SERVICE=<users|inventory|orders|matching|marketmaker|gateway>" >&2; exit 1; }
RUN npm run build && test -f "dist/$SERVICE/main.js"
# The gateway serves the web app from web/dist; the other images get an empty directory.
RUN if [ "$SERVICE" = gateway ]; then npm run build:web; else mkdir -p web/dist; fi

FROM manifests AS production-dependencies
# Every workspace but web, whose dependencies Vite bundles into web/dist at build time. No production
# dependency has an install script (argon2's binary is an optional platform package).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    -w proto -w services/common -w services/ledger -w services/trading -w services/users \
    -w services/inventory -w services/orders -w services/matching -w services/marketmaker -w gateway \
  && npm cache clean --force

FROM base AS runtime
ARG SERVICE
ENV NODE_ENV=production
# package.json says "type": "module", which the bundles need.
COPY --from=production-dependencies /app/package.json ./
COPY --from=production-dependencies /app/node_modules ./node_modules
# dist/service sits at the same depth as dist/<name>, which the bundles' file-relative URLs count from.
COPY --from=build /app/dist/${SERVICE} ./dist/service
COPY --from=build /app/dist/db-init ./dist/db-init
COPY --from=build /app/services/inventory/seed ./services/inventory/seed
COPY --from=build /app/web/dist ./web/dist
# The node user of the base image, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "dist/service/main.js"]
