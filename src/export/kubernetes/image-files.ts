/**
 * The user's files the worker image needs besides Stampede itself: the adapter file, the files it imports from its
 * own folder, and the world file. The export copies them into OUT/image-files/, and the Dockerfile COPYs that folder
 * to the same path under the image's working folder, which is the project root in the image as the build context
 * is the project root outside it. So one relative path names a file for the pods (working folder /app) and for
 * judge.sh (run from the project root): both load the same copy.
 *
 * The adapter's imports are found by a plain scan of its import and export specifiers, not by a TypeScript parse:
 * `./` specifiers under the adapter's folder are copied with their layout (and scanned in turn); one that leaves
 * the folder (`../`) or names an absolute path is refused in one line, since the image would not have it. Bare
 * specifiers (`stampede/adapter`, `mqtt`) resolve in the image as here: Stampede's own dependencies are there, others
 * are not.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../errors.ts';

/** The folder the worker image is built from (`docker build -f OUT/Dockerfile .` there). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** OUT's subfolder the Dockerfile copies into the image. */
export const IMAGE_FILES = 'image-files';
/** An adapter importing more files than this is not one a scan should chase. */
const MAX_ADAPTER_FILES = 100;
/** `import ... from 'x'`, `export ... from 'x'`, `import 'x'`, `import('x')`. */
const SPECIFIER = /\b(?:import|export)\s+(?:[^'";]*?\s+from\s*)?['"]([^'"\n]+)['"]|\bimport\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;

export interface ImageFile {
  /** Where it is now, absolute. */
  from: string;
  /** Where the export puts it, relative to OUT. */
  to: string;
}

export interface ImageFiles {
  files: ImageFile[];
  /** Relative to the project root (and to the image's working folder), `/`-separated: what --adapter and --world say. */
  adapterPath?: string;
  worldPath?: string;
  /** OUT relative to the project root, `/`-separated. */
  outFromRoot: string;
}

/** The files to copy for an adapter file (absolute; undefined for the built-in one) and a world file, or one usage line. */
export function imageFiles(outDir: string, adapterFile: string | undefined, worldFile: string | undefined): ImageFiles | undefined {
  if (adapterFile === undefined && worldFile === undefined) return undefined;
  const out = outFromRoot(outDir);
  if (out === undefined) {
    throw new UsageError(`--out ${outDir} is outside ${PROJECT_ROOT}, the worker image's build context, so the image cannot COPY the adapter and world files`,
      'give an --out inside it, e.g. --out k8s');
  }
  const inImage = (to: string) => posix.join(out, to);
  const files: ImageFile[] = [];
  let adapterPath: string | undefined;
  if (adapterFile !== undefined) {
    const adapterDir = dirname(adapterFile);
    for (const file of adapterClosure(adapterFile)) {
      files.push({ from: file, to: posix.join(IMAGE_FILES, 'adapter', relative(adapterDir, file).split(sep).join(posix.sep)) });
    }
    adapterPath = inImage(files[0]!.to);
  }
  let worldPath: string | undefined;
  if (worldFile !== undefined) {
    const to = posix.join(IMAGE_FILES, 'world', basename(worldFile));
    files.push({ from: resolve(worldFile), to });
    worldPath = inImage(to);
  }
  return { files, ...(adapterPath ? { adapterPath } : {}), ...(worldPath ? { worldPath } : {}), outFromRoot: out };
}

/** OUT relative to the project root, `/`-separated (`''` for the root itself); undefined when it is outside. */
export function outFromRoot(outDir: string): string | undefined {
  const out = relative(PROJECT_ROOT, resolve(outDir));
  return out.startsWith('..') || isAbsolute(out) ? undefined : out.split(sep).join(posix.sep);
}

/** The adapter file first, then every file it imports from its folder, transitively. */
export function adapterClosure(entry: string): string[] {
  const root = dirname(entry);
  const found = [entry];
  for (let at = 0; at < found.length; at++) {
    const file = found[at]!;
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      const shown = `${basename(entry)}${file === entry ? '' : ` (through ${relative(root, file)})`} imports ${specifier}`;
      if (isAbsolute(specifier) || specifier.startsWith('file:')) {
        throw new UsageError(`--adapter ${shown}, an absolute path the worker image does not have`, 'import it relatively from the adapter\'s folder, or inline it');
      }
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
      const target = existing(resolve(dirname(file), specifier));
      if (target === undefined) throw new UsageError(`--adapter ${shown}, which does not exist`, 'fix the import');
      if (relative(root, target).startsWith('..')) {
        throw new UsageError(`--adapter ${shown}, outside the adapter's folder: the export copies that folder's files only`,
          'move the file beside the adapter (or below it), or inline it');
      }
      if (!found.includes(target)) found.push(target);
      if (found.length > MAX_ADAPTER_FILES) throw new UsageError(`--adapter ${basename(entry)} imports more than ${MAX_ADAPTER_FILES} files`, 'bundle it into fewer files');
    }
  }
  return found;
}

function specifiersOf(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((match) => (match[1] ?? match[2])!);
}

/** The file a relative specifier names, as tsx finds it: as written, `.js` meaning `.ts`, or with `.ts` added. */
function existing(path: string): string | undefined {
  const candidates = [path, path.replace(/\.js$/, '.ts'), `${path}.ts`, `${path}.js`, join(path, 'index.ts')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}
