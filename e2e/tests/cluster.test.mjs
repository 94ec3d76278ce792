import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ready, type, waitForOutput, SHOTS } from './helpers.mjs';

test('a deployment of three replicas shows three chips turning Running; a chip opens its details', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, 'kubectl create deployment web --image=nginx --replicas=3');
    await waitForOutput(page, 'deployment.apps/web created');
    const chips = page.locator('.node .pod', { hasText: /^web-/ });
    await page.waitForFunction(() => document.querySelectorAll('.pod').length > 0);
    await page.locator('.pod', { hasText: 'web-' }).first().waitFor();
    assert.equal(await page.locator('.pod', { hasText: 'web-' }).count(), 3);
    // Not Running before the clock moves: the images are still being pulled.
    assert.equal(await page.locator('.pod.ok', { hasText: 'web-' }).count(), 0);
    await page.screenshot({ path: `${SHOTS}/deployment-creating.png` });

    // Run the clock at 10×: the three chips turn Running.
    await page.getByRole('radio', { name: '10×' }).click();
    await page.getByRole('button', { name: 'Run the clock' }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('.pod.ok')].filter((p) => p.innerText.startsWith('web-')).length === 3, null, { timeout: 20_000 });
    await page.getByRole('button', { name: 'Pause the clock' }).click();
    assert.equal(await chips.filter({ hasText: 'Running' }).count(), 3);
    await page.screenshot({ path: `${SHOTS}/deployment-running.png` });

    // A chip opens describe, YAML and events — the engine's own kubectl.
    const name = (await page.locator('.pod.ok .pod-name', { hasText: 'web-' }).first().innerText()).trim();
    await page.locator('.pod', { hasText: name }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const text = dialog.locator('.details-text');
    assert.match(await text.innerText(), new RegExp(`^Name:\\s+${name}\\n`, 'm'));
    assert.match(await text.innerText(), /Controlled By:\s+ReplicaSet\/web-/);
    await page.screenshot({ path: `${SHOTS}/pod-details.png` });
    // Long lines (the Image ID) wrap inside the dialog: nothing is cut off or needs a sideways scroll.
    assert.match(await text.innerText(), /docker\.io\/library\/nginx@sha256:[0-9a-f]{64}/);
    assert.ok(await text.evaluate((e) => e.scrollWidth <= e.clientWidth), 'the describe text is wider than its dialog');
    await dialog.getByRole('tab', { name: 'YAML' }).click();
    assert.match(await text.innerText(), /^kind: Pod$/m);
    await dialog.getByRole('tab', { name: 'Events' }).click();
    assert.match(await text.innerText(), /Scheduled\s+Successfully assigned default\//);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // A node card opens the node's describe.
    await page.locator('.node .node-name', { hasText: 'node01' }).click();
    assert.match(await page.getByRole('dialog').locator('.details-text').innerText(), /^Name:\s+node01$/m);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the panes resize and the cluster picture folds away', async () => {
  const { context, page } = await launch();
  try {
    await ready(page);
    const lab = page.locator('.lab-pane');
    const before = (await lab.boundingBox()).width;
    const handle = page.getByRole('separator', { name: 'Labs' });
    const box = await handle.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    const after = (await lab.boundingBox()).width;
    assert.ok(Math.abs(after - before - 80) <= 2, `lab pane ${before} → ${after}`);
    await page.getByRole('button', { name: 'Hide cluster' }).click();
    assert.equal(await page.locator('.side').count(), 0);
    await page.reload();
    await page.locator('.inputline').waitFor();
    assert.equal(await page.locator('.side').count(), 0);
    assert.ok(Math.abs((await lab.boundingBox()).width - after) <= 2);
  } finally {
    await context.close();
  }
});

test('light and dark follow the system', async () => {
  const { context, page } = await launch();
  try {
    await page.emulateMedia({ colorScheme: 'light' });
    await ready(page);
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await bg(), 'rgb(251, 251, 248)');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await bg(), 'rgb(12, 16, 22)');
    await page.screenshot({ path: `${SHOTS}/dark.png` });
  } finally {
    await context.close();
  }
});
