// The build of a public package, run in its directory: dist/ from scratch (no file of an earlier
// build left to be packed), then two tsc passes from the same sources: ES modules to dist/
// (tsconfig.build.json) and CommonJS to dist/cjs/ (tsconfig.cjs.json), each with its .d.ts files,
// so that `import`, `require()` and every TypeScript moduleResolution get a build of their own.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync('dist', { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'tsconfig.cjs.json']) {
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
  } catch {
    console.error(`build: tsc -p ${project} failed`);
    process.exit(1);
  }
}
// The package's "type": "module" would make Node and TypeScript read dist/cjs/*.js and *.d.ts as
// ES modules; the nearest package.json decides, so dist/cjs gets one that says CommonJS.
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
