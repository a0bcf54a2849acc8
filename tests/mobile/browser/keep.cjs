// The browser half of tests/mobile/test_browser.py's instructions, sharing and "my data": drives the Flet web
// app in headless Chromium, on a 390x844 phone, against the replay stack.
//
// Signs in, asks a question and waits for the answer; shares the conversation (current answers only) and
// catches the Markdown download; in Settings types an instruction over the limit (kept whole, and said by how
// much), then both instructions, saves them and waits for "Saved"; downloads "my data" and catches the JSON
// download; finds what the question told as over in the Memory screen's past. Each new screen is checked for contrast in both themes and pictured light and dark.
//
// Prints one JSON line with what it saw; pytest makes the assertions (and reads the downloaded files).
// Configuration comes from the environment (see test_browser.py); page.cjs has what every scenario does.

const fs = require('fs');
const path = require('path');
const {
  env, id, TIMEOUT, step, budget, bounded, phone, open, label, box, waitFor, waitForLabel, tap, type, shot, back,
  signIn, ask, run, contrast, findMemory, keep,
} = require('./page.cjs');

const APP_URL = env('APP_URL');
const SERVER = env('MEMCHAT_SERVER');
const TOKEN = env('MEMCHAT_TOKEN');
const SHOTS = env('SCREENSHOTS');
const DOWNLOADS = env('DOWNLOADS'); // where the caught downloads are saved, for pytest to read
const QUESTION = env('QUESTION');
const PAST = env('PAST'); // what the question told as over, on the Memory screen's past
const ABOUT = env('ABOUT');
const STYLE = env('STYLE');
const LIMIT = Number(env('LIMIT')); // the server's instructions.maxChars
const OVER = 5; // characters typed past the limit
const TOP = 64; // below the app bar
const BOTTOM = 844 - 48; // clear of the bottom edge

// A picture in the light theme, then the contrast check of the screen in both; its dark picture, taken once
// the theme's animation has ended and the page holds still, is kept as the dark screenshot.
async function pictured(page, name) {
  await shot(page, name);
  const checked = await contrast(page, name);
  const dark = checked.find((check) => check.scheme === 'dark');
  if (dark) await keep(page, fs.readFileSync(dark.file), `${name}-dark`);
  return checked;
}

// Scroll the screen (wheel over its middle) until `name` is drawn whole between the app bar and the bottom.
async function reveal(page, name) {
  const until = Date.now() + budget(TIMEOUT);
  await bounded(page.mouse.move(195, 500), 'moving over the screen');
  for (;;) {
    const where = await box(page, name);
    if (where && where.top >= TOP && where.bottom <= BOTTOM) return where;
    if (Date.now() > until) throw new Error(`${name} never came into view: ${JSON.stringify(where)}`);
    const down = where === null || where.bottom > BOTTOM;
    await bounded(page.mouse.wheel(0, down ? 120 : -120), 'scrolling');
    await page.waitForTimeout(100);
  }
}

// Tap `name` and catch the download it starts: its suggested name, saved as `file` for pytest.
async function download(page, name, file) {
  const caught = page.waitForEvent('download', { timeout: budget(TIMEOUT) });
  await tap(page, name);
  const done = await caught;
  await done.saveAs(path.join(DOWNLOADS, file));
  return done.suggestedFilename();
}

// What a text field holds now (its <textarea> or <input>).
function fieldValue(page, name) {
  return bounded(page.evaluate((selector) => document.querySelector(selector)?.value ?? null,
    `${id(name)} textarea, ${id(name)} input`), `reading ${name}`);
}

run(async (browser, seen) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.mkdirSync(DOWNLOADS, { recursive: true });
  const page = await phone(browser);
  await open(page, APP_URL);
  await signIn(page, SERVER, TOKEN);
  await tap(page, 'new-chat');
  await waitFor(page, 'composer');
  seen.answer = await ask(page, QUESTION, 1);

  // Share: the current answers only, handed over as a download named after the conversation.
  step('share the conversation');
  await tap(page, 'share-conversation');
  await waitFor(page, 'share-current');
  seen.shared = await download(page, 'share-current', 'shared.md');
  seen.shareStatus = await waitForLabel(page, 'share-status', (text) => text.includes('Downloaded'));
  seen.contrast = await pictured(page, 'share-conversation');
  await tap(page, 'close-share');
  await page.waitForFunction((selector) => document.querySelector(selector) === null, id('share-current'),
    { timeout: budget(TIMEOUT), polling: 100 });
  await back(page);
  await waitFor(page, 'settings-button');

  // Your instructions: a text over the limit stays whole and says by how much; then both are saved.
  step('instructions over the limit');
  await tap(page, 'settings-button');
  await waitFor(page, 'instructions-about');
  await reveal(page, 'instructions-about');
  const long = 'x'.repeat(LIMIT + OVER);
  await type(page, 'instructions-about', long);
  seen.overLimit = await waitForLabel(page, 'instructions-about-count', (text) => text.includes('too long'));
  seen.overKept = (await fieldValue(page, 'instructions-about'))?.length;
  seen.saveWhileOver = await bounded(page.evaluate((selector) => {
    const node = document.querySelector(selector);
    return Boolean(node && (node.getAttribute('aria-disabled') === 'true' || node.querySelector('[aria-disabled="true"]')));
  }, id('instructions-save')), 'reading the save button');

  step('instructions saved');
  await type(page, 'instructions-about', ABOUT);
  await waitForLabel(page, 'instructions-about-count', (text) => !text.includes('too long'));
  await type(page, 'instructions-style', STYLE);
  await reveal(page, 'instructions-save');
  await tap(page, 'instructions-save');
  seen.saved = await waitForLabel(page, 'instructions-status', (text) => text.includes('Saved'));
  seen.counter = await label(page, 'instructions-about-count');
  await reveal(page, 'instructions-status');
  seen.contrast.push(...await pictured(page, 'instructions'));

  // Download my data: the JSON document, joined from its pages, handed over as a download.
  step('download my data');
  await reveal(page, 'download-data');
  seen.data = await download(page, 'download-data', 'data.json');
  seen.dataStatus = await waitForLabel(page, 'download-data-status', (text) => text.includes('Downloaded'));
  await reveal(page, 'download-data-status');
  seen.contrast.push(...await pictured(page, 'download-data'));

  // The Memory screen: what the question told as over is listed apart, as history with when it ended.
  step('past memories');
  await back(page);
  await waitFor(page, 'memory-button');
  const past = await findMemory(page, PAST, 'past-memory');
  seen.past = past.rows[past.index];
  seen.pastHeading = await label(page, 'past-memories');
  await reveal(page, `past-memory-${past.index}`);
  seen.contrast.push(...await pictured(page, 'memory-past'));
});
