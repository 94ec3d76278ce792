import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ready, type, waitForOutput, SHOTS } from './helpers.mjs';

test('the terminal answers kubectl version and kubectl get nodes', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    // Focused on load: the learner can type at once.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'terminal-input');
    await page.keyboard.type('kubectl version');
    await page.keyboard.press('Enter');
    await waitForOutput(page, 'Server Version: v1.33.1');
    const text = await page.locator('.scrollback').innerText();
    assert.match(text, /Client Version: v1\.33\.1\nKustomize Version: v5\.6\.0\nServer Version: v1\.33\.1/);

    await type(page, 'kubectl get nodes');
    await waitForOutput(page, 'node01');
    const table = await page.locator('.scrollback').innerText();
    assert.match(table, /NAME {11}STATUS {3}ROLES {11}AGE {3}VERSION/);
    assert.match(table, /controlplane {3}Ready {4}control-plane {3}\d+m {3}v1\.33\.1/);

    await type(page, 'kubectl get pods --foo');
    await waitForOutput(page, 'unknown flag: --foo');
    // Errors are drawn as errors.
    assert.equal(await page.locator('.line.stderr', { hasText: 'unknown flag' }).count(), 1);
    await page.screenshot({ path: `${SHOTS}/terminal.png` });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a here-document continues over several lines and history walks back', async () => {
  const { context, page } = await launch();
  try {
    await ready(page);
    await type(page, 'cat <<EOF');
    await page.locator('.inputline .prompt', { hasText: '>' }).waitFor();
    await type(page, 'hello from a heredoc');
    await type(page, 'EOF');
    await waitForOutput(page, 'hello from a heredoc\n');
    await type(page, 'echo second');
    await waitForOutput(page, 'second');
    const input = page.locator('#terminal-input');
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'echo second');
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'cat <<EOF\nhello from a heredoc\nEOF');
    await input.press('ArrowDown');
    assert.equal(await input.inputValue(), 'echo second');
  } finally {
    await context.close();
  }
});

test('a reload restores the session', async () => {
  const { context, page } = await launch();
  try {
    await ready(page);
    await type(page, 'export NAME=persisted');
    await type(page, 'echo value=$NAME');
    await waitForOutput(page, 'value=persisted');
    await page.reload();
    await waitForOutput(page, 'Restored your session');
    await type(page, 'echo again=$NAME');
    await waitForOutput(page, 'again=persisted');
  } finally {
    await context.close();
  }
});

test('a panic shows a clear error and one-click restart brings the session back', async () => {
  const { context, page } = await launch();
  try {
    await ready(page);
    await type(page, 'export MARK=before-crash');
    await type(page, 'echo ok');
    await waitForOutput(page, 'ok');
    // A deliberate panic inside the wasm module.
    await page.evaluate(() => { try { window.wasmBindings.dinghy_test_panic(); } catch (_) {} });
    const dialog = page.locator('#crash');
    await dialog.waitFor({ timeout: 5_000 });
    assert.match(await dialog.innerText(), /internal error/);
    await page.screenshot({ path: `${SHOTS}/panic.png` });
    await page.locator('#crash-restart').click();
    await waitForOutput(page, 'Restored your session');
    await type(page, 'echo mark=$MARK');
    await waitForOutput(page, 'mark=before-crash');
  } finally {
    await context.close();
  }
});

test('Tab completes from the engine and Ctrl-C cancels the line', async () => {
  const { context, page } = await launch();
  try {
    await ready(page);
    const input = page.locator('#terminal-input');
    await input.fill('kubectl get node');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl get nodes ');
    await input.pressSequentially('node0');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl get nodes node01 ');
    await input.press('Enter');
    await waitForOutput(page, 'node01   Ready');
    // A second Tab lists the candidates.
    await input.fill('kubectl get pods -n kube-');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl get pods -n kube-');
    await input.press('Tab');
    await waitForOutput(page, 'kube-node-lease  kube-public  kube-system');
    // Ctrl-C abandons the line and shows ^C, as a terminal does.
    await input.fill('kubectl delete node node01');
    await input.press('Control+c');
    assert.equal(await input.inputValue(), '');
    await waitForOutput(page, 'kubectl delete node node01^C');
    await type(page, 'kubectl get nodes --no-headers | wc -l');
    await waitForOutput(page, '\n2\n');
  } finally {
    await context.close();
  }
});
