# syntax=docker/dockerfile:1
#
# The tfserve inference image for SageMaker (linux/amd64). SageMaker runs it as `docker run <image> serve`, which
# replaces CMD and reaches the exec-form ENTRYPOINT: `node /opt/tfserve/dist/bin/tfserve.js serve`.
#
#   docker build --platform linux/amd64 -t tfserve .
#   docker run --rm -p 8080:8080 -v "$PWD/demo/models:/opt/ml/model:ro" tfserve serve
#
# GPU variant (same file, two build args; CUDA 11.2 + cuDNN 8 is what libtensorflow 2.9 was built against):
#
#   docker build --platform linux/amd64 -t tfserve:gpu \
#     --build-arg RUNTIME_IMAGE=nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 --build-arg LIBTENSORFLOW=gpu .
#   docker run --gpus all ... tfserve:gpu serve

ARG RUNTIME_IMAGE=node:20-bookworm-slim

FROM --platform=linux/amd64 node:20-bookworm-slim AS build
# cpu, or gpu: tfjs-node's own install script fetches libtensorflow-gpu-linux-x86_64-2.9.1 with `install.js gpu`.
ARG LIBTENSORFLOW=cpu
WORKDIR /opt/tfserve
# node-pre-gyp falls back to compiling the tfjs-node addon when its prebuilt binary cannot be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

# Dependencies get their own layer so that a source change does not download libtensorflow again. At this point the
# sources are not here, so the project's own `prepare` script (tsc) cannot run: --ignore-scripts skips it, and
# `npm rebuild` then runs tfjs-node's install script (libtensorflow + addon download) explicitly. Unlike a failure
# inside `npm ci`, which silently drops an optional dependency, a failed rebuild fails the build. (Node 20's bundled
# npm 10 runs dependency scripts unconditionally; npm 11's allowScripts policy would only warn for a named rebuild.)
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild @tensorflow/tfjs-node \
 && if [ "$LIBTENSORFLOW" = gpu ]; then cd node_modules/@tensorflow/tfjs-node && node scripts/install.js gpu download; fi

COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM --platform=linux/amd64 ${RUNTIME_IMAGE} AS runtime
# The CUDA base has no Node; on the default base this is the same binary as the one already there.
COPY --from=build /usr/local/bin/node /usr/local/bin/node
WORKDIR /opt/tfserve
COPY --from=build /opt/tfserve/package.json ./package.json
COPY --from=build /opt/tfserve/node_modules ./node_modules
COPY --from=build /opt/tfserve/dist ./dist
# Read at run time, found by walking up from dist/: the engine decodes saved_model.pb with the TensorFlow schema, and
# `tfserve agent` serves the Edge Manager API from its .proto.
COPY --from=build /opt/tfserve/container/formats/protos ./container/formats/protos
COPY --from=build /opt/tfserve/container/agent/agent.proto ./container/agent/agent.proto

# `serve` on PATH as well, for images run with `--entrypoint serve` or tools that call it by name.
RUN printf '#!/bin/sh\nexec node /opt/tfserve/dist/bin/tfserve.js serve "$@"\n' > /usr/local/bin/serve \
 && chmod +x /usr/local/bin/serve

# A broken native install (missing libtensorflow, a shared library the base lacks) fails the build here rather than
# silently serving on the pure engine.
RUN node -e "require('@tensorflow/tfjs-node')"

# SageMaker "expects all containers to run with root users" (serving contract A1), and mounts /opt/ml as root: no USER.
ENV NODE_ENV=production \
    TFSERVE_ENGINE=auto
LABEL com.amazonaws.sagemaker.capabilities.accept-bind-to-port=true \
      com.amazonaws.sagemaker.capabilities.multi-models=true
EXPOSE 8080
# Exec form, no shell and no init wrapper: node is PID 1 and receives SageMaker's SIGTERM itself, and tfserve stops
# gracefully on it. Any other subcommand works too: `docker run <image> inspect /opt/ml/model`.
ENTRYPOINT ["node", "/opt/tfserve/dist/bin/tfserve.js"]
CMD ["serve"]
