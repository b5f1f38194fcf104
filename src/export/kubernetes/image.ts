/**
 * The worker image: the project's sources and runtime dependencies on Node 20, entrypoint `bin/stampede`. There is
 * no build step (tsx, a runtime dependency, runs the TypeScript), so the image is the sources plus `npm ci
 * --omit=dev`. Built from the project root with the export's Dockerfile:
 *
 *   docker build -f OUT/Dockerfile -t IMAGE .
 *
 * The ignore file is named after the Dockerfile (`Dockerfile.dockerignore`) because the build context is the
 * project root, not OUT: BuildKit reads the ignore file beside the Dockerfile given with -f. The COPY lines name
 * what the worker needs, so the ignore list only keeps the context small.
 */
import { WORKDIR } from './job.ts';

export function dockerfile(): string {
  return `# The Stampede worker image, written by \`bin/stampede export kubernetes\`.
# Build it from the project root:  docker build -f <this file> -t <image> .
FROM node:20-slim
WORKDIR ${WORKDIR}
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY scenarios ./scenarios
COPY simulators ./simulators
# The node user (uid 1000), which the Job's runAsNonRoot checks.
USER node
ENTRYPOINT ["bin/stampede"]
CMD ["worker"]
`;
}

export function dockerignore(): string {
  return ['.git', 'node_modules', 'reports', 'test', 'bench', 'docs', '.ci', '.cache', '*.log', ''].join('\n');
}
