# Rampart CLI image: small, non-root, read-only friendly. Build: docker build -t rampart .
# Run:   docker run --rm -v "$PWD:/work:ro" rampart scan .
# The base is pinned by digest (node:20-slim, linux/amd64+arm64 index); re-pin on upgrades with
#   docker buildx imagetools inspect node:20-slim --format '{{json .Manifest.Digest}}'
# Helm/kubectl are not included (they would triple the size): charts and overlays are reported as
# not evaluated with a hint; see docs/integrations.md to add them.
FROM node:20-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
COPY data ./data
COPY schema ./schema
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0
ENV NODE_ENV=production
WORKDIR /opt/rampart
COPY --from=build --chown=root:root /src/package.json ./
COPY --from=build --chown=root:root /src/node_modules ./node_modules
COPY --from=build --chown=root:root /src/dist ./dist
COPY --from=build --chown=root:root /src/bin ./bin
COPY --from=build --chown=root:root /src/data ./data
COPY --from=build --chown=root:root /src/schema ./schema
COPY LICENSE README.md ./
# The image's own `node` user (uid 1000): nothing runs as root, and the code it runs is root-owned.
USER 1000:1000
WORKDIR /work
ENTRYPOINT ["node", "/opt/rampart/bin/rampart.js"]
CMD ["--help"]
