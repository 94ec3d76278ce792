import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ready, type, waitForOutput, SHOTS } from './helpers.mjs';

const PROMPT = 'controlplane ~ ➜';
const scrollback = (page) => page.locator('.scrollback').innerText();
const prompt = (page) => page.locator('.inputline .prompt').innerText();

/// Waits until `count(text)` is larger than `than`.
async function waitForMore(page, count, than, timeout = 15_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const now = count(await scrollback(page));
    if (now > than) return now;
    if (Date.now() > end) throw new Error(`still ${now} after ${timeout} ms (wanted more than ${than})`);
    await page.waitForTimeout(200);
  }
}

test('kubectl get pods -w streams rows as simulated time passes; Ctrl-C returns the prompt', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, 'kubectl create deployment web --image=nginx --replicas=3');
    await waitForOutput(page, 'deployment.apps/web created');
    const clock = await page.locator('.clock-time').innerText();
    await type(page, 'kubectl get pods -w');
    await waitForOutput(page, 'READY   STATUS');
    // The command holds the terminal: no prompt while it runs.
    assert.equal(await prompt(page), '');
    const rows = (t) => (t.match(/^web-[a-z0-9]+-[a-z0-9]+ /gm) ?? []).length;
    const listed = rows(await scrollback(page));
    assert.equal(listed, 3);
    // As the virtual clock runs, each pod's change appends a row: Running.
    await waitForMore(page, (t) => (t.match(/ 1\/1 +Running /g) ?? []).length, 2);
    assert.ok(rows(await scrollback(page)) > listed);
    assert.notEqual(await page.locator('.clock-time').innerText(), clock, 'the clock moved');
    // Lines typed meanwhile go nowhere.
    await type(page, 'echo ignored');
    await page.screenshot({ path: `${SHOTS}/get-watch.png` });
    await page.locator('#terminal-input').press('Control+c');
    await page.locator('.inputline .prompt', { hasText: PROMPT }).waitFor();
    const after = await scrollback(page);
    assert.match(after, /\n\^C\n?$/);
    assert.doesNotMatch(after, /ignored/);
    // The shell took the interrupt: $? is 130.
    await type(page, 'echo status=$?');
    await waitForOutput(page, 'status=130');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('watch redraws its frame in place until Ctrl-C', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, 'watch -n 1 date');
    // The pane is narrow: procps' title keeps the interval, host and time (the command does not fit).
    await waitForOutput(page, 'Every 1.0s:');
    const times = (t) => new Set(t.match(/^\w{3} \w{3} \d+ \d\d:\d\d:\d\d UTC \d{4}$/gm) ?? []);
    const first = [...times(await scrollback(page))];
    assert.equal(first.length, 1);
    // A new frame replaces the old one: still one header and one time, but a later one.
    const end = Date.now() + 10_000;
    let text;
    for (;;) {
      text = await scrollback(page);
      const now = [...times(text)];
      if (now.length === 1 && now[0] !== first[0]) break;
      assert.ok(Date.now() < end, `no new frame: ${text}`);
      await page.waitForTimeout(200);
    }
    assert.equal((text.match(/Every 1\.0s/g) ?? []).length, 1);
    await page.screenshot({ path: `${SHOTS}/watch.png` });
    await page.locator('#terminal-input').press('Control+c');
    await page.locator('.inputline .prompt', { hasText: PROMPT }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('kubectl wait and logs -f hold the terminal as time passes; rollout status ends by itself', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, "kubectl run ticker --image=busybox -- sh -c 'while true; do echo tick; sleep 1; done'");
    await waitForOutput(page, 'pod/ticker created');
    await type(page, 'kubectl wait --for=condition=Ready pod/ticker --timeout=60s');
    // wait is a job too: it holds the terminal while simulated time passes.
    await page.waitForFunction(() => document.querySelector('.inputline .prompt').innerText === '');
    await waitForOutput(page, 'pod/ticker condition met', 30_000);
    await page.locator('.inputline .prompt', { hasText: PROMPT }).waitFor();
    await type(page, 'kubectl logs -f ticker');
    await page.waitForFunction(() => document.querySelector('.inputline .prompt').innerText === '');
    const ticks = (t) => (t.match(/^tick$/gm) ?? []).length;
    const seen = ticks(await scrollback(page));
    await waitForMore(page, ticks, seen + 2);
    await page.locator('#terminal-input').press('Control+c');
    await page.locator('.inputline .prompt', { hasText: PROMPT }).waitFor();
    const stopped = ticks(await scrollback(page));
    await page.waitForTimeout(2_500);
    assert.equal(ticks(await scrollback(page)), stopped, 'nothing streams after Ctrl-C');

    await type(page, 'kubectl create deployment web --image=nginx --replicas=2');
    await waitForOutput(page, 'deployment.apps/web created');
    await type(page, 'kubectl rollout status deployment/web');
    await waitForOutput(page, 'Waiting for deployment "web" rollout to finish: 0 of 2 updated replicas are available...');
    await waitForOutput(page, 'deployment "web" successfully rolled out', 20_000);
    // Done: the prompt is back without Ctrl-C.
    await page.locator('.inputline .prompt', { hasText: PROMPT }).waitFor();
    await type(page, 'echo status=$?');
    await waitForOutput(page, 'status=0');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/// watch's title line as drawn: its text, how many rows it takes, and the
/// pane's width in characters, measured as the app measures it.
const title = (page) => page.evaluate(() => {
  const pre = [...document.querySelectorAll('.scrollback pre')].find((p) => p.textContent.startsWith('Every 1.0s:'));
  const node = pre.firstChild;
  const end = node.textContent.indexOf('\n');
  const range = document.createRange();
  range.setStart(node, 0);
  range.setEnd(node, end);
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre';
  probe.textContent = '0'.repeat(100);
  document.querySelector('.terminal').appendChild(probe);
  const columns = Math.floor(document.querySelector('.scrollback').clientWidth * 100 / probe.offsetWidth);
  probe.remove();
  return { text: node.textContent.slice(0, end), rows: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size, columns };
});

/// Waits for the next frame of a running watch (its time changes).
async function nextFrame(page) {
  const was = (await page.locator('.scrollback').innerText()).match(/controlplane: (.*)$/m)?.[1];
  await page.waitForFunction((w) => !document.querySelector('.scrollback').innerText.includes(`controlplane: ${w}`), was, { timeout: 15_000 });
}

test('watch fits its title to the pane, as on a terminal; the saved session keeps one merged step', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, 'watch -n 1 kubectl get pods --all-namespaces -o wide --sort-by=.metadata.name');
    await waitForOutput(page, 'Every 1.0s:');
    // The default pane: the title fills one line exactly, host and time flush right.
    let t = await title(page);
    assert.equal(t.text.length, t.columns, t.text);
    assert.equal(t.rows, 1, `the title wraps: ${t.text}`);
    assert.match(t.text, / controlplane: \w{3} \w{3} +\d+ \d\d:\d\d:\d\d 2025$/);
    // A wider pane: the next frame has room for part of the command, cut with procps' `... `.
    await page.getByRole('button', { name: 'Hide labs' }).click();
    await nextFrame(page);
    await nextFrame(page);
    const wide = await title(page);
    assert.ok(wide.columns > t.columns && wide.columns < 117, `${t.columns} → ${wide.columns} columns`);
    assert.equal(wide.text.length, wide.columns, wide.text);
    assert.equal(wide.rows, 1, `the title wraps: ${wide.text}`);
    assert.match(wide.text, /^Every 1\.0s: kubectl get pods [^.]*\.\.\. +controlplane: \w{3} \w{3} +\d+ \d\d:\d\d:\d\d 2025$/);
    await page.screenshot({ path: `${SHOTS}/watch-title.png` });
    await page.locator('#terminal-input').press('Control+c');
    await page.locator('.inputline .prompt', { hasText: PROMPT }).waitFor();
    // Each frame moved the clock one second, saved as one step that grows, not one entry a second.
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('dinghy/v2/session')).entries);
    assert.equal(saved.length, 2, JSON.stringify(saved));
    assert.match(saved[0].in, /^watch -n 1 /);
    assert.ok(saved[1].step >= 2000 && saved[1].step % 1000 === 0, JSON.stringify(saved));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a question is the prompt: kubeadm upgrade apply waits for its answer; drain waits on a budget until Ctrl-C', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await type(page, 'apt-mark unhold kubeadm >/dev/null && apt-get install -y kubeadm=1.33.6-1.1 >/dev/null && echo installed');
    await waitForOutput(page, 'installed');
    await type(page, 'kubeadm upgrade apply v1.33.6');
    const QUESTION = '[upgrade] Are you sure you want to proceed? [y/N]:';
    await page.locator('.inputline .prompt', { hasText: QUESTION }).waitFor();
    await waitForOutput(page, '[upgrade/versions] kubeadm version: v1.33.6');
    await type(page, 'y');
    await waitForOutput(page, `${QUESTION} y`);
    await waitForOutput(page, '[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "v1.33.6".', 20_000);
    await page.locator('.inputline .prompt', { hasText: PROMPT }).waitFor();
    const shown = (await scrollback(page)).split('Running preflight checks').length - 1;
    assert.equal(shown, 1, 'what was shown before the question is not shown again');
    await page.screenshot({ path: `${SHOTS}/kubeadm-question.png` });
    // Ctrl-C at the question: the command dies of SIGINT.
    await type(page, 'kubeadm upgrade apply v1.33.6');
    await page.locator('.inputline .prompt', { hasText: QUESTION }).waitFor();
    await page.locator('#terminal-input').press('Control+c');
    await page.locator('.inputline .prompt', { hasText: PROMPT }).waitFor();
    await type(page, 'echo status=$?');
    await waitForOutput(page, 'status=130');

    // A drain that a PodDisruptionBudget refuses holds the terminal, retrying.
    await type(page, 'kubectl create deployment web --image=nginx --replicas=2');
    await waitForOutput(page, 'deployment.apps/web created');
    await type(page, 'kubectl create pdb web --selector=app=web --min-available=100%');
    await waitForOutput(page, 'poddisruptionbudget.policy/web created');
    await type(page, 'kubectl wait --for=condition=Available deploy/web --timeout=60s');
    await waitForOutput(page, 'deployment.apps/web condition met', 30_000);
    await page.locator('.inputline .prompt', { hasText: PROMPT }).waitFor();
    await type(page, 'kubectl drain node01 --ignore-daemonsets');
    await waitForOutput(page, 'node/node01 cordoned');
    await waitForOutput(page, "(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.");
    assert.equal(await prompt(page), '', 'the drain holds the terminal');
    const retries = (t) => (t.match(/will retry after 5s/g) ?? []).length;
    await waitForMore(page, retries, retries(await scrollback(page)), 20_000);
    await page.locator('#terminal-input').press('Control+c');
    await page.locator('.inputline .prompt', { hasText: PROMPT }).waitFor();
    await type(page, 'echo status=$?');
    await waitForOutput(page, 'status=130');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
