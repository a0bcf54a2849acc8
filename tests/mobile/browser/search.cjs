// The browser half of tests/mobile/test_browser.py's search: drives the Flet web app in headless Chromium
// against a stack whose user has a history already (seeded over the protocol by pytest, and indexed).
//
// On a 390x844 phone: types a word in the conversation list's search field and sees the results, with the
// matched words in their snippets; opens the result that is in a long conversation (the message is older
// than the conversation's first page) and sees the conversation open at that message, scrolled to and
// marked as the found message; goes back and searches a word that matches nothing, and sees it said. Then
// asks, in a new chat, after what was said before: the answer's "Used ..." names the earlier exchange, which
// opens its conversation at that message.
// Checks contrast on each search screen in both themes and saves screenshots, light and dark.
//
// Prints one JSON line with what it saw; pytest makes the assertions. Configuration comes from the
// environment (see test_browser.py); page.cjs has what every scenario does with the page.

const fs = require('fs');
const {
  env, id, TIMEOUT, step, budget, bounded, phone, open, label, waitFor, waitForLabel, tap, type, shot, back, signIn,
  ask, run, contrast,
} = require('./page.cjs');

const APP_URL = env('APP_URL');
const SERVER = env('MEMCHAT_SERVER');
const TOKEN = env('MEMCHAT_TOKEN');
const SHOTS = env('SCREENSHOTS');
const WORD = env('WORD'); // found in several conversations
const TARGET = env('TARGET'); // words of the message to open, which only it has
const NO_MATCH = env('NO_MATCH'); // found nowhere
const RECALL = env('RECALL'); // refers to what was said before: its answer's prompt carries that exchange

// The results' labels (with everything inside each), in order, once the first is drawn.
async function results(page) {
  await waitFor(page, 'search-result-0');
  return bounded(page.evaluate(() => [...document.querySelectorAll('[flt-semantics-identifier^="search-result-"]')]
    .map((node) => {
      const parts = [node, ...node.querySelectorAll('*')]
        .map((element) => element.getAttribute('aria-label') || (element.children.length ? '' : element.textContent))
        .filter((text) => text && text.trim());
      return { id: node.getAttribute('flt-semantics-identifier'), label: [...new Set(parts)].join('\n') };
    })), 'reading the results');
}

// The bubble a screen reader names as the found message: its identifier, label and where it is drawn.
async function foundBubble(page) {
  const handle = await page.waitForFunction(() => {
    const node = [...document.querySelectorAll('[flt-semantics-identifier^="message-"]')]
      .find((element) => (element.getAttribute('aria-label') || '').startsWith('Found message'));
    if (!node) return null;
    const rect = node.getBoundingClientRect();
    if (rect.height === 0 || rect.top < 0 || rect.bottom > window.innerHeight) return null; // not scrolled to yet
    return { id: node.getAttribute('flt-semantics-identifier'), label: node.getAttribute('aria-label'),
      box: { top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right } };
  }, null, { timeout: budget(TIMEOUT), polling: 100 });
  return handle.jsonValue();
}

async function darkShot(page, name) {
  await bounded(page.emulateMedia({ colorScheme: 'dark' }), 'a dark device');
  await shot(page, `${name}-dark`);
  await bounded(page.emulateMedia({ colorScheme: 'light' }), 'a light device again');
}

run(async (browser, seen) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const page = await phone(browser);
  await open(page, APP_URL);
  await signIn(page, SERVER, TOKEN);
  await waitFor(page, 'conversation-0');
  seen.contrast = [];

  step(`search: ${WORD}`);
  await type(page, 'search-field', WORD);
  seen.results = await results(page);
  const target = seen.results.find((result) => result.label.includes(TARGET));
  if (!target) throw new Error(`no result shows "${TARGET}": ${JSON.stringify(seen.results)}`);
  await shot(page, 'search-results');
  await darkShot(page, 'search-results');
  seen.contrast.push(...await contrast(page, 'search-results'));

  step('open the result at its message');
  await tap(page, target.id);
  seen.opened = await foundBubble(page);
  await shot(page, 'search-opened');
  await darkShot(page, 'search-opened');
  seen.contrast.push(...await contrast(page, 'search-opened'));
  seen.stillFound = await label(page, seen.opened.id); // after the glow: still named the found message

  step(`search: ${NO_MATCH}`);
  await back(page);
  await waitFor(page, 'search-field');
  await type(page, 'search-field', NO_MATCH);
  seen.empty = await waitForLabel(page, 'search-empty', (text) => text.includes(NO_MATCH), { deep: true });
  seen.contrast.push(...await contrast(page, 'search-empty'));

  step('clear the search');
  await tap(page, 'search-clear');
  await waitFor(page, 'conversation-0');
  seen.listBack = (await label(page, 'search-empty')) === null;

  step('an answer that used an earlier exchange');
  await tap(page, 'new-chat');
  await waitFor(page, 'composer');
  seen.recall = await ask(page, RECALL, 1);
  seen.used = await label(page, 'used-memories-1', { deep: true });
  await tap(page, 'used-memories-1');
  await waitFor(page, 'used-exchange-1-0');
  seen.exchanges = [];
  for (let n = 0; (await label(page, `used-exchange-1-${n}`)) !== null; n += 1) {
    seen.exchanges.push(await label(page, `used-exchange-1-${n}`));
  }
  seen.contrast.push(...await contrast(page, 'recalled-exchange'));
  const earlier = seen.exchanges.findIndex((text) => text.includes(TARGET));
  if (earlier < 0) throw new Error(`no earlier exchange says "${TARGET}": ${JSON.stringify(seen.exchanges)}`);
  await tap(page, `used-exchange-1-${earlier}`);
  seen.reopened = await foundBubble(page);
});
