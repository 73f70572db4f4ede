import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium: playwright-core drives it and never downloads a browser of its own. */
const CHROMIUM = '/usr/bin/chromium';

/**
 * `describe` for a suite that needs Chromium. Without /usr/bin/chromium the suite skips and says
 * so, except in CI, where .ci/run installs it and a missing browser must fail the run.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  if (existsSync(CHROMIUM) || process.env.CI) {
    describe(name, suite);
    return;
  }
  const skipped = `${name}: skipped, ${CHROMIUM} is missing (apt-get install -y chromium); in CI it runs and fails instead`;
  // Straight to stderr: Jest does not show the console output of a file whose tests were all skipped.
  process.stderr.write(`\n${skipped}\n`);
  describe.skip(skipped, suite);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
