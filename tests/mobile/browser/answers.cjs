// The browser half of tests/mobile/test_browser.py's answers that survive: drives the Flet web app in
// headless Chromium against a stack whose answers are long (replay mode), so there is time to act mid-answer.
//
// On a 390x844 phone: asks for code and copies the code block; asks a long question, pictures its answer
// being written and reloads the page in the middle of it, which the new session resumes to the end; asks
// again and, while the answer is written, opens the conversation on a second phone (another browser profile, signed in on its own), then kills
// the stack's worker environments: both phones show the answer interrupted, with its text and a Retry on
// screen, and Retry on the second phone answers again in place (the interrupted answer kept as an
// alternative). Then the model is put to sleep, as the night schedule leaves it: the next question shows
// "Waking the assistant, about N min" where the answer will be, and the answer streams in place once a
// copy is up. Saves screenshots.
//
// Prints one JSON line with what it saw; pytest makes the assertions. Configuration comes from the
// environment (see test_browser.py); page.cjs has what every scenario does with the page.

const fs = require('fs');
const path = require('path');
const {
  env, id, TIMEOUT, step, budget, phone, open, label, box, waitFor, waitForLabel, tap, shot, copied, signIn, ask,
  follow, run, contrast, endpoint,
} = require('./page.cjs');

const APP_URL = env('APP_URL');
const SERVER = env('MEMCHAT_SERVER');
const TOKEN = env('MEMCHAT_TOKEN');
const SHOTS = env('SCREENSHOTS');
const CODE = env('CODE'); // asks for code: the answer has a code block
const LONG = env('LONG'); // reloaded in the middle of its answer
const DYING = env('DYING'); // its worker is killed in the middle of its answer
const WAKING = env('WAKING'); // asked of a model that is asleep: its answer waits for the wake
// The local endpoint (ENDPOINT_URL, page.cjs's `endpoint`): /local/sleep and /local/wake drive the wake,
// /local/pause and /local/resume hold an answer in the middle (memchat_local/flow.py).
// Events an answer sends before the pause holds it: 40 of the replay's words, past MID_ANSWER's 80 characters.
const HELD_AFTER = 40;
const STACK_PID = Number(env('STACK_PID'));
const MID_ANSWER = (answer, status) => status.includes('Writing') && answer.length > 80;

async function model(action) {
  return (await endpoint(action)).state;
}

// Kill the stack's worker environments (its child processes that run asynchronous invocations), as
// tests/integration/test_end_states.py does: what they were generating is lost with them.
function killWorkers() {
  const killed = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parent === STACK_PID && command.includes('multiprocessing')) {
        process.kill(Number(entry), 'SIGKILL');
        killed.push(Number(entry));
      }
    } catch {
      // the process ended while it was read
    }
  }
  return killed;
}

// After a reload the app comes back where it was, or to the list: open the conversation if needed.
async function reopen(page, index) {
  await page.waitForFunction(([bubble, row]) => document.querySelector(bubble) || document.querySelector(row),
    [id(`message-${index}`), id('conversation-0')], { timeout: budget(TIMEOUT), polling: 100 });
  if ((await label(page, `message-${index}`)) === null) await tap(page, 'conversation-0');
  await waitFor(page, `message-${index}`);
}

run(async (browser, seen) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const first = await phone(browser);
  await open(first, APP_URL);
  await signIn(first, SERVER, TOKEN);
  await tap(first, 'new-chat');
  await waitFor(first, 'composer');

  // Copy a code block: the clipboard holds the code, without its fences.
  seen.code = await ask(first, CODE, 1);
  step('copy the code block');
  await tap(first, 'copy-code-1-0');
  seen.copiedCode = await copied(first);
  await shot(first, 'code-answer');
  seen.contrast = await contrast(first, 'code-answer');

  // Resume: reload while the answer is being written; the new session reads the conversation (the answer
  // streaming, with the deltas its saved text covers) and follows it to the end on its new socket. The endpoint
  // holds the answer mid-way until the page is back, so that the reload lands in the middle of it however long
  // the page takes to load on a loaded machine.
  seen.heldForReload = await endpoint(`pause?after=${HELD_AFTER}`);
  seen.beforeReload = await ask(first, LONG, 3, { stopWhen: MID_ANSWER });
  // The streaming picture, at a known moment: the answer is held while it is being written, and it still is
  // once the picture is taken, which the test checks.
  step('picture the answer being written');
  await first.screenshot({ path: path.join(SHOTS, 'streaming-answer.png') });
  seen.streamingShot = await label(first, 'message-status-3');
  step('reload mid-answer');
  await first.reload();
  await open(first, APP_URL);
  await reopen(first, 3);
  seen.afterReload = {
    answer: await label(first, 'message-3'),
    status: await label(first, 'message-status-3'),
  };
  await shot(first, 'resumed-answer');
  seen.releasedAfterReload = await endpoint('resume');
  seen.resumed = await follow(first, 3);

  // A dead worker: the answer is being written and followed on two phones when the worker dies. The lease
  // runs out, the sweep ends the answer (interrupted, with the text saved so far) and tells both phones.
  // The endpoint holds the answer in the middle until then, so that it is still being written when the second
  // phone has opened it, however long that takes on a loaded machine.
  seen.held = await endpoint(`pause?after=${HELD_AFTER}`);
  seen.beforeKill = await ask(first, DYING, 5, { stopWhen: MID_ANSWER });
  step('a second phone follows the answer');
  const second = await phone(browser);
  await open(second, APP_URL);
  await signIn(second, SERVER, TOKEN);
  await tap(second, 'conversation-0');
  seen.secondFollowing = await waitForLabel(second, 'message-status-5', (status) => status.includes('Writing'));
  step('kill the worker');
  seen.killed = killWorkers();
  seen.interrupted = {};
  for (const [name, page] of [['first', first], ['second', second]]) {
    seen.interrupted[name] = {
      status: await waitForLabel(page, 'message-status-5', (status) => status.startsWith('Interrupted')),
      answer: await label(page, 'message-5'),
      retry: await box(page, 'retry-5'),
      statusBox: await box(page, 'message-status-5'),
    };
  }
  await shot(second, 'interrupted-answer');
  seen.contrast.push(...await contrast(second, 'interrupted-answer'));
  seen.released = await endpoint('resume');

  // Retry on the second phone answers again in place; the interrupted answer stays reachable ("1/2").
  step('retry the interrupted answer');
  await tap(second, 'retry-5');
  await waitFor(second, 'stop'); // the new answer has started
  seen.retried = await follow(second, 5);
  seen.alternatives = await waitForLabel(second, 'alt-count-5', (text) => text.length > 0);

  // The model wakes while the user waits: no copy runs until the test says so. The question is stored and
  // the bubble says how long the wake should take; once a copy is up, the answer streams in place.
  step('the model sleeps');
  seen.slept = await model('sleep?hold=true');
  await ask(first, WAKING, 7, { stopWhen: () => true });
  step('the model wakes');
  seen.waking = await waitForLabel(first, 'waking', (text) => text.startsWith('Waking the assistant'));
  // (No contrast check here: the bubble's spinner turns until the answer comes, so the page never holds
  // still for one. The waking line is drawn in the colour of the bubbles' other notes, checked above.)
  await shot(first, 'waking-answer');
  seen.woke = await model('wake');
  seen.awoken = await follow(first, 7);
});
