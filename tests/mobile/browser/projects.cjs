// The browser half of tests/mobile/test_browser.py's projects and pins, on the replay stack.
//
// On a 390x844 phone, with two conversations asked "on another device": creates a project (instructions over
// the limit first: kept, and the note says by how much; then "Spanish practice: answer in Spanish"), starts a
// new chat inside it and gets an answer (the chat says which project it is in), moves the newer of the two
// conversations into the project and back out, pins the older one and sees it on top, and deletes the project
// keeping its conversations. After each step it reads what the server stored, over a socket of its own (a
// blank page's WebSocket: node 20 has none), until the step shows there. Checks contrast on each new screen in
// both themes and saves screenshots, light and dark.
//
// Prints one JSON line with what it saw; pytest makes the assertions. Configuration comes from the
// environment (see test_browser.py); page.cjs has what every scenario does with the page.

const fs = require('fs');
const path = require('path');
const {
  env, TIMEOUT, bounded, step, budget, phone, open, label, waitFor, waitForLabel, tap, type, back, signIn, ask, run,
  contrast, keep,
} = require('./page.cjs');

const APP_URL = env('APP_URL');
const SERVER = env('MEMCHAT_SERVER');
const TOKEN = env('MEMCHAT_TOKEN');
const SHOTS = env('SCREENSHOTS');
const INSTRUCTIONS = env('INSTRUCTIONS'); // the project's instructions
const TOO_LONG = env('TOO_LONG'); // instructions over the limit: kept, not saved
const PROJECT_NAME = env('PROJECT_NAME');
const QUESTION = env('PROJECT_QUESTION'); // asked in a new chat inside the project

// What the server keeps: the first page of the list (with every project and every pin), read over a socket of
// its own until `test` holds (each step's change is stored before its answer frame reaches the app, but the
// list's index follows the table a moment later), then recorded under `what`.
async function stored(probe, seen, what, test) {
  step(`the server stores: ${what}`);
  const until = Date.now() + budget(TIMEOUT);
  for (;;) {
    const frame = await bounded(probe.evaluate(async (url) => {
      const socket = new WebSocket(url);
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = () => reject(new Error('the socket did not open'));
      });
      const page = new Promise((resolve) => {
        socket.onmessage = (event) => {
          const frame = JSON.parse(event.data);
          if (frame.type === 'conversations') resolve(frame);
        };
      });
      socket.send(JSON.stringify({ action: 'listConversations' }));
      const frame = await page;
      socket.close();
      return frame;
    }, `${SERVER}/?token=${TOKEN}`), `reading the server (${what})`);
    if (test(frame)) {
      seen.server[what] = frame;
      return frame;
    }
    if (Date.now() > until) throw new Error(`the server never showed ${what}: ${JSON.stringify(frame)}`);
    await probe.waitForTimeout(250);
  }
}

// A screen in both themes: its contrast measured, and its pictures, light and dark, the very ones measured
// (each taken once the page held still in its theme: a picture taken a fixed time after the switch once
// caught a dialog still light).
async function screen(page, seen, name, { picture = true } = {}) {
  const checks = await contrast(page, name);
  seen.contrast.push(...checks);
  if (!picture) return;
  for (const check of checks) {
    await keep(page, fs.readFileSync(check.file), `${name}${check.scheme === 'dark' ? '-dark' : ''}`);
  }
}

const row = (page, name) => label(page, name, { deep: true });

run(async (browser, seen) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  seen.contrast = [];
  seen.server = {};
  const probe = await (await browser.newContext()).newPage();
  const page = await phone(browser);
  await open(page, APP_URL);
  await signIn(page, SERVER, TOKEN);
  await waitFor(page, 'conversation-1'); // the two asked on another device

  // A project: instructions over the limit stay in the field, the note says by how much, nothing is saved.
  step('create a project');
  await tap(page, 'new-project');
  await type(page, 'project-name', PROJECT_NAME);
  await type(page, 'project-instructions', TOO_LONG);
  seen.overNote = await waitForLabel(page, 'project-instructions-count', (text) => text.includes('too long'),
    { deep: true });
  seen.keptText = await bounded(page.evaluate(() => document.activeElement?.value), 'reading the field');
  await type(page, 'project-instructions', INSTRUCTIONS);
  seen.note = await waitForLabel(page, 'project-instructions-count', (text) => !text.includes('too long'),
    { deep: true });
  await tap(page, 'confirm-project');
  seen.projectRow = await waitForLabel(page, 'project-0', (text) => text.includes(PROJECT_NAME), { deep: true });
  const created = await stored(probe, seen, 'created', (frame) => frame.projects.length === 1);
  const projectId = created.projects[0].projectId;
  await screen(page, seen, 'projects');

  // A new chat inside it: the chat says which project, and the answer comes.
  step('a new chat in the project');
  await tap(page, 'project-0');
  await waitFor(page, 'project-new-chat');
  seen.projectScreen = await row(page, 'project-instructions-card');
  await screen(page, seen, 'project', { picture: false });
  await tap(page, 'project-new-chat');
  await waitFor(page, 'composer');
  seen.chatProject = await waitForLabel(page, 'chat-project', (text) => text.includes(PROJECT_NAME));
  seen.answer = await ask(page, QUESTION, 1);
  await screen(page, seen, 'project-chat');
  await stored(probe, seen, 'chatted', (frame) => frame.conversations.some((c) => c.projectId === projectId));
  await back(page);
  await waitFor(page, 'project-conversation-0');
  await back(page);
  await waitFor(page, 'conversation-1');
  seen.rootRows = [await row(page, 'conversation-0'), await row(page, 'conversation-1')];

  // The newer of the two moves into the project, then back out of it.
  step('move a conversation into the project');
  await tap(page, 'more-0');
  await tap(page, 'move-to-0');
  seen.projectRowAfterMove = await waitForLabel(page, 'project-0', (text) => text.includes('2 chats'),
    { deep: true });
  await stored(probe, seen, 'moved in', (frame) => frame.conversations.filter((c) => c.projectId === projectId)
    .length === 2);
  step('move it out again');
  await tap(page, 'project-0');
  await waitFor(page, 'project-conversation-1');
  seen.projectRows = [await row(page, 'project-conversation-0'), await row(page, 'project-conversation-1')];
  await tap(page, 'project-more-1'); // the moved one: older than the chat started in the project
  await tap(page, 'move-out');
  await stored(probe, seen, 'moved out', (frame) => frame.conversations.filter((c) => c.projectId === projectId)
    .length === 1);
  await back(page);
  await waitFor(page, 'conversation-1');

  // The older of the two is pinned: it goes on top, marked.
  step('pin a conversation');
  const older = await row(page, 'conversation-1');
  await tap(page, 'more-1');
  await tap(page, 'menu-pin');
  seen.pinnedRow = await waitForLabel(page, 'conversation-0', (text) => text.includes('Pinned'), { deep: true });
  seen.pinnedWasOlder = older;
  seen.belowPinned = await row(page, 'conversation-1');
  await stored(probe, seen, 'pinned', (frame) => frame.conversations.some((c) => c.pinned));
  await screen(page, seen, 'pinned');

  // The project is deleted, its conversations kept: they are back in the list.
  step('delete the project, keeping its conversations');
  await tap(page, 'project-0');
  await tap(page, 'delete-project');
  await waitFor(page, 'delete-project-keep');
  seen.deleteDialog = await bounded(page.evaluate(() => [...document.querySelectorAll('flt-semantics')]
    .map((node) => node.getAttribute('aria-label') || (node.children.length ? '' : node.textContent))
    .filter((text) => text && text.trim()).join('\n')), 'reading the dialog');
  await screen(page, seen, 'delete-project');
  await tap(page, 'delete-project-keep');
  await tap(page, 'confirm-delete-project');
  await waitFor(page, 'conversation-2'); // all three in the list again
  seen.projectGone = (await label(page, 'project-0')) === null;
  await stored(probe, seen, 'deleted', (frame) => frame.projects.length === 0 && frame.conversations.length === 3);
});
