import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './run-command.js';

/** The public packages, by directory under packages/. */
export const PUBLIC_PACKAGES = [
  'core',
  'mock-upstream',
  'cli',
  'express',
  'koa',
  'nestjs',
  'langchain',
  'redis',
  'dashboard',
  'prometheus',
] as const;

/** A directory under packages/ of a public package. */
export type PublicPackage = (typeof PUBLIC_PACKAGES)[number];

/**
 * Packs every public package with `pnpm pack` (which turns `workspace:*` into the real versions,
 * as publishing does) into `destination`, in one pnpm run, and resolves with each tarball's
 * path. pnpm is the version the repository's `packageManager` names, through npx, as the README
 * runs it.
 */
export async function packPackages(input: {
  repositoryRoot: string;
  destination: string;
}): Promise<Record<PublicPackage, string>> {
  const manifest = JSON.parse(await readFile(join(input.repositoryRoot, 'package.json'), 'utf8')) as {
    packageManager: string;
  };
  const filters = PUBLIC_PACKAGES.flatMap((directory) => ['--filter', `./packages/${directory}`]);
  const { stdout } = await runCommand(
    'npx',
    [
      '-y',
      manifest.packageManager,
      '-r',
      ...filters,
      'pack',
      '--pack-destination',
      input.destination,
      '--json',
    ],
    { cwd: input.repositoryRoot },
  );
  const packed = JSON.parse(stdout) as { name: string; filename: string }[];
  const tarballs = PUBLIC_PACKAGES.map((directory) => {
    const tarball = packed.find((entry) => entry.name === `@switchyard/${directory}`)?.filename;
    if (tarball === undefined)
      throw new Error(`pnpm pack made no tarball of packages/${directory}:\n${stdout}`);
    return [directory, tarball] as const;
  });
  return Object.fromEntries(tarballs) as Record<PublicPackage, string>;
}
