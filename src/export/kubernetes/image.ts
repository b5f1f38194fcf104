/**
 * The worker image: the project's sources and runtime dependencies on Node 20, entrypoint `bin/stampede`. There is
 * no build step (tsx, a runtime dependency, runs the TypeScript), so the image is the sources plus `npm ci
 * --omit=dev`. Built from the project root with the export's Dockerfile:
 *
 *   docker build -f OUT/Dockerfile -t IMAGE .
 *
 * The ignore file is named after the Dockerfile (`Dockerfile.dockerignore`) because the build context is the
 * project root, not OUT: BuildKit reads the ignore file beside the Dockerfile given with -f. The COPY lines name
 * what the worker needs, so the ignore list only keeps the context small, and keeps OUT's token and Secret out of
 * it: OUT is ignored but for its image-files/ (the user's adapter and world files, see image-files.ts), which the
 * image gets at the same path under its working folder.
 */
import { posix } from 'node:path';
import { IMAGE_FILES, outFromRoot } from './image-files.ts';
import { WORKDIR } from './job.ts';
import type { ExportPlan } from './plan.ts';

export function dockerfile(plan: Pick<ExportPlan, 'files'>): string {
  // The JSON form, so a folder name with a space stays one path.
  const files = plan.files ? `# The adapter and world files, where --adapter and --world name them.
COPY ${JSON.stringify([userFiles(plan.files.outFromRoot), userFiles(plan.files.outFromRoot)])}
` : '';
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
${files}# The node user (uid 1000), which the Job's runAsNonRoot checks.
USER node
ENTRYPOINT ["bin/stampede"]
CMD ["worker"]
`;
}

export function dockerignore(plan: Pick<ExportPlan, 'outDir' | 'files'>): string {
  const out = outFromRoot(plan.outDir);
  // The last matching line decides, so the exception for the image's files comes after the folders above it.
  const own = out ? [out, ...(plan.files ? [`!${userFiles(out)}`] : [])] : [];
  return ['.git', 'node_modules', 'reports', 'test', 'bench', 'docs', '.ci', '.cache', '*.log', ...own, ''].join('\n');
}

function userFiles(outFromRoot: string): string {
  return posix.join(outFromRoot, IMAGE_FILES);
}
