// Drives WOW Bot through the Microsoft 365 Agents Playground in headless Chromium, as a Teams
// user would: help, a gift form refused then sent, a colleague's gift approved and another
// declined with the cards' own buttons, a pushed poor rating's recovery case taken and resolved. Prints what it saw; exits 1 if anything was wrong.
//
// Run by scripts/playground/run.sh, which starts the bot and the Playground first.
// Environment: PLAYGROUND_URL (http://localhost:56150), BOT_URL (http://127.0.0.1:3978),
// CHROMIUM (/usr/bin/chromium), SHOTS (a folder for screenshots, optional).
const { chromium } = require('playwright-core');

const PLAYGROUND = process.env.PLAYGROUND_URL || 'http://localhost:56150';
const BOT = process.env.BOT_URL || 'http://127.0.0.1:3978';
const SHOTS = process.env.SHOTS || '';
// The Playground's default configuration: its tenant, bot and second user.
const TENANT = '00000000-0000-0000-0000-0000000000001';
const TEST_BOT = { id: '00000000-0000-0000-0000-00000000000011', name: 'Test Bot' };
const MEGAN = { id: 'user-id-1', name: 'Megan Bowen' };
const ALEX = { id: 'user-id-0', name: 'Alex Wilber' };

const failures = [];
function check(what, ok, seen) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : `\n     saw: ${JSON.stringify(seen)}`}`);
  if (!ok) failures.push(what);
}

const clean = (text) => text.replace(/[\u2060\u200b]/g, '');

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const shot = async (name) => SHOTS && page.screenshot({ path: `${SHOTS}/${name}.png` });
  const cards = () => page.locator('.ac-adaptiveCard');
  const lastCard = () => cards().last();
  const textOf = async (card) => clean(await card.innerText());
  const settle = (ms = 2500) => page.waitForTimeout(ms);

  async function say(text, { answered = true } = {}) {
    const before = await cards().count();
    const box = page.locator('[data-lexical-editor="true"]').last();
    await box.click();
    await box.type(text);
    await page.keyboard.press('Enter');
    if (!answered) return settle();
    await page.waitForFunction(
      (n) => document.querySelectorAll('.ac-adaptiveCard').length > n, before, { timeout: 15000 },
    );
    await settle(800);
    return lastCard();
  }

  async function open(chat) {
    await page.getByText(chat, { exact: true }).first().click();
    await settle(1500);
  }

  await page.goto(PLAYGROUND);
  await page.waitForSelector('[data-lexical-editor="true"]', { timeout: 30000 });
  await settle();

  // 1. Help: a table, in Teams' words (no slash commands).
  const help = await textOf(await say('help'));
  check('help lists every command', help.includes('WOW Bot commands') && help.includes('followups'), help);
  check('help has no /wow', !help.includes('/wow'), help);
  // Laid out in columns: each command's name starts at the same x, and so does its text.
  const lefts = await lastCard().locator('.ac-textRun').evaluateAll((runs) => {
    const x = (pick) => runs.filter(pick).map((r) => Math.round(r.getBoundingClientRect().left));
    return {
      names: x((r) => ['hero', 'gift', 'kpi', 'admin'].includes(r.innerText.trim())),
      texts: x((r) => /^(recognise a colleague|propose a WOW|today's KPIs|roles, channels)/.test(r.innerText)),
    };
  });
  check('help is laid out in columns that line up', lefts.names.length === 4 && lefts.texts.length === 4
    && new Set(lefts.names).size === 1 && new Set(lefts.texts).size === 1
    && lefts.texts[0] > lefts.names[0], lefts);
  await shot('1-help');

  // 1b. KPIs: each trend drawn as a small bar chart (an image), not as glyphs.
  const kpis = await say('kpi');
  const charts = await kpis.locator('img').evaluateAll((images) => images.map((i) => i.naturalWidth));
  check('KPI trends are bar charts', charts.length >= 2 && charts.every((w) => w > 0), charts);
  check('… without sparkline glyphs', !/[▁▂▃▄▅▆▇█]/.test(await textOf(kpis)), await textOf(kpis));
  await shot('1b-kpis');

  // 2. The gift form: refused with what was typed kept and the error beside the cost;
  //    then sent, and the form replaced by the answer.
  const form = await say('gift');
  const cost = form.getByLabel(/Cost in USD/);
  check('the cost hint names the workspace currency', (await cost.count()) === 1, await textOf(form));
  await form.getByLabel(/^Customer/).fill('Acme Dental');
  await form.getByLabel(/^Gift/).fill('pizza');
  await cost.fill('40 EUR');
  await form.getByRole('button', { name: 'Propose' }).click();
  await settle();
  const refused = lastCard();
  const refusedText = await textOf(refused);
  check('a refused form comes back with the error', refusedText.includes('budgets in USD'), refusedText);
  check('… and what was typed', (await refused.getByLabel(/^Customer/).inputValue()) === 'Acme Dental'
    && (await refused.getByLabel(/Cost in USD/).inputValue()) === '40 EUR', refusedText);
  await shot('2-refused');
  await refused.getByLabel(/Cost in USD/).fill('40');
  await refused.getByRole('button', { name: 'Propose' }).click();
  await settle();
  const answer = cards().filter({ hasText: 'Proposed WOW gift #1 for Acme Dental' });
  const sent = (await answer.count()) ? await textOf(answer.last()) : '';
  check('a sent form is replaced by its answer', sent !== '', await cards().allInnerTexts());
  check('… and no form is left', (await page.getByLabel(/Cost in USD/).count()) === 0, sent);
  await shot('3-sent');

  // 3. Gifts go to General; a colleague proposes two; Alex (admin) approves one and declines
  //    the other with the cards' buttons.
  await open('General');
  await say('admin channel gifts', { answered: false }); // answered in the personal chat
  for (const text of ['gift Beta Clinic: flowers $30', 'gift Gamma Ltd: a mug $10']) {
    await propose(text);
  }
  await settle(4000);
  await shot('4-asks');
  const askOf = (n) => cards().filter({ hasText: `decline gift #${n} for` });
  check('the managers\' asks arrived', (await askOf(2).count()) === 1 && (await askOf(3).count()) === 1,
    await cards().allInnerTexts());
  await askOf(2).getByRole('button', { name: 'Approve' }).click();
  await settle();
  const approved = cards().filter({ hasText: 'Decision on gift #2' });
  const approvedText = (await approved.count()) ? await textOf(approved.last()) : '';
  check('the clicked ask is redrawn with the decision', approvedText.includes('approved by Alex Wilber'),
    await cards().allInnerTexts());
  check('… and no buttons', (await approved.last().getByRole('button').count()) === 0, approvedText);

  await askOf(3).getByRole('button', { name: 'Decline' }).click();
  await settle();
  const reasonForm = cards().filter({ hasText: "Decline gift" }).last();
  check('Decline opens the reason form in place', (await reasonForm.count()) === 1, await cards().allInnerTexts());
  await reasonForm.locator('textarea, input').first().fill('we sent them one last week');
  await reasonForm.getByRole('button', { name: 'Decline' }).click();
  await settle();
  const declined = cards().filter({ hasText: 'Decision on gift #3' });
  const declinedText = (await declined.count()) ? await textOf(declined.last()) : '';
  check('the reason form is replaced by the decision',
    declinedText.includes('declined by Alex Wilber: we sent them one last week')
    && (await cards().filter({ hasText: "Decline gift" }).count()) === 0, await cards().allInnerTexts());
  await shot('5-decided');

  // 4. Customer voice: a helpdesk pushes a poor rating about Megan; the case opens as a new
  //    thread in General (the recovery channel); Alex takes it and resolves it on the cards.
  // Typed in a channel, the Playground's own box does not address the bot (no @mention):
  // Alex's command is posted as the Playground would post a message that mentions it.
  await post('admin channel recovery', ALEX);
  await open('Personal Chat');
  const keyCard = await textOf(await say('admin apikey create playground'));
  const key = (keyCard.match(/wow_[\w-]+/) || [''])[0];
  check('an API key is shown, copyable', key.length > 20, keyCard);
  const pushed = await fetch(`${BOT}/api/feedback`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: JSON.stringify({
      customer: 'Acme Dental', score: 1, scale: 'csat5', ticket: 'ZD-1',
      comment: 'Nobody called back', agent: MEGAN.id,
    }),
  });
  check('the helpdesk\'s push is taken', pushed.status === 201, pushed.status);
  await open('General');
  await settle(4000);
  const caseRoot = cards().filter({ hasText: 'Service recovery #1: Acme Dental rated 1/5' });
  const rootText = (await caseRoot.count()) ? await textOf(caseRoot.last()) : '';
  check('the case is posted with its agent and due time',
    rootText.includes(MEGAN.name) && rootText.includes('Contact by'), await cards().allInnerTexts());
  const caseAsk = cards().filter({ hasText: 'Who takes case #1' });
  check('its ask has the four buttons', (await caseAsk.count()) === 1
    && (await caseAsk.getByRole('button').count()) === 4, await cards().allInnerTexts());
  await shot('6-case');
  await caseAsk.getByRole('button', { name: 'Take it' }).click();
  await settle();
  const owned = cards().filter({ hasText: "Case #1 is Alex Wilber's" });
  check('Take it redraws the ask for its owner', (await owned.count()) === 1
    && (await owned.getByRole('button', { name: 'Take it' }).count()) === 0, await cards().allInnerTexts());
  await owned.getByRole('button', { name: 'Resolved' }).click();
  await settle();
  const resolveForm = cards().filter({ hasText: 'Resolve case #1: Acme Dental' }).last();
  check('Resolved opens its form in place', (await resolveForm.count()) === 1, await cards().allInnerTexts());
  await resolveForm.locator('input[type=checkbox]').first().check();
  await resolveForm.locator('textarea').first().fill('Called, refunded the visit');
  await resolveForm.getByRole('button', { name: 'Resolve' }).click();
  await settle(4000);
  check('the form is replaced by the outcome',
    (await cards().filter({ hasText: 'Case #1 is resolved: recovered.' }).count()) === 1,
    await cards().allInnerTexts());
  const rootNow = cards().filter({ hasText: 'Service recovery #1' }).first();
  check('the root shows the outcome', (await textOf(rootNow)).includes('Recovered: Called, refunded the visit'),
    await textOf(rootNow));
  await shot('7-resolved');

  // 5. A reload (Teams says "installed" again): still one welcome.
  await page.reload();
  await page.waitForSelector('[data-lexical-editor="true"]', { timeout: 30000 });
  await settle(3000);
  await open('Personal Chat');
  const welcomes = await cards().filter({ hasText: "Hi, I'm WOW Bot" }).count();
  check('one welcome in the personal chat', welcomes <= 1, welcomes);

  await browser.close();
  console.log(failures.length ? `\n${failures.length} check(s) failed` : '\nall checks passed');
  process.exit(failures.length ? 1 : 0);
}

// A message in General, posted to the bot as the Playground would send it.
async function propose(text) {
  return post(text, MEGAN);
}

async function post(text, who) {
  const activity = {
    type: 'message',
    id: `drive-${Date.now()}-${Math.random()}`,
    channelId: 'msteams',
    serviceUrl: `${PLAYGROUND}/_connector`,
    from: { ...who, aadObjectId: `00000000-0000-0000-0000-00000000002${who.id.slice(-1)}` },
    recipient: TEST_BOT,
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: 'team-id' },
    channelData: { channel: { id: 'team-id' }, team: { id: 'team-id', name: 'My Team' }, tenant: { id: TENANT } },
    text,
    textFormat: 'plain',
  };
  const response = await fetch(`${BOT}/api/messages`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity),
  });
  check(`${who.name}: ${text}`, response.status < 300, response.status);
}

main().catch((error) => { console.error(error); process.exit(1); });
