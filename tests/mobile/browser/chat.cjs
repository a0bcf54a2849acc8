// The browser half of tests/mobile/test_browser.py: drives the Flet web app in headless Chromium.
//
// On a 390x844 phone-sized page: signs in with a development token, asks a question and watches the answer
// grow, continues it, copies it, asks a second one and regenerates its answer (the earlier one stays
// reachable), reloads, opens the app in a second tab (a new Flet session: the sign-in comes from the browser's
// storage and the conversation from the server's history), deletes a conversation, switches to the dark
// theme, tells the assistant a fact and waits for it on the Memory screen, sees an answer say it used that
// memory, deletes the memory, starts a temporary chat and edits its message, reloads in the middle of an
// answer and watches it resume, sends a message the server refuses as too long and takes it back to edit,
// and saves screenshots.
//
// Every call into the page is bounded (a page that stops answering fails the step that waited on it, by
// name), and the whole scenario has a deadline (SCENARIO_SECONDS) that every wait counts against: the
// scenario ends, passing or failing, before the Python side's own timeout.
// Prints one JSON line with what it saw; pytest makes the assertions. Configuration comes from the
// environment (see test_browser.py). Flutter draws on a canvas: elements are found through the
// accessibility tree it mirrors into the DOM, by their Semantics identifiers.

const fs = require('fs');
const path = require('path');
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

const env = (name) => {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
};
const APP_URL = env('APP_URL');
const SERVER = env('MEMCHAT_SERVER');
const TOKEN = env('MEMCHAT_TOKEN');
const QUESTION = env('QUESTION');
const FOLLOW_UP = env('FOLLOW_UP');
const SHOTS = env('SCREENSHOTS');
const FACT = env('FACT'); // "Remember that ...": kept as a memory without the model's help
const RECALL = env('RECALL'); // a question that needs that memory
const TEMPORARY = env('TEMPORARY'); // asked in a temporary chat
const SECRET = env('SECRET'); // what identifies the memory on the Memory screen
const RESUME = env('RESUME'); // asked, then the page reloaded while the answer is being written
const EDITED = env('EDITED'); // the temporary chat's message, edited
const REFUSED = env('REFUSED'); // short in characters, too long for the model: refused, kept to edit
const TIMEOUT = 60_000;
// An answer waits its turn on the embedded model behind the background memory work (titles, extraction)
// of the turns before it.
const ANSWER_TIMEOUT = 180_000;
const MEMORY_TIMEOUT = 180_000; // for the background memory work (queued on the embedded model) to keep the fact

const id = (name) => `[flt-semantics-identifier="${name}"]`;

// Each step on stderr as it starts, so that a step that fails is named in the test's failure.
const started = Date.now();
const deadline = started + Number(env('SCENARIO_SECONDS')) * 1000;
let current = 'launch';
const step = (what) => {
  current = what;
  process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)}s ${what}\n`);
  if (Date.now() > deadline) throw new Error(`the scenario went past its ${env('SCENARIO_SECONDS')} s at: ${what}`);
};
// A wait's budget: its own, cut to what is left of the scenario's.
const budget = (ms) => Math.max(1_000, Math.min(ms, deadline - Date.now()));

// Calls that wait on the page's main thread (evaluate, input events, close) have no timeout of their own in
// playwright: a page that stops answering would hold the scenario forever. Each is raced against one.
async function bounded(promise, what, ms = TIMEOUT) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the page did not answer within ${ms / 1000} s (${what}) during: ${current}`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function open(page) {
  step('open the app');
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(APP_URL);
  // Flutter builds its accessibility tree (our only handle on the canvas) once asked to.
  const placeholder = page.locator('flt-semantics-placeholder');
  await placeholder.waitFor({ state: 'attached', timeout: TIMEOUT });
  await placeholder.dispatchEvent('click');
}

// What an element says to a screen reader (its label, else its text), or null while it is absent; with
// `deep`, the labels of everything inside it too. Read with evaluate: polling through locator actions
// while Flutter rebuilds nodes is not reliable.
function label(page, name, { deep = false } = {}) {
  return bounded(page.evaluate(([selector, deep]) => {
    const node = document.querySelector(selector);
    if (!node) return null;
    if (!deep) return node.getAttribute('aria-label') || node.textContent || '';
    const parts = [node, ...node.querySelectorAll('*')]
      .map((element) => element.getAttribute('aria-label') || (element.children.length ? '' : element.textContent))
      .filter((text) => text && text.trim());
    return [...new Set(parts)].join('\n');
  }, [id(name), deep]), `reading ${name}`);
}

async function waitFor(page, name, { timeout = TIMEOUT } = {}) {
  await page.waitForFunction((selector) => document.querySelector(selector) !== null, id(name),
    { timeout: budget(timeout), polling: 100 });
}

// Click a text field, wait until it has the keyboard focus, then replace its text: a fill before the
// focus lands goes to an element Flutter is about to replace.
async function type(page, name, text) {
  await page.locator(id(name)).click();
  await page.waitForFunction(() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName),
    null, { timeout: TIMEOUT, polling: 50 });
  await bounded(page.keyboard.press('Control+A'), 'select all');
  await bounded(page.keyboard.insertText(text), 'typing');
  await page.waitForFunction((value) => document.activeElement?.value === value, text,
    { timeout: TIMEOUT, polling: 50 });
}

async function shot(page, name) {
  await bounded(page.mouse.move(1, 1), 'moving the mouse away'); // no hover highlight or tooltip in the picture
  await page.waitForTimeout(400); // let animations (ripples, the page transition) finish
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

// The app bar's back arrow.
async function back(page) {
  await page.locator('flt-semantics[role="button"]', { hasText: /^Back$/ }).first().click();
}

async function enabled(page, name) {
  await page.waitForFunction((selector) => {
    const node = document.querySelector(selector);
    return node && !node.querySelector('[aria-disabled="true"]') && node.getAttribute('aria-disabled') !== 'true';
  }, id(name), { timeout: TIMEOUT, polling: 50 });
}

// Send `text` from the open conversation and follow its answer (bubble `message-{index}`) until it
// completes: the lengths it grew through, the statuses under it, whether a stop button showed.
async function ask(page, text, index, { screenshot } = {}) {
  step(`ask: ${text}`);
  await type(page, 'composer', text);
  await enabled(page, 'send'); // the app has the text
  await bounded(page.keyboard.press('Enter'), 'pressing Enter');
  await waitFor(page, `message-${index}`);
  return follow(page, index, { screenshot });
}

// Follow answer `index` until it completes: the lengths it grew through, the statuses, whether Stop showed.
async function follow(page, index, { screenshot, stopWhen } = {}) {
  const seen = { lengths: [], statuses: [], stop: false };
  const until = Date.now() + budget(ANSWER_TIMEOUT);
  for (;;) {
    const answer = (await label(page, `message-${index}`)) || '';
    const status = (await label(page, `message-status-${index}`)) || '';
    if (seen.lengths.at(-1) !== answer.length) seen.lengths.push(answer.length);
    if (seen.statuses.at(-1) !== status) seen.statuses.push(status);
    if ((await label(page, 'stop')) !== null) seen.stop = true;
    if (screenshot && answer.length > 50 && status.includes('Writing')) {
      await page.screenshot({ path: path.join(SHOTS, `${screenshot}.png`) });
      screenshot = null;
    }
    if (stopWhen && stopWhen(answer, status)) return seen;
    if ((await label(page, 'send')) !== null && !status.includes('Writing') && !answer.includes('Thinking')
        && !answer.endsWith('pending')) break;
    if (Date.now() > until) throw new Error(`the answer did not complete during ${current}: ${JSON.stringify(seen)}`);
    await page.waitForTimeout(100);
  }
  seen.question = await label(page, `message-${index - 1}`);
  seen.answer = await label(page, `message-${index}`);
  return seen;
}

// The Memory screen's rows as their labels read, newest first.
async function memories(page) {
  return bounded(page.evaluate(() => [...document.querySelectorAll('[flt-semantics-identifier^="memory-"]')]
    .filter((node) => /^memory-\d+$/.test(node.getAttribute('flt-semantics-identifier')))
    .map((node) => [node, ...node.querySelectorAll('*')]
      .map((element) => element.getAttribute('aria-label') || (element.children.length ? '' : element.textContent))
      .filter((text) => text && text.trim()).join('\n'))), 'reading the memories');
}

// Open the Memory screen from the conversation list and wait (bounded) until a row mentions `text`,
// tapping refresh every couple of seconds: the fact is kept in the background, after the answer.
async function findMemory(page, text) {
  step(`wait for the memory: ${text}`);
  await waitFor(page, 'memory-button');
  await page.locator(id('memory-button')).click();
  await waitFor(page, 'memory-switch');
  const until = Date.now() + budget(MEMORY_TIMEOUT);
  for (;;) {
    const rows = await memories(page);
    const index = rows.findIndex((row) => row.includes(text));
    if (index >= 0) return { index, rows };
    if (Date.now() > until) throw new Error(`no memory mentions ${text} after ${MEMORY_TIMEOUT} ms: ${rows}`);
    await page.waitForTimeout(2000);
    await page.locator(id('refresh-memories')).click();
  }
}

// Flip a switch (the Semantics node or the switch inside it).
async function flip(page, name) {
  const inner = page.locator(`${id(name)} [role="switch"]`);
  await ((await inner.count()) ? inner.first() : page.locator(id(name))).click();
}

async function conversation(page) {
  return Promise.all([0, 1, 2, 3].map((index) => label(page, `message-${index}`)));
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  step('launch chromium');
  const browser = await chromium.launch({
    timeout: TIMEOUT,
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-quic', '--no-first-run', '--disable-sync'],
  });
  const seen = {};
  try {
    // A fresh profile (a new context has its own storage); a phone-sized window.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
      colorScheme: 'light', permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();

    await open(page);
    await waitFor(page, 'signin-address');
    step('sign in');
    await shot(page, 'sign-in');
    await type(page, 'signin-address', SERVER);
    await type(page, 'signin-token', TOKEN);
    await page.locator(id('signin-submit')).click();
    await waitFor(page, 'conversation-0');
    seen.connection = await label(page, 'connection-status');

    await page.locator(id('new-chat')).click();
    await waitFor(page, 'composer');
    seen.first = await ask(page, QUESTION, 1);

    // Continue: the first answer stopped at the length limit (MEMCHAT_MAX_NEW_TOKENS); it goes on in place.
    step('continue the answer');
    seen.continueShown = (await label(page, 'continue-1')) !== null;
    if (seen.continueShown) {
      seen.beforeContinue = await label(page, 'message-1');
      await page.locator(id('continue-1')).click();
      await page.waitForFunction((selector) => document.querySelector(selector) !== null, id('stop'),
        { timeout: budget(TIMEOUT), polling: 100 });
      seen.continued = await follow(page, 1);
      seen.afterContinue = await label(page, 'message-1');
    }

    // Copy: the clipboard holds the answer's text.
    step('copy the answer');
    await waitFor(page, 'copy-1');
    await page.locator(id('copy-1')).click();
    await page.waitForTimeout(500);
    seen.copied = await bounded(page.evaluate(() => navigator.clipboard.readText()), 'reading the clipboard');

    seen.second = await ask(page, FOLLOW_UP, 3, { screenshot: 'streaming-answer' });
    await shot(page, 'answer');

    // Regenerate: a new answer in place; the earlier one stays reachable ("1/2").
    step('regenerate the answer');
    seen.beforeRegenerate = await label(page, 'message-3');
    await waitFor(page, 'regenerate-3');
    await page.locator(id('regenerate-3')).click();
    await page.waitForFunction((selector) => document.querySelector(selector) !== null, id('stop'),
      { timeout: budget(TIMEOUT), polling: 100 });
    seen.regenerated = await follow(page, 3);
    await waitFor(page, 'alt-count-3');
    seen.alternatives = await label(page, 'alt-count-3');
    await shot(page, 'regenerated-answer');
    await page.locator(id('alt-prev-3')).click();
    await page.waitForFunction(([selector, before]) => {
      const node = document.querySelector(selector);
      return node && (node.getAttribute('aria-label') || node.textContent) === before;
    }, [id('message-3'), seen.beforeRegenerate], { timeout: budget(TIMEOUT), polling: 100 }).catch(() => {});
    seen.earlierAnswer = await label(page, 'message-3');
    seen.earlierCount = await label(page, 'alt-count-3');
    await page.locator(id('alt-next-3')).click();
    await page.waitForTimeout(300);
    seen.conversation = await conversation(page);

    // Reload: the page comes back with the conversation.
    step('reload');
    await page.reload();
    await open(page);
    await waitFor(page, 'message-3');
    seen.afterReload = await conversation(page);

    // A second tab is a new session: signed in from the browser's storage, the list and the history from
    // the server.
    const tab = await context.newPage();
    step('a second tab');
    await open(tab);
    await waitFor(tab, 'conversation-0');
    seen.list = await Promise.all([0, 1, 2].map((index) => label(tab, `conversation-${index}`, { deep: true })));
    await shot(tab, 'conversations');
    await tab.locator(id('conversation-0')).click();
    await waitFor(tab, 'message-3');
    seen.newTab = await conversation(tab);
    await back(tab);

    // Delete the oldest conversation, after confirming.
    step('delete a conversation');
    await waitFor(tab, 'delete-2');
    await tab.locator(id('delete-2')).click();
    await waitFor(tab, 'confirm-delete');
    await shot(tab, 'delete-confirmation');
    await tab.locator(id('confirm-delete')).click();
    await tab.waitForFunction((selector) => document.querySelector(selector) === null, id('conversation-2'),
      { timeout: TIMEOUT, polling: 100 });
    await waitFor(tab, 'conversation-1');
    seen.afterDelete = await Promise.all([0, 1].map((index) => label(tab, `conversation-${index}`, { deep: true })));

    // Settings, then the dark theme (remembered with the other settings).
    step('settings and the dark theme');
    await waitFor(tab, 'settings-button');
    await tab.locator(id('settings-button')).click();
    await waitFor(tab, 'settings-user');
    seen.user = await label(tab, 'settings-user');
    await shot(tab, 'settings');
    await tab.locator(`${id('theme')} >> text=Dark`).click();
    await shot(tab, 'settings-dark');
    await back(tab);
    await waitFor(tab, 'conversation-0');
    await shot(tab, 'conversations-dark');
    await tab.locator(id('conversation-0')).click();
    await waitFor(tab, 'message-3');
    await shot(tab, 'answer-dark');
    await back(tab);

    // Memory: tell a fact in a new chat, find it on the Memory screen, see a later answer use it.
    step('memory');
    await waitFor(tab, 'new-chat');
    await tab.locator(id('new-chat')).click();
    await waitFor(tab, 'composer');
    seen.fact = await ask(tab, FACT, 1);
    await back(tab);
    const found = await findMemory(tab, SECRET);
    seen.memories = found.rows;
    seen.memory = found.rows[found.index];
    seen.memorySwitch = await label(tab, 'memory-switch', { deep: true });
    seen.deleteLabel = await label(tab, `delete-memory-${found.index}`);
    await shot(tab, 'memory');
    await back(tab);

    await waitFor(tab, 'new-chat');
    await tab.locator(id('new-chat')).click();
    await waitFor(tab, 'composer');
    seen.recall = await ask(tab, RECALL, 1);
    seen.used = await label(tab, 'used-memories-1');
    if (seen.used !== null) {
      await tab.locator(id('used-memories-1')).click();
      await waitFor(tab, 'used-memories-list-1');
      seen.usedList = await label(tab, 'used-memories-list-1', { deep: true });
      await shot(tab, 'used-memories');
    }
    await back(tab);

    // Delete the memory (and any copy the model's extraction made of the same fact): the Memory screen no
    // longer shows it.
    step('delete the memory');
    let row = (await findMemory(tab, SECRET)).index;
    seen.deleted = 0;
    const forgetBy = Date.now() + TIMEOUT;
    while (row >= 0) {
      const before = (await memories(tab)).length;
      await tab.locator(id(`delete-memory-${row}`)).click();
      seen.deleted += 1;
      await tab.waitForFunction(([selector, count]) => [...document.querySelectorAll(selector)]
        .filter((node) => /^memory-\d+$/.test(node.getAttribute('flt-semantics-identifier'))).length < count,
      ['[flt-semantics-identifier^="memory-"]', before], { timeout: TIMEOUT, polling: 100 });
      row = (await memories(tab)).findIndex((text) => text.includes(SECRET));
      if (Date.now() > forgetBy) throw new Error(`the memory is still shown: ${await memories(tab)}`);
    }
    seen.afterForget = await memories(tab);
    await back(tab);

    // A temporary chat: switched on before the first message, shown by a banner, marked in the list.
    step('a temporary chat');
    await waitFor(tab, 'new-chat');
    await tab.locator(id('new-chat')).click();
    await waitFor(tab, 'temporary-switch');
    await flip(tab, 'temporary-switch');
    await waitFor(tab, 'temporary-banner');
    seen.temporary = await ask(tab, TEMPORARY, 1);
    seen.banner = await label(tab, 'temporary-banner', { deep: true });
    await shot(tab, 'temporary-chat');

    // Edit the last message: it is sent anew and answered; the earlier one is kept ("Original").
    step('edit the message');
    await waitFor(tab, 'edit-0');
    await tab.locator(id('edit-0')).click();
    await waitFor(tab, 'edit-text');
    await type(tab, 'edit-text', EDITED);
    await tab.locator(id('confirm-edit')).click();
    await tab.waitForFunction(([selector, text]) => {
      const node = document.querySelector(selector);
      return (node?.getAttribute('aria-label') || node?.textContent || '').includes(text);
    }, [id('message-0'), EDITED], { timeout: budget(TIMEOUT), polling: 100 });
    seen.edited = await follow(tab, 1);
    seen.editedQuestion = await label(tab, 'message-0');
    seen.editedStatus = await label(tab, 'message-status-0');
    await shot(tab, 'edited-message');
    await back(tab);
    await tab.waitForFunction((selector) => (document.querySelector(selector)?.textContent || '')
      .includes('Temporary') || [...(document.querySelector(selector)?.querySelectorAll('[aria-label]') || [])]
      .some((element) => element.getAttribute('aria-label').includes('Temporary')),
    id('conversation-0'), { timeout: TIMEOUT, polling: 100 });
    seen.temporaryRow = await label(tab, 'conversation-0', { deep: true });

    // Resume: reload while an answer is being written; the new session reads the conversation (the answer
    // streaming, with the deltas its saved text covers) and follows it to the end on its new socket.
    step('resume after a reload mid-answer');
    await tab.locator(id('new-chat')).click();
    await waitFor(tab, 'composer');
    seen.resumeBefore = await ask(tab, RESUME, 1, { stopWhen: (answer, status) => status.includes('Writing') });
    await tab.reload();
    await open(tab);
    await waitFor(tab, 'conversation-0');
    await tab.locator(id('conversation-0')).click();
    await waitFor(tab, 'message-1');
    seen.resumed = await follow(tab, 1);
    await shot(tab, 'resumed-answer');
    await back(tab);

    // A message too long for the model (few characters, many tokens) is refused: the error wraps on the
    // phone's width, and its text comes back to the composer to edit.
    step('a refused message is kept');
    await waitFor(tab, 'new-chat');
    await tab.locator(id('new-chat')).click();
    await waitFor(tab, 'composer');
    await type(tab, 'composer', REFUSED);
    await enabled(tab, 'send');
    await bounded(tab.keyboard.press('Enter'), 'pressing Enter');
    await waitFor(tab, 'edit-0');
    seen.refused = await label(tab, 'message-status-0');
    seen.refusedBoxes = await bounded(tab.evaluate((selectors) => selectors.map((selector) => {
      const box = document.querySelector(selector)?.getBoundingClientRect();
      return box ? { left: box.left, right: box.right, top: box.top, bottom: box.bottom } : null;
    }), [id('message-status-0'), id('edit-0')]), 'measuring the error');
    await shot(tab, 'refused-message');
    await tab.locator(id('edit-0')).click();
    await tab.locator(id('composer')).click();
    await tab.waitForFunction(() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName), null,
      { timeout: budget(TIMEOUT), polling: 50 });
    seen.composerAfterEdit = await bounded(tab.evaluate(() => document.activeElement?.value || ''), 'composer');
  } catch (error) {
    // What each open page showed when the step failed: its identifiers, and a picture (failure-N.png).
    for (const [n, open] of browser.contexts().flatMap((context) => context.pages()).entries()) {
      const ids = await bounded(open.evaluate(() => [...document.querySelectorAll('[flt-semantics-identifier]')]
        .map((node) => node.getAttribute('flt-semantics-identifier')).join(' ')), 'listing', 10_000).catch(() => '?');
      process.stderr.write(`page ${n} (${open.url()}): ${ids}\n`);
      await open.screenshot({ path: path.join(SHOTS, `failure-${n}.png`), timeout: 10_000 }).catch(() => {});
    }
    throw error;
  } finally {
    current = 'close chromium';
    process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)}s close chromium\n`);
    await bounded(browser.close(), 'closing chromium', 20_000).catch((error) => process.stderr.write(`${error}\n`));
  }
  process.stdout.write(JSON.stringify(seen) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
