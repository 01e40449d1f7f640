import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

const BINARIES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/** The Chromium the test command made sure of (scripts/ensure-chromium.mjs): CHROMIUM_PATH, else PATH. */
export function chromiumPath(): string {
  const candidates = [
    ...(process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : []),
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .flatMap((directory) => BINARIES.map((binary) => join(directory, binary))),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  throw new Error('no chromium on PATH: run `node scripts/ensure-chromium.mjs` (the root test script does)');
}

/** Debian's Chromium, headless, through playwright-core (which downloads no browser of its own). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
