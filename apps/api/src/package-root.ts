import { basename, resolve } from 'node:path';

/**
 * The installed package's root, where `package.json`, `dist/` and `samples/` are: three folders above this file in the
 * sources (`apps/api/src`), four in the build (`dist/apps/api/src`). Fixed, not searched for, so that no file planted in
 * a parent folder is ever served or loaded.
 */
export function packageRoot(from = __dirname): string {
  const up = resolve(from, '..', '..', '..');
  return basename(up) === 'dist' ? resolve(up, '..') : up;
}
