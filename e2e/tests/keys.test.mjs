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

/// Starts counting the DOM mutations inside the cluster picture.
async function observe(page) {
  await page.evaluate(() => {
    window.__mutations = [];
    window.__observer?.disconnect();
    window.__observer = new MutationObserver((records) => {
      for (const r of records) {
        const target = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        window.__mutations.push({
          type: r.type,
          attribute: r.attributeName,
          chip: target?.closest('.pod')?.querySelector('.pod-name')?.innerText ?? null,
          added: [...r.addedNodes].map((n) => n.innerText ?? n.textContent),
          removed: [...r.removedNodes].map((n) => n.querySelector?.('.pod-name')?.innerText ?? n.textContent),
        });
      }
    });
    window.__observer.observe(document.querySelector('.cluster'), {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
  });
}

/// The mutations counted since `observe`, once the page has drawn.
async function mutations(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  return page.evaluate(() => window.__mutations);
}

/// Types a command that keeps the page busy for a while (200 pods settling).
async function typeLong(page, command) {
  const input = page.locator('#terminal-input');
  await input.fill(command);
  await input.press('Enter', { timeout: 240_000 });
}

test('200 pods: a chip for each, the terminal answers, and the picture redraws only what changed', async (t) => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    // One worker holds 110 pods: the control plane takes the rest.
    await type(page, 'kubectl taint nodes controlplane node-role.kubernetes.io/control-plane:NoSchedule-');
    await waitForOutput(page, 'node/controlplane untainted');
    // A pod whose name sorts before the others: removing it must not redraw the chips after it.
    await type(page, 'kubectl run a-solo --image=nginx');
    await waitForOutput(page, 'pod/a-solo created');
    await typeLong(page, 'kubectl create deployment big --image=nginx --replicas=200');
    await waitForOutput(page, 'deployment.apps/big created', 240_000);
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

    // Ten seconds: all 201 pods Running.
    await typeLong(page, 'sleep 10');
    const running = () => [...document.querySelectorAll('.node .pod.ok .pod-name')]
      .filter((p) => p.innerText.startsWith('big-') || p.innerText === 'a-solo').length === 201;
    await page.waitForFunction(running, null, { timeout: 240_000 });
    await page.screenshot({ path: `${SHOTS}/cluster-200.png` });

    // How the page keeps up while the clock runs at 10× (recorded, not asserted:
    // it depends on the machine).
    await page.evaluate(() => {
      window.__frames = [];
      window.__long = [];
      new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
      let last = performance.now();
      const frame = (now) => { window.__frames.push(now - last); last = now; if (window.__frames.length < 100000) requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
    });
    await page.getByRole('radio', { name: '10×' }).click();
    await page.getByRole('button', { name: 'Run the clock' }).click();
    await page.waitForTimeout(5_000);
    await page.getByRole('button', { name: 'Pause the clock' }).click({ timeout: 240_000 });
    const perf = await page.evaluate(() => {
      const f = [...window.__frames].sort((a, b) => a - b);
      const at = (q) => f[Math.min(f.length - 1, Math.floor(q * f.length))] ?? 0;
      return { frames: f.length, p50: at(0.5), p95: at(0.95), max: f[f.length - 1] ?? 0, long: window.__long.length, longest: Math.max(0, ...window.__long) };
    });
    const figure = `200 pods, clock at 10x for 5 s: ${perf.frames} frames, frame time p50 ${perf.p50.toFixed(1)} ms, p95 ${perf.p95.toFixed(1)} ms, max ${perf.max.toFixed(0)} ms; ${perf.long} long tasks (longest ${perf.longest.toFixed(0)} ms)`;
    t.diagnostic(figure);
    console.log(figure);

    // The clock runs and nothing in the cluster changes: the picture's DOM is left alone.
    await observe(page);
    const before = await page.locator('.clock-time').innerText();
    await page.getByRole('radio', { name: '1×' }).click();
    await page.getByRole('button', { name: 'Run the clock' }).click();
    await page.waitForFunction((b) => document.querySelector('.clock-time').innerText !== b, before, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Pause the clock' }).click({ timeout: 240_000 });
    const idle = await mutations(page);
    assert.deepEqual(idle, [], 'an idle tick redrew the picture');

    // One pod goes: its chip is removed, and no other chip is touched.
    await observe(page);
    await typeLong(page, 'kubectl delete pod a-solo --grace-period=0 --force');
    await waitForOutput(page, 'pod "a-solo" force deleted', 240_000);
    await page.waitForFunction(() => ![...document.querySelectorAll('.pod-name')].some((p) => p.innerText === 'a-solo'));
    const one = await mutations(page);
    const others = one.filter((m) => !(m.type === 'childList' && m.removed.length === 1 && m.removed[0] === 'a-solo' && m.added.length === 0));
    assert.deepEqual(others, [], `deleting one pod touched more than its chip (${one.length} mutations)`);
    assert.equal(one.length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
