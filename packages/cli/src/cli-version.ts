/**
 * The version `switchyard --version` prints: this package's version, kept equal to package.json's
 * by `test/run-cli.test.ts`. A constant, because reading package.json next to the code needs the
 * module's own location, which the ES module build (`import.meta`) and the CommonJS build
 * (`__dirname`) have no common way to name.
 */
export const CLI_VERSION = '0.1.0';
