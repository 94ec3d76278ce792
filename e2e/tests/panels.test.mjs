import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ready, type, waitForOutput, SHOTS } from './helpers.mjs';

test('the clock fast-forwards and the cluster picture shows nodes and pods', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    const clock = page.locator('.clock-time');
    const before = await clock.getAttribute('datetime');
    await page.getByRole('button', { name: '+5 min' }).click();
    const after = await clock.getAttribute('datetime');
    assert.equal(Date.parse(after) - Date.parse(before), 5 * 60 * 1000);
    // The shell sees the same clock.
    await type(page, 'date');
    await waitForOutput(page, 'UTC 2025');

    // Two node cards, the control plane's static pods on the control plane.
    assert.equal(await page.locator('.node').count(), 2);
    const cp = page.locator('.node', { hasText: 'controlplane' });
    await cp.locator('.pod', { hasText: 'kube-scheduler-controlplane' }).waitFor();
    assert.match(await cp.locator('.taint').innerText(), /node-role\.kubernetes\.io\/control-plane:NoSchedule/);

    // A pod created in the terminal appears in the picture.
    await type(page, 'kubectl apply -f - <<EOF');
    for (const line of ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: hello', 'spec:', '  containers:', '  - name: web', '    image: nginx', 'EOF']) {
      await type(page, line);
    }
    await waitForOutput(page, 'pod/hello created');
    await page.locator('.pod', { hasText: 'hello' }).waitFor();

    // The namespace filter hides kube-system.
    await page.locator('.ns-filter select').selectOption('default');
    assert.equal(await page.locator('.pod', { hasText: 'kube-scheduler' }).count(), 0);
    await page.locator('.pod', { hasText: 'hello' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/cluster.png` });

    // After a reload the clock is where it was: steps are saved with the commands.
    await page.reload();
    await waitForOutput(page, 'Restored your session');
    assert.equal(await page.locator('.clock-time').getAttribute('datetime'), after);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the interface switches to Korean and remembers it', async () => {
  const { context, page } = await launch();
  try {
    await ready(page);
    await page.getByRole('button', { name: 'Switch to Korean' }).click();
    await page.getByRole('heading', { name: '클러스터' }).waitFor();
    await page.getByRole('heading', { name: '이벤트' }).waitFor();
    // The document says it is Korean, so words wrap whole (keep-all).
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
    assert.equal(
      await page.evaluate(() => getComputedStyle(document.querySelector('.lab-pane') ?? document.body).wordBreak),
      'keep-all');
    await page.screenshot({ path: `${SHOTS}/korean.png` });
    await page.reload();
    await page.getByRole('heading', { name: '클러스터' }).waitFor();
  } finally {
    await context.close();
  }
});
