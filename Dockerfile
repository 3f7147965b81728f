# ecs-gitops controller image.
# Build:  docker build -t ecs-gitops .
# The same steps run without Docker in scripts/docker-build-check.sh (keep both in step).

# The base image is pinned by digest (the multi-platform index of node:24-bookworm-slim), so a
# rebuild gets the same bytes a scan approved. To move to a newer build of the tag, resolve its
# digest and replace the line:
#   docker buildx imagetools inspect node:24-bookworm-slim --format '{{json .Manifest.Digest}}'
# Another Node major: --build-arg NODE_IMAGE=node:22-bookworm-slim@sha256:<digest>
ARG NODE_IMAGE=node:24-bookworm-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df

# ---- build: all dependencies, compile the product (the development sandbox in packages/ stays out)
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` script builds, and the sources are not copied yet.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build:product

# ---- runtime: production dependencies and compiled JavaScript only
FROM ${NODE_IMAGE}
# git + openssh-client: the Git source shells out to git (https and ssh remotes).
# tini: PID 1 that forwards SIGTERM to node and reaps the git child processes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    ECS_GITOPS_LISTEN=0.0.0.0:8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY crds ./crds
COPY examples ./examples
# The `node` user (uid 1000) comes with the base image.
USER node
EXPOSE 8080
# No HEALTHCHECK: ECS ignores it. Use the task definition's container health check instead:
#   ["CMD-SHELL", "node -e \"fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))\""]
# (docs/operations.md). Stop: SIGTERM drains in-flight work within --shutdown-grace (25s).
# A 1 MiB young generation (V8's default is 16 MiB per semi-space): each scan's short-lived
# answers are collected young instead of growing the heap. --optimize-for-size: V8 grows the
# heap less before it collects (no hard limit, so no out-of-memory at a larger estate); steady
# peak RSS at 1,000 pairs 241 -> 140 MiB for some more GC time (bench/memory.ts,
# docs/operations.md "Memory"). --no-maglev: no mid-tier optimizing compiler (hot code still
# reaches TurboFan); loading 10,000 manifests under Node 24 peaked at 142 MiB with it, 121
# without. All three flags are accepted by Node 20, 22 and 24 (NODE_IMAGE).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=1", "--optimize-for-size", "--no-maglev", "dist/src/cli/bin.js"]
CMD ["run"]
