import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ready, type, waitForOutput, SHOTS } from './helpers.mjs';

/// The caret position in the command line.
const caret = (page) => page.evaluate(() => document.getElementById('terminal-input').selectionStart);

test('line editing: Ctrl-A, Ctrl-E, Ctrl-W, Ctrl-U and Ctrl-R reverse search', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    const input = page.locator('#terminal-input');
    await input.fill('kubectl get pods -n kube-system');
    await input.press('Control+a');
    assert.equal(await caret(page), 0);
    await input.press('Control+e');
    assert.equal(await caret(page), 'kubectl get pods -n kube-system'.length);
    // Ctrl-W: the word before the caret.
    await input.press('Control+w');
    assert.equal(await input.inputValue(), 'kubectl get pods -n ');
    await input.press('Control+w');
    assert.equal(await input.inputValue(), 'kubectl get pods ');
    // Ctrl-U: from the start of the line to the caret; the rest stays.
    await input.fill('echo one two');
    await page.evaluate(() => document.getElementById('terminal-input').setSelectionRange(5, 5));
    await input.press('Control+u');
    assert.equal(await input.inputValue(), 'one two');
    assert.equal(await caret(page), 0);

    // Ctrl-R: the newest command containing what is typed; again: the one before.
    await input.fill('');
    await type(page, 'echo alpha-1');
    await type(page, 'echo beta');
    await type(page, 'echo alpha-2');
    await waitForOutput(page, 'alpha-2');
    await input.fill('alpha');
    await input.press('Control+r');
    assert.equal(await input.inputValue(), 'echo alpha-2');
    await input.press('Control+r');
    assert.equal(await input.inputValue(), 'echo alpha-1');
    await input.press('Enter');
    // Run again: alpha-1 is printed a second time.
    await page.waitForFunction(() => (document.querySelector('.scrollback').innerText.match(/^alpha-1$/gm) ?? []).length === 2);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the events filter keeps only the matching events', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, 'kubectl run filtered --image=nginx');
    await waitForOutput(page, 'pod/filtered created');
    await page.getByRole('button', { name: '+1 min' }).click();
    const events = page.locator('.event');
    await page.locator('.event', { hasText: 'filtered' }).first().waitFor();
    const all = await events.count();
    const filter = page.locator('.events input[type=search]');
    await filter.fill('pulled');
    // Only the kubelet's Pulled event of our pod is left.
    const shown = await events.allInnerTexts();
    assert.ok(shown.length > 0 && shown.length < all, `${shown.length} of ${all}`);
    for (const e of shown) assert.match(e, /pulled/i);
    assert.ok(shown.some((e) => /Pulled/.test(e) && /pod\/filtered/.test(e)), shown.join('\n'));
    await filter.fill('no-such-event-anywhere');
    assert.equal(await events.count(), 0);
    await page.locator('.events .empty').waitFor();
    await filter.fill('');
    assert.equal(await events.count(), all);

    // Long reasons stay in their own column: the reason's box ends before the object's begins.
    await filter.fill('NodeAllocatableEnforced');
    const row = page.locator('.event', { hasText: 'NodeAllocatableEnforced' }).first();
    await row.waitFor();
    const reason = await row.locator('.ev-reason').boundingBox();
    const object = await row.locator('.ev-object').boundingBox();
    assert.ok(reason.x + reason.width <= object.x, `reason ${JSON.stringify(reason)} overlaps object ${JSON.stringify(object)}`);
    const scroll = await row.locator('.ev-reason').evaluate((e) => e.scrollWidth <= e.clientWidth);
    assert.ok(scroll, 'the reason is not cut off');
    await filter.fill('');
    await page.locator('.events').screenshot({ path: `${SHOTS}/events.png` });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('200 pods: the picture draws a chip for each and the terminal still answers', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, 'kubectl create deployment big --image=nginx --replicas=200');
    await waitForOutput(page, 'deployment.apps/big created');
    // The ReplicaSet controller created all of them at once: 200 chips, Pending or creating.
    await page.waitForFunction(
      () => [...document.querySelectorAll('.pod .pod-name')].filter((p) => p.innerText.startsWith('big-')).length === 200,
      null,
      { timeout: 60_000 },
    );
    // Every chip is in a node card or the Pending queue, and none is drawn twice.
    const names = await page.locator('.pod .pod-name', { hasText: /^big-/ }).allInnerTexts();
    assert.equal(new Set(names).size, 200);
    await type(page, 'kubectl get deploy big --no-headers | wc -l; kubectl get pods -l app=big --no-headers | wc -l');
    await waitForOutput(page, '\n1\n200\n', 30_000);
    // The terminal keeps answering with the picture full.
    await type(page, 'echo still-responsive');
    await waitForOutput(page, '\nstill-responsive\n', 30_000);
    await page.screenshot({ path: `${SHOTS}/cluster-200.png` });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
