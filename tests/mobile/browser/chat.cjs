// The browser half of tests/mobile/test_browser.py: drives the Flet web app in headless Chromium.
//
// On a 390x844 phone-sized page: signs in with a development token, asks a question and watches the answer
// grow, continues it, copies it, asks a second one and regenerates its answer (the earlier one stays
// reachable), reloads, opens the app in a second tab (a new Flet session: the sign-in comes from the browser's
// storage and the conversation from the server's history), deletes a conversation, switches to the dark
// theme, tells the assistant a fact and waits for it on the Memory screen, sees an answer say it used that
// memory, deletes the memory, starts a temporary chat and edits its message, sends a message the server
// refuses as too long and takes it back to edit, and saves screenshots. (Answers that survive a reload or a
// dead worker are answers.cjs, on a stack whose answers are long enough to catch mid-way.)
//
// Prints one JSON line with what it saw; pytest makes the assertions. Configuration comes from the
// environment (see test_browser.py); page.cjs has what every scenario does with the page.

const fs = require('fs');
const {
  env, id, TIMEOUT, bounded, step, budget, phone, open, label, box, waitFor, waitForLabel, tap, type, shot, back,
  copied, enabled, signIn, ask, askWatched, follow, run, contrast, memories, findMemory, MEMORY_TIMEOUT,
} = require('./page.cjs');

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
const EDITED = env('EDITED'); // the temporary chat's message, edited
const REFUSED = env('REFUSED'); // short in characters, too long for the model: refused, kept to edit

// Flip a switch (the Semantics node or the switch inside it).
async function flip(page, name) {
  const inner = page.locator(`${id(name)} [role="switch"]`);
  await ((await inner.count()) ? inner.first() : page.locator(id(name))).click();
}

// Tap an answer's pager button until its count reads `expected`; the taps it took. A tap that lands while
// Flutter rebuilds the bubble is lost (seen once in CI), so up to three, each counted; a third lost fails.
async function pageTo(page, button, expected) {
  for (let taps = 1; ; taps += 1) {
    await page.locator(id(button)).click();
    const paged = await waitForLabel(page, 'alt-count-3', (text) => text.startsWith(expected), { timeout: 5_000 })
      .catch(() => null);
    if (paged !== null) return taps;
    if (taps === 3) throw new Error(`${button} was tapped three times and the pager never read ${expected}`);
  }
}

async function conversation(page) {
  return Promise.all([0, 1, 2, 3].map((index) => label(page, `message-${index}`)));
}

run(async (browser, seen) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  // A fresh profile (a new context has its own storage); a phone-sized window.
  const page = await phone(browser);
  const context = page.context();

  seen.contrast = [];
  await open(page, APP_URL);
  await waitFor(page, 'signin-address');
  seen.contrast.push(...await contrast(page, 'sign-in'));
  await signIn(page, SERVER, TOKEN, { screenshot: 'sign-in' });
  await waitFor(page, 'conversation-0'); // the two conversations asked on another device
  seen.connection = await label(page, 'connection-status');

  await page.locator(id('new-chat')).click();
  await waitFor(page, 'composer');
  seen.first = await askWatched(page, QUESTION, 1);

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
  await tap(page, 'copy-1');
  seen.copied = await copied(page);
  seen.copyLabel = await waitForLabel(page, 'copy-1', (text) => text.startsWith('Copied'));

  seen.second = await askWatched(page, FOLLOW_UP, 3);
  await shot(page, 'answer');
  seen.contrast.push(...await contrast(page, 'answer'));

  // Regenerate: a new answer in place; the earlier one stays reachable ("1/2").
  step('regenerate the answer');
  seen.beforeRegenerate = await label(page, 'message-3');
  await tap(page, 'regenerate-3');
  await page.waitForFunction((selector) => document.querySelector(selector) !== null, id('stop'),
    { timeout: budget(TIMEOUT), polling: 100 });
  seen.regenerated = await follow(page, 3);
  await waitFor(page, 'alt-count-3');
  seen.alternatives = await label(page, 'alt-count-3');
  await shot(page, 'regenerated-answer');
  seen.contrast.push(...await contrast(page, 'regenerated-answer'));
  seen.pagerTaps = await pageTo(page, 'alt-prev-3', 'Answer 1 of 2');
  seen.earlierAnswer = await label(page, 'message-3');
  seen.earlierCount = await label(page, 'alt-count-3');
  seen.pagerTaps += await pageTo(page, 'alt-next-3', 'Answer 2 of 2');
  seen.conversation = await conversation(page);

  // Reload: the page comes back with the conversation.
  step('reload');
  await page.reload();
  await open(page, APP_URL);
  await waitFor(page, 'message-3');
  seen.afterReload = await conversation(page);

  // A second tab is a new session: signed in from the browser's storage, the list and the history from
  // the server.
  const tab = await context.newPage();
  step('a second tab');
  await open(tab, APP_URL);
  await waitFor(tab, 'conversation-0');
  seen.list = await Promise.all([0, 1, 2].map((index) => label(tab, `conversation-${index}`, { deep: true })));
  await shot(tab, 'conversations');
  seen.contrast.push(...await contrast(tab, 'conversations'));
  await tab.locator(id('conversation-0')).click();
  await waitFor(tab, 'message-3');
  seen.newTab = await conversation(tab);
  await back(tab);

  // Delete the oldest conversation, after confirming.
  step('delete a conversation');
  await tap(tab, 'delete-2');
  await waitFor(tab, 'confirm-delete');
  await shot(tab, 'delete-confirmation');
  seen.contrast.push(...await contrast(tab, 'delete-confirmation'));
  await tab.locator(id('confirm-delete')).click();
  await tab.waitForFunction((selector) => document.querySelector(selector) === null, id('conversation-2'),
    { timeout: TIMEOUT, polling: 100 });
  await waitFor(tab, 'conversation-1');
  seen.afterDelete = await Promise.all([0, 1].map((index) => label(tab, `conversation-${index}`, { deep: true })));

  // Settings, then the dark theme (remembered with the other settings).
  step('settings and the dark theme');
  await tap(tab, 'settings-button');
  await waitFor(tab, 'settings-user');
  seen.user = await label(tab, 'settings-user');
  await shot(tab, 'settings');
  seen.contrast.push(...await contrast(tab, 'settings'));
  await tab.locator(`${id('theme')} >> text=Dark`).click();
  await shot(tab, 'settings-dark');
  // From here on the phone is dark by its own setting (System again, on a dark device): the pictures stay
  // dark, and the contrast check can still draw each screen light too.
  await bounded(tab.emulateMedia({ colorScheme: 'dark' }), 'a dark device');
  await tab.locator(`${id('theme')} >> text=System`).click();
  await back(tab);
  await waitFor(tab, 'conversation-0');
  await shot(tab, 'conversations-dark');
  await tab.locator(id('conversation-0')).click();
  await waitFor(tab, 'message-3');
  await shot(tab, 'answer-dark');
  await back(tab);

  // Memory: tell a fact in a new chat, find it on the Memory screen, see a later answer use it.
  step('memory');
  await tap(tab, 'new-chat');
  await waitFor(tab, 'composer');
  seen.fact = await ask(tab, FACT, 1);
  await back(tab);
  const found = await findMemory(tab, SECRET);
  seen.memories = found.rows;
  seen.memory = found.rows[found.index];
  seen.memorySwitch = await label(tab, 'memory-switch', { deep: true });
  seen.deleteLabel = await label(tab, `delete-memory-${found.index}`);
  await shot(tab, 'memory');
  seen.contrast.push(...await contrast(tab, 'memory'));
  await back(tab);

  await tap(tab, 'new-chat');
  await waitFor(tab, 'composer');
  seen.recall = await ask(tab, RECALL, 1);
  seen.used = await label(tab, 'used-memories-1');
  if (seen.used !== null) {
    await tab.locator(id('used-memories-1')).click();
    await waitFor(tab, 'used-memories-list-1');
    seen.usedList = await label(tab, 'used-memories-list-1', { deep: true });
    await shot(tab, 'used-memories');
    seen.contrast.push(...await contrast(tab, 'used-memories'));
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
    await waitFor(tab, 'confirm-forget'); // the dialog says the chats it came from are redacted
    await tab.locator(id('confirm-forget')).click();
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
  await tap(tab, 'new-chat');
  await waitFor(tab, 'temporary-switch');
  await flip(tab, 'temporary-switch');
  await waitFor(tab, 'temporary-banner');
  seen.temporary = await ask(tab, TEMPORARY, 1);
  seen.banner = await label(tab, 'temporary-banner', { deep: true });
  await shot(tab, 'temporary-chat');
  seen.contrast.push(...await contrast(tab, 'temporary-chat'));

  // Edit the last message: it is sent anew and answered; the earlier one is kept ("Original").
  step('edit the message');
  const unedited = await label(tab, 'message-1');
  await tap(tab, 'edit-0');
  await waitFor(tab, 'edit-text');
  await type(tab, 'edit-text', EDITED);
  await tab.locator(id('confirm-edit')).click();
  await waitForLabel(tab, 'message-0', (text) => text.includes(EDITED));
  // The answer to the edited message replaces the first one: followed from then on (the first one, still
  // shown for a moment, is complete and would end the follow at once).
  await waitForLabel(tab, 'message-1', (text) => text !== unedited);
  seen.edited = await follow(tab, 1);
  seen.editedQuestion = await label(tab, 'message-0');
  seen.editedStatus = await label(tab, 'message-status-0');
  await shot(tab, 'edited-message');
  seen.contrast.push(...await contrast(tab, 'edited-message'));
  await back(tab);
  await tab.waitForFunction((selector) => (document.querySelector(selector)?.textContent || '')
    .includes('Temporary') || [...(document.querySelector(selector)?.querySelectorAll('[aria-label]') || [])]
    .some((element) => element.getAttribute('aria-label').includes('Temporary')),
  id('conversation-0'), { timeout: TIMEOUT, polling: 100 });
  seen.temporaryRow = await label(tab, 'conversation-0', { deep: true });

  // A message too long for the model (few characters, many tokens) is refused: the error wraps on the
  // phone's width, and its text comes back to the composer to edit.
  step('a refused message is kept');
  await tap(tab, 'new-chat');
  await waitFor(tab, 'composer');
  await type(tab, 'composer', REFUSED);
  await enabled(tab, 'send');
  await bounded(tab.keyboard.press('Enter'), 'pressing Enter');
  await waitFor(tab, 'edit-0');
  seen.refused = await label(tab, 'message-status-0');
  seen.refusedBoxes = [await box(tab, 'message-status-0'), await box(tab, 'edit-0')];
  await shot(tab, 'refused-message');
  seen.contrast.push(...await contrast(tab, 'refused-message'));
  await tab.locator(id('edit-0')).click();
  await tab.locator(id('composer')).click();
  await tab.waitForFunction(() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName), null,
    { timeout: budget(TIMEOUT), polling: 50 });
  // The text comes back on a round trip through the app's server: wait for it (bounded), then read it.
  await tab.waitForFunction((text) => document.activeElement?.value === text, REFUSED,
    { timeout: budget(TIMEOUT), polling: 100 }).catch(() => null);
  seen.composerAfterEdit = await bounded(tab.evaluate(() => document.activeElement?.value || ''), 'composer');
});
