# syntax=docker/dockerfile:1
# The development image Tilt builds for each service (see the Tiltfile): the whole workspace with its dev
# dependencies, running the service's TypeScript source under `tsx watch`, so that Tilt's live update
# syncs an edited src/ file into the container and the process restarts on it, without an image build.
# Production images come from the root Dockerfile (compiled bundles, production dependencies only).
FROM node:24-slim
ARG SERVICE
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Manifests first, so that the dependency layer is rebuilt only when one of them changes.
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
RUN npm ci --no-audit --no-fund
# The chart runs every container as the node user (1000); live update writes the synced files as that user.
COPY --chown=1000:1000 . .
# The gateway serves the web app's build.
RUN if [ "$SERVICE" = gateway ]; then npm run build:web; fi
# npm and tsx keep their caches under HOME and the temporary directory: /tmp is the chart's writable volume.
ENV HOME=/tmp npm_config_cache=/tmp/.npm SERVICE=${SERVICE}
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["sh", "-c", "case \"$SERVICE\" in gateway) entry=gateway/src/main.ts ;; *) entry=services/$SERVICE/src/main.ts ;; esac; exec node_modules/.bin/tsx watch --clear-screen=false \"$entry\""]
