// The wasm half of `cargo xtask bench` (issue 11): opens the release build
// in headless Chromium, first as a learner does (navigation to an
// interactive terminal, timed by the page's own clock), then with `?bench`,
// where the page runs the benchmark scenarios with performance.now(), and
// prints one JSON object on stdout: {coldStartMs, rows: [...]}.
// Usage: DINGHY_URL=http://127.0.0.1:PORT/ node e2e/bench.mjs [scenario,...]
import { launch, URL } from './tests/helpers.mjs';

const scenarios = process.argv[2] ?? '';
const { context, page, errors } = await launch();
try {
  // Cold start: a fresh profile, so nothing is cached or saved.
  await page.goto(URL);
  await page.locator('.inputline .prompt', { hasText: 'controlplane ~ ➜' }).waitFor({ timeout: 60_000 });
  const coldStartMs = await page.evaluate(() => performance.now());

  const sep = URL.includes('?') ? '&' : '?';
  await page.goto(`${URL}${sep}bench${scenarios ? '=' + scenarios : ''}`);
  const done = page.locator('#bench[data-done]');
  await done.waitFor({ state: 'attached', timeout: 30 * 60_000 });
  const result = JSON.parse(await done.textContent());
  result.coldStartMs = coldStartMs;
  result.userAgent = await page.evaluate(() => navigator.userAgent);
  result.pageErrors = errors;
  console.log(JSON.stringify(result));
} finally {
  await context.close();
}
