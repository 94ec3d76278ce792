import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ready, type, waitForOutput, SHOTS } from './helpers.mjs';

test('kubectl edit opens the editor; :wq applies the change and a reload keeps it', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, 'kubectl create deployment web --image=nginx --replicas=3');
    await waitForOutput(page, 'deployment.apps/web created');
    await type(page, 'kubectl edit deployment web');
    const editor = page.locator('.editor');
    await editor.waitFor();
    assert.match(await page.locator('.editor-file').innerText(), /\/tmp\/kubectl-edit-\d+\.yaml/);
    const text = page.locator('#editor-text');
    const yaml = await text.inputValue();
    assert.match(yaml, /^# Please edit the object below/);
    assert.match(yaml, /- image: nginx\n/);
    await text.fill(yaml.replace('- image: nginx\n', '- image: nginx:1.27\n'));
    await page.screenshot({ path: `${SHOTS}/editor.png` });
    // Esc, then :wq, as in vim.
    await text.press('Escape');
    await page.locator('#editor-command').pressSequentially('wq');
    await page.locator('#editor-command').press('Enter');
    await editor.waitFor({ state: 'detached' });
    await waitForOutput(page, 'deployment.apps/web edited');
    await type(page, "kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}{\"\\n\"}'");
    await waitForOutput(page, 'nginx:1.27');
    // The rollout made a second revision (a second ReplicaSet).
    await type(page, 'kubectl rollout history deployment web');
    await waitForOutput(page, 'REVISION  CHANGE-CAUSE');
    assert.match(await page.locator('.scrollback').innerText(), /REVISION {2}CHANGE-CAUSE\n1 +<none>\n2 +<none>/);
    await type(page, 'kubectl get rs -l app=web -o name | wc -l');
    await waitForOutput(page, '\n2\n');

    // vi on a file: :q! keeps the file as it was; Ctrl-S saves.
    await type(page, 'echo one > f.txt && vi f.txt && cat f.txt');
    await editor.waitFor();
    await text.fill('changed\n');
    await text.press('Escape');
    await page.locator('#editor-command').pressSequentially('q!');
    await page.locator('#editor-command').press('Enter');
    await waitForOutput(page, '\none\n');
    await type(page, 'vi f.txt; cat f.txt');
    await editor.waitFor();
    await text.fill('two\n');
    await text.press('Control+s');
    await waitForOutput(page, '\ntwo\n');

    // The edits are in the saved session.
    await page.reload();
    await waitForOutput(page, 'Restored your session');
    await type(page, 'cat f.txt; kubectl get deploy web -o jsonpath="{.spec.template.spec.containers[0].image}"; echo');
    await waitForOutput(page, 'two\nnginx:1.27');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('vim keys in kubectl edit: /search, dd, O, Esc, :wq change the image and a rollout happens', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, 'kubectl create deployment web --image=nginx --replicas=2');
    await waitForOutput(page, 'deployment.apps/web created');
    await type(page, 'kubectl edit deploy web');
    const editor = page.locator('.editor');
    await editor.waitFor();
    const text = page.locator('#editor-text');
    const original = await text.inputValue();
    // vi opens in normal mode: letters are commands, not text.
    await text.press('j');
    await text.press('x');
    assert.equal((await text.inputValue()).length, original.length - 1);
    await text.press('u');
    assert.equal(await text.inputValue(), original);
    // /pattern Enter moves to the match.
    await text.press('/');
    const cmd = page.locator('#editor-command');
    assert.equal(await cmd.inputValue(), '/');
    await cmd.pressSequentially('- image: nginx');
    await cmd.press('Enter');
    // dd deletes the line; O opens one above it with its indentation (two spaces too many for a list item).
    await text.press('d');
    await text.press('d');
    assert.doesNotMatch(await text.inputValue(), /- image: nginx/);
    await text.press('O');
    await page.locator('.editor-mode', { hasText: '-- INSERT --' }).waitFor();
    await text.press('Backspace');
    await text.press('Backspace');
    await text.pressSequentially('- image: nginx:1.27');
    await page.screenshot({ path: `${SHOTS}/editor-vim.png` });
    await text.press('Escape');
    assert.equal(await page.locator('.editor-mode').count(), 0);
    assert.match(await text.inputValue(), /\n {6}- image: nginx:1\.27\n {8}imagePullPolicy: Always\n/);
    await text.press(':');
    assert.equal(await cmd.inputValue(), ':');
    await cmd.pressSequentially('wq');
    await cmd.press('Enter');
    await editor.waitFor({ state: 'detached' });
    await waitForOutput(page, 'deployment.apps/web edited');
    await type(page, 'kubectl rollout status deploy/web');
    await waitForOutput(page, 'deployment "web" successfully rolled out', 20_000);
    await type(page, 'kubectl rollout history deployment web');
    await waitForOutput(page, 'REVISION  CHANGE-CAUSE');
    assert.match(await page.locator('.scrollback').innerText(), /REVISION {2}CHANGE-CAUSE\n1 +<none>\n2 +<none>/);
    // The new ReplicaSet runs both replicas with the new image.
    await type(page, "kubectl get rs -l app=web -o jsonpath='{range .items[*]}{.spec.template.spec.containers[0].image}={.status.readyReplicas}{\" \"}{end}'; echo");
    await waitForOutput(page, 'nginx:1.27=2');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the editor colours YAML: keys, strings, numbers, comments and dashes, in step with the text', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, 'kubectl create deployment web --image=nginx --replicas=3');
    await waitForOutput(page, 'deployment.apps/web created');
    await type(page, 'kubectl edit deployment web');
    const editor = page.locator('.editor');
    await editor.waitFor();
    const colours = page.locator('.editor-colours');
    const spans = (cls) => colours.locator(`.${cls}`).allInnerTexts();
    const keys = await spans('tok-key');
    for (const k of ['apiVersion', 'kind', 'metadata', 'replicas', 'containers', 'image']) {
      assert.ok(keys.includes(k), `no key span for ${k}: ${keys.slice(0, 12)}`);
    }
    const strings = await spans('tok-str');
    for (const v of ['apps/v1', 'Deployment', 'web', 'nginx']) {
      assert.ok(strings.includes(v), `no string span for ${v}`);
    }
    assert.ok((await spans('tok-num')).includes('3'), 'replicas: 3 is a number');
    assert.ok((await spans('tok-comment'))[0].startsWith('# Please edit the object below'));
    assert.ok((await spans('tok-dash')).length > 0);
    // The coloured copy is the text, character for character.
    const text = page.locator('#editor-text');
    assert.equal(await colours.evaluate((e) => e.textContent), `${await text.inputValue()}\n`);
    // The text area's own text is transparent (the colours show through) but its caret is not,
    // and it is exactly as large as the text: nothing scrolls inside it, so nothing drifts.
    const look = await text.evaluate((t) => {
      const s = getComputedStyle(t);
      return { color: s.color, caret: s.caretColor, fits: t.scrollHeight <= t.clientHeight && t.scrollWidth <= t.clientWidth };
    });
    assert.equal(look.color, 'rgba(0, 0, 0, 0)');
    assert.notEqual(look.caret, 'rgba(0, 0, 0, 0)');
    assert.ok(look.fits, 'the text area scrolls inside itself');
    // Line numbers: one per line, as tall as the coloured text.
    const lines = (await text.inputValue()).split('\n').length;
    assert.equal((await page.locator('.editor-gutter').innerText()).trim().split('\n').length, lines);
    const gutter = await page.locator('.editor-gutter').boundingBox();
    const body = await colours.boundingBox();
    assert.ok(Math.abs(gutter.height - body.height) < 1, `gutter ${gutter.height} vs text ${body.height}`);

    // Vim keys still edit, and the colours follow: /replicas, then cw 5 Esc.
    await text.press('/');
    await page.locator('#editor-command').pressSequentially('replicas: 3');
    await page.locator('#editor-command').press('Enter');
    await text.press('$');
    await text.press('x');
    await text.press('a');
    await text.pressSequentially('5');
    await text.press('Escape');
    assert.match(await text.inputValue(), /\n {2}replicas: 5\n/);
    assert.ok((await spans('tok-num')).includes('5'));
    assert.equal(await colours.evaluate((e) => e.textContent), `${await text.inputValue()}\n`);
    await page.screenshot({ path: `${SHOTS}/editor-colours.png` });
    // The editor is dark in both schemes; the colours stay readable on it.
    await page.emulateMedia({ colorScheme: 'dark' });
    const contrast = await page.evaluate(() => {
      const bg = getComputedStyle(document.querySelector('.editor')).backgroundColor;
      return [...new Set([...document.querySelectorAll('.editor-colours span')].map((s) => getComputedStyle(s).color))].map((c) => [c, bg]);
    });
    for (const [c, bg] of contrast) assert.notEqual(c, bg);
    await page.screenshot({ path: `${SHOTS}/editor-colours-dark.png` });
    await text.press(':');
    await page.locator('#editor-command').pressSequentially('wq');
    await page.locator('#editor-command').press('Enter');
    await editor.waitFor({ state: 'detached' });
    await waitForOutput(page, 'deployment.apps/web edited');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
