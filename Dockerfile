# syntax=docker/dockerfile:1
# MT-BOX Care: the backend (MQTT broker, HTTP API, dashboard) as compiled JavaScript on Node 24.
# docker-compose.yml runs it beside InfluxDB 2; see "Running it with Docker Compose" in README.md.

# --- build: install everything, compile, then keep only the production dependencies ----------
FROM node:24-bookworm-slim AS build
# better-sqlite3 is a native module: a prebuilt binary is used when one fits this Node and libc,
# otherwise node-gyp compiles it, which needs these. Built here on the runtime's own base image
# (Debian bookworm, glibc), so the binary loads there.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The whole checkout (less .dockerignore's list): `npm ci` runs the `prepare` script, which
# builds, and the build compiles what bench/ imports too. The npm cache mount keeps a rebuild
# after a source change from downloading every package again.
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
# The same build the tests run (package.json `build`, test/compiled-start.test.ts): tsc into dist/
# plus the data files read beside the code. After prepare's build it only checks it is current.
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled code, production dependencies, the dashboard ---------------------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
  DATA_DIR=/data
WORKDIR /app
# What the process reads at run time: dist/ (code, fault catalog, holiday calendar), the
# production node_modules (better-sqlite3's binary, intl-messageformat served to the dashboard),
# package.json (marks dist/ as ES modules and is how project-root.ts finds /app) and dashboard/
# (served at /). docs/ is not read: /api/openapi.json is built from the route table.
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/dashboard ./dashboard
# The image's `node` user (uid 1000) owns the data and nothing else: the code stays read-only to
# the process. The folder exists before VOLUME so a new named volume starts owned by that user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# 1883 MQTT, 8883 MQTT over TLS (when MQTT_TLS_PORT is set), 8080 HTTP API and dashboard.
EXPOSE 1883 8883 8080
# Slim images have no curl; Node 24 has fetch. 127.0.0.1 works because HTTP_HOST defaults to 0.0.0.0.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8080) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# services/main.ts flushes telemetry and closes the database on SIGTERM (and exits 0). node is
# PID 1 itself, not `npm start`: npm does not pass the signal on, and the stop would end in SIGKILL.
STOPSIGNAL SIGTERM
CMD ["node", "dist/services/main.js"]
