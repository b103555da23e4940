# The fleet's one image: the API and every worker role, chosen by the command (README "Deploying").
# test/production-image.smoke.test.ts follows these steps (COPY and the npm/node RUN lines, replayed
# outside the checkout) and runs the result on Node 24, so what is written here is what is tested.

# ---- build: every dependency, the generated Prisma client, the bundles in dist/
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
# postinstall generates the Prisma client into libs/db/generated (bundled into dist/ below).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
RUN npm run build

# ---- runtime: production dependencies, the bundles and the files read at run time, nothing else
FROM node:24-slim AS runtime
# tini is PID 1: it forwards SIGTERM to Node (Kubernetes has no --init) and reaps children (the migration child).
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production MALLOC_ARENA_MAX=2 API_HOST=0.0.0.0 API_PORT=8080 WORKER_HEALTH_PORT=8081
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, no install scripts. `--omit=optional` too: prisma and typescript are optional
# peers of @prisma/client, which `--omit=dev` alone would still install (the whole Prisma CLI); the only
# other optional package is msgpackr's native speed-up, which BullMQ does without.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY prisma/schema.prisma ./prisma/schema.prisma
COPY prisma/migrations ./prisma/migrations
COPY apps/api/src/console/views ./apps/api/src/console/views
COPY apps/api/src/console/assets ./apps/api/src/console/assets
USER node
EXPOSE 8080 8081
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["node", "dist/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# The API; a worker is `node --max-old-space-size=96 --max-semi-space-size=8 --single-threaded-gc dist/worker.js --role push` (and so on).
CMD ["node", "--max-old-space-size=96", "--max-semi-space-size=8", "dist/api.js"]
