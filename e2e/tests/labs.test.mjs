import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, ready, type, waitForOutput, URL, SHOTS } from './helpers.mjs';

/// The text of the last stdout line in the terminal.
async function lastOutput(page) {
  const out = page.locator('.scrollback .line.stdout').last();
  return (await out.innerText()).trim();
}

/// The `code` spans of a task's text, in order.
async function codes(page, task) {
  return page.locator(`#task-${task} .task-text code`).allInnerTexts();
}

test('the pods lab is completed through the terminal and the panel, and survives a reload', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${URL}?lab=pods`);
    await page.getByRole('heading', { name: 'Pods' }).waitFor({ timeout: 15_000 });
    await waitForOutput(page, 'its cluster is set up');
    await page.locator('.lab-score', { hasText: '0/4 tasks done' }).waitFor();

    // A wrong answer shows the grader's explanation.
    const [ns] = await codes(page, 'count');
    await page.locator('#answer-count').fill('99');
    await page.locator('#task-count button.check').click();
    await page.locator('#task-count.failed .explanations').waitFor();
    assert.notEqual((await page.locator('#task-count .explanations').innerText()).trim(), '');
    await page.screenshot({ path: `${SHOTS}/lab-wrong-answer.png` });

    // Hints come one at a time; the solution asks first.
    await page.locator('#task-count').getByRole('button', { name: /Hint \(1\/2\)/ }).click();
    assert.equal(await page.locator('#task-count .hint').count(), 1);
    await page.locator('#task-count').getByRole('button', { name: /Hint \(2\/2\)/ }).click();
    assert.equal(await page.locator('#task-count .hint').count(), 2);
    await page.locator('#task-count').getByRole('button', { name: 'Solution…' }).click();
    assert.equal(await page.locator('#task-count .solution').count(), 0);
    await page.locator('#task-count').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.locator('#task-count .solution').count(), 0);

    // Task 1: count the pods in the terminal, answer in the panel.
    await type(page, `kubectl get pods -n ${ns} --no-headers | wc -l`);
    await page.waitForFunction(() => /^\d+$/.test(document.querySelector('.scrollback .line.stdout:last-child')?.innerText.trim() ?? ''));
    const count = await lastOutput(page);
    await page.locator('#answer-count').fill(count);
    await page.locator('#task-count button.check').click();
    await page.locator('#task-count.passed').waitFor();

    // Task 2: the image of pod legacy.
    await type(page, "kubectl get pod legacy -o jsonpath='{.spec.containers[0].image}{\"\\n\"}'");
    await page.waitForFunction(() => /:/.test(document.querySelector('.scrollback .line.stdout:last-child')?.innerText ?? ''));
    await page.locator('#answer-image').fill(await lastOutput(page));
    await page.locator('#task-image button.check').click();
    await page.locator('#task-image.passed').waitFor();

    // Task 3: create the pod the task names.
    const [pod, image] = await codes(page, 'run');
    await type(page, `kubectl run ${pod} --image=${image}`);
    await waitForOutput(page, `pod/${pod} created`);

    // Task 4: a dry-run manifest into the file the task names.
    const file = (await codes(page, 'dry-run')).find((c) => c.startsWith('/root/'));
    await type(page, `kubectl run redis --image=redis123 --dry-run=client -o yaml > ${file}`);

    await page.getByRole('button', { name: 'Check all' }).click();
    await page.locator('.lab-score', { hasText: '✓ Lab complete' }).waitFor();
    assert.equal(await page.locator('.task.passed').count(), 4);
    await page.screenshot({ path: `${SHOTS}/lab-complete.png` });

    // A reload brings back the progress and the cluster.
    await page.reload();
    await waitForOutput(page, 'Restored your session');
    await page.locator('.lab-score', { hasText: '✓ Lab complete' }).waitFor();
    assert.equal(await page.locator('.task.passed').count(), 4);
    assert.equal(await page.locator('#answer-count').inputValue(), count);
    await type(page, `kubectl get pod ${pod} -o name`);
    await waitForOutput(page, `pod/${pod}\n`);

    // The catalog shows the progress.
    await page.getByRole('button', { name: '← All labs' }).click();
    await page.locator('.lab-card', { hasText: 'Pods' }).locator('.count', { hasText: '4/4' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/lab-catalog.png` });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a corrupted progress entry is reported and reset, never a crash', async () => {
  const { context, page, errors } = await launch();
  try {
    await ready(page);
    await page.evaluate(() => localStorage.setItem('dinghy/v1/progress', '{"version":1,"labs":{"pods":{"passed":[1'));
    await page.reload();
    await page.locator('.notice', { hasText: 'could not be read' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('dinghy/v1/progress')), null);
    await page.getByRole('heading', { name: 'Labs' }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an instructor lab file with script and onerror payloads renders inert', async () => {
  const { context, page, errors } = await launch();
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const evil = readFileSync(new globalThis.URL('../fixtures/evil-lab.yaml', import.meta.url), 'utf8');
  try {
    // From a URL…
    await context.route('**/labs/evil-lab.yaml', (route) => route.fulfill({ body: evil, contentType: 'text/yaml' }));
    await page.goto(`${URL}?lab-url=${encodeURIComponent(`${URL}labs/evil-lab.yaml`)}`);
    const heading = page.locator('.lab-heading');
    await heading.waitFor({ timeout: 15_000 });
    assert.equal(await heading.innerText(), 'Evil <img src=x onerror="window.__pwned=1">');
    await page.locator('.lab-description', { hasText: '<script>window.__pwned = 2</script>' }).waitFor();
    await page.locator('#task-t1').getByRole('button', { name: /Hint/ }).click();
    await page.locator('#task-t1').getByRole('button', { name: 'Solution…' }).click();
    await page.locator('#task-t1').getByRole('button', { name: 'Show' }).click();
    await page.locator('#task-t1 .solution', { hasText: '<svg onload=' }).waitFor();
    await page.locator('.lab-description b, .labpanel b').count().then((n) => assert.equal(n, 0));
    await page.mouse.move(10, 10);
    await page.screenshot({ path: `${SHOTS}/lab-inert.png` });
    assert.equal(await page.locator('.labpanel script, .labpanel img, .labpanel iframe, .labpanel svg, .labpanel a').count(), 0);
    assert.equal(await page.locator('.labpanel [onerror], .labpanel [onload], .labpanel [onmouseover]').count(), 0);

    // …and dropped onto the panel.
    await page.getByRole('button', { name: '← All labs' }).click();
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text.replace('id: evil', 'id: evil-dropped')], 'evil-dropped.yaml', { type: 'text/yaml' }));
      document.querySelector('.labpanel').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, evil);
    await page.locator('#task-t1').waitFor();
    await waitForOutput(page, 'its cluster is set up');
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
