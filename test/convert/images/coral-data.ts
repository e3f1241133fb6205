// Locates the external coral models and photos (../shared/models/coral from the repository root). Tests that
// need them skip, with a printed reason, where the directory is absent.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** `../shared` from the checkout; in a git worktree, from the main checkout the worktree belongs to. */
export function sharedDir(): string {
  const own = join(repoRoot, '..', 'shared');
  if (existsSync(own)) return own;
  try {
    const dotGit = join(repoRoot, '.git');
    if (statSync(dotGit).isFile()) {
      const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim() ?? '';
      const at = gitdir.lastIndexOf('/.git/');
      if (at > 0) return join(gitdir.slice(0, at), '..', 'shared');
    }
  } catch { /* not a worktree: fall through */ }
  return own;
}

const dir = join(sharedDir(), 'models', 'coral');

export const CORAL_MODELS = ['mobilenet_v2_1.0_224_quant.tflite', 'tf2_mobilenet_v2_1.0_224_ptq.tflite', 'mobilenet_v1_0.25_128_quant.tflite'];

/** Photo and the top-1 label SOURCE.md gives for both MobileNet v2 models. */
export const CORAL_PHOTOS: [file: string, label: string][] = [
  ['cat.bmp', 'Egyptian cat'],
  ['grace_hopper.bmp', 'military uniform'],
  ['bird.bmp', 'chickadee'],
  ['parrot.jpg', 'macaw'],
  ['hot_dog.jpg', 'hotdog, hot dog, red hot'],
  ['sunflower.bmp', 'daisy'],
];

const warned = new Set<string>();

/** The coral directory, or undefined (after printing why the caller's tests are skipped). */
export function coralDir(who: string): string | undefined {
  if (existsSync(join(dir, 'SOURCE.md'))) return dir;
  if (!warned.has(who)) {
    warned.add(who);
    console.log(`[skip] ${who}: ${dir} is absent (external test data, see /work/shared/models/coral/SOURCE.md)`);
  }
  return undefined;
}
