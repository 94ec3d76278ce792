// Shared set-up for the end-to-end tests: Debian's Chromium, headless,
// driven by playwright-core against the release build served by
// `cargo xtask test` (DINGHY_URL, under a sub-path as on GitHub Pages).
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const URL = process.env.DINGHY_URL ?? 'http://127.0.0.1:8080/';
export const SHOTS = process.env.DINGHY_SCREENSHOTS ?? 'target/e2e';

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'dinghy-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1200, height: 760 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

/// Types a command into the terminal and presses Enter.
export async function type(page, command) {
  const input = page.locator('#terminal-input');
  await input.fill(command);
  await input.press('Enter');
}

/// Waits until the terminal's scroll-back contains `text`.
export async function waitForOutput(page, text, timeout = 10_000) {
  await page.locator('.scrollback').filter({ hasText: text }).waitFor({ timeout });
}

export async function ready(page) {
  await page.goto(URL);
  await page.locator('.inputline .prompt', { hasText: 'controlplane ~ ➜' }).waitFor({ timeout: 15_000 });
}
