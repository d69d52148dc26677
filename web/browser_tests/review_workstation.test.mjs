// The review workstation in a real browser: headless Chromium (Debian's) driven by playwright-core,
// against `casenote serve` on a database the CLI prepared from scanned letters. A clerk signs in,
// clears the queue with the keyboard (an NHS number whose check digit is wrong is refused, the
// right one files the letter; a second letter is linked by searching the patient index), finds
// the letter again by search, and sees their name in its audit trail; requests without a session,
// without the CSRF token or from another site are refused.
//
// usage: node review_workstation.test.mjs --casenote PATH/casenote --out DIR
// Screenshots of what the clerk saw are left in DIR/screenshots/ (docs/screenshots/ holds a copy).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const { values: options } = parseArgs({ options: { casenote: { type: 'string' }, out: { type: 'string' } } });
if (!options.casenote || !options.out) throw new Error('usage: review_workstation.test.mjs --casenote PATH --out DIR');
const casenote = resolve(options.casenote);
const screenshots = join(resolve(options.out), 'screenshots');

const CLERK = 'clerk.ann';
const PASSWORD = 'a long enough password';
const MISPRINTED_NHS = '999 325 1030';  // as the letter's author typed it: the check digit is wrong
const NOWAK_NHS = '999 325 1003';
// Katarzyna Nowak registers after her letter was scanned, so the letter waits in the queue.
const NOWAK_REGISTRATION = 'nhs_number,hospital_number,family_name,given_names,date_of_birth,sex,postcode\n'
  + '9993251003,K8121239,NOWAK,Katarzyna Anna,1985-01-19,F,WF1 1UA\n';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Runs the CLI to completion; fails the test with its output when it fails.
function cli(args, input) {
  const run = spawnSync(casenote, args, { input, encoding: 'utf8', env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
  assert.equal(run.status, 0, `casenote ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

// Starts `casenote serve` on a free port and resolves with its address once it listens.
function serve(db) {
  const server = spawn(casenote, ['serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stderr.on('data', (chunk) => { log += chunk; });
  const address = new Promise((resolveAddress, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (found) resolveAddress(found[0].slice(0, -1));
    });
    server.on('exit', (code) => reject(new Error(`casenote serve ended (${code}) before listening:\n${out}${log}`)));
  });
  return { server, address, log: () => log };
}

describe('the review workstation in a browser', { concurrency: 1 }, () => {
  let work, server, base, browser, context, page;
  const documents = {};  // source file name -> document id

  before(async () => {
    work = mkdtempSync(join(process.env.TMPDIR || '/tmp', 'casenote-browser-'));
    const db = join(work, 'casenote.db');
    const scans = join(work, 'scans');
    const made = spawnSync('/usr/bin/python3', [join(here, 'misprinted_letter.py'), scans], { encoding: 'utf8' });
    assert.equal(made.status, 0, `misprinted_letter.py failed:\n${made.stderr}`);
    cli(['patients', 'import', '--db', db, join(repo, 'samples', 'patients.csv')]);
    cli(['ingest', '--db', db, '--workers', '1', join(scans, 'clinic_letter_nowak.jpg'), join(repo, 'samples', 'referral_jones.pdf')]);
    writeFileSync(join(work, 'registered.csv'), NOWAK_REGISTRATION);
    cli(['patients', 'import', '--db', db, join(work, 'registered.csv')]);
    cli(['users', 'add', '--db', db, CLERK], `${PASSWORD}\n`);
    for (const line of cli(['export', '--db', db, '--format', 'jsonl']).split('\n').filter(Boolean)) {
      const d = JSON.parse(line);
      assert.equal(d.status, 'needs_review', `${d.source} should wait for review`);
      documents[d.source.split('/').pop()] = d.document_id;
    }
    assert.ok(documents['clinic_letter_nowak.jpg'] && documents['referral_jones.pdf']);

    server = serve(db);
    base = await server.address;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    mkdirSync(screenshots, { recursive: true });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) {
      const ended = new Promise((done) => server.server.on('exit', done));
      server.server.kill('SIGTERM');
      await ended;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows nothing without a session', async () => {
    const stranger = await browser.newContext();
    try {
      for (const path of ['/api/queue', '/api/status', `/api/documents/${documents['clinic_letter_nowak.jpg']}`,
        `/api/documents/${documents['clinic_letter_nowak.jpg']}/pages/1/image`, '/api/patients?q=nowak', '/api/search?q=psoriasis']) {
        const answer = await stranger.request.get(base + path);
        assert.equal(answer.status(), 401, path);
        assert.doesNotMatch(await answer.text(), /NOWAK|JONES|9993251003/i, path);
      }
      const change = await stranger.request.post(`${base}/api/documents/${documents['referral_jones.pdf']}/reject`,
        { data: { reason: 'not signed in' } });
      assert.equal(change.status(), 401);
    } finally {
      await stranger.close();
    }
  });

  it('refuses a wrong password, then signs the clerk in to the queue', async () => {
    await page.goto(base + '/');
    await page.fill('#sign-in-name', CLERK);
    await page.fill('#sign-in-password', 'not the password at all');
    await page.keyboard.press('Enter');
    await page.locator('form.sign-in .error').filter({ hasText: 'wrong user name or password' }).waitFor();

    await page.fill('#sign-in-password', PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('#queue-count').filter({ hasText: '2 documents need review' }).waitFor();
    assert.equal(await page.locator('#queue-size').textContent(), '2');
    assert.equal(await page.locator('#queue-table tbody tr').count(), 2);
    const reasons = await page.locator('#queue-table').textContent();
    assert.match(reasons, /NHS number .* could not be read/, 'the misprinted number is not taken');
    assert.match(reasons, /date of birth differs/);
    await page.screenshot({ path: join(screenshots, 'review-queue.png') });
  });

  it('shows the page with a box over each field read, and its text', async () => {
    // J steps down the list to the letter, Enter opens it.
    const ids = await page.locator('#queue-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.id));
    for (let i = 0; i < ids.indexOf(documents['clinic_letter_nowak.jpg']); ++i) await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/#/documents/${documents['clinic_letter_nowak.jpg']}`);
    await page.locator('.page-figure.loaded').waitFor();
    assert.ok(await page.locator('.page-figure .field-box').count() >= 2, 'boxes over the fields read');
    assert.match(await page.locator('details.ocr pre').textContent(), /psoriasis/);
    await page.screenshot({ path: join(screenshots, 'document-view.png') });
  });

  it('refuses an NHS number whose check digit is wrong, as typed and at the server', async () => {
    await page.keyboard.press('c');
    const nhs = page.locator('#field-nhs_number');
    assert.equal(await nhs.evaluate((el) => el === document.activeElement), true, 'C puts the cursor in the NHS number');
    await nhs.fill(MISPRINTED_NHS);
    assert.match(await page.locator('#check-nhs_number').textContent(), /check digit wrong/);
    await nhs.press('Enter');
    await page.locator('#toast').filter({ hasText: 'Not saved' }).waitFor();
    assert.match(await page.locator('#doc-status').textContent(), /needs review/);

    // The server checks too, whatever the page does.
    const answer = await page.evaluate(async ([id, value]) => {
      const status = await (await fetch('/api/status')).json();
      const response = await fetch(`/api/documents/${id}/correct`, { method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': status.csrf_token },
        body: JSON.stringify({ field: 'nhs_number', value }) });
      return { status: response.status, body: await response.json() };
    }, [documents['clinic_letter_nowak.jpg'], MISPRINTED_NHS]);
    assert.equal(answer.status, 400);
    assert.match(answer.body.error, /NHS number|check/i);
  });

  it('files the letter once the right NHS number is typed', async () => {
    const nhs = page.locator('#field-nhs_number');
    await nhs.fill(NOWAK_NHS);
    assert.match(await page.locator('#check-nhs_number').textContent(), /valid NHS number/);
    await nhs.press('Enter');
    await page.locator('#doc-status').filter({ hasText: 'filed' }).waitFor();
    assert.match(await page.locator('.filed-to').textContent(), /NOWAK, Katarzyna Anna/);
    await page.locator('#queue-size').filter({ hasText: /^1$/ }).waitFor();
  });

  it('links the other letter to a patient found by name, and it leaves the queue', async () => {
    await page.keyboard.press('q');
    await page.locator('#queue-count').filter({ hasText: '1 document needs review' }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/#/documents/${documents['referral_jones.pdf']}`);
    await page.locator('#doc-status').waitFor();
    await page.keyboard.press('l');
    await page.keyboard.type('jones 12/06/1971');
    const gareth = page.locator('#link-results li', { hasText: 'JONES, Gareth Rhys' });
    await gareth.waitFor();
    assert.equal(await page.locator('#link-results li').count(), 1, 'the date of birth narrows the search to one patient');
    await page.keyboard.press('Enter');
    await page.locator('#confirm').filter({ hasText: 'Link to JONES, Gareth Rhys' }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('#doc-status').filter({ hasText: 'filed' }).waitFor();
    await page.locator('#queue-size').filter({ hasText: /^0$/ }).waitFor();

    await page.keyboard.press('q');
    await page.locator('#queue-count').filter({ hasText: '0 documents need review' }).waitFor();
    assert.equal(await page.locator('#queue-table').count(), 0);
  });

  it('finds the filed letter by search', async () => {
    await page.keyboard.press('s');
    await page.locator('#search-q').waitFor();
    await page.keyboard.type('psoriasis');
    await page.keyboard.press('Enter');
    const hit = page.locator('#search-results li.hit', { hasText: 'NOWAK, Katarzyna Anna' });
    await hit.waitFor();
    assert.match(await hit.locator('.snippet mark').first().textContent(), /psoriasis/i);
    await page.screenshot({ path: join(screenshots, 'search.png') });

    // Its searchable PDF opens, and filing it moved the PDF out of the unfiled folder.
    const pdf = await context.request.get(new URL(await hit.locator('a.pdf').getAttribute('href'), base).href);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
    const id = documents['clinic_letter_nowak.jpg'];
    const archive = join(work, 'casenote-archive');
    assert.ok(!existsSync(join(archive, 'unfiled', `${id}.pdf`)), 'the PDF left unfiled/');
    const filedUnder = readdirSync(archive).filter((folder) => existsSync(join(archive, folder, `${id}.pdf`)));
    assert.equal(filedUnder.length, 1, 'the PDF is in one patient\'s folder');
    assert.notEqual(filedUnder[0], 'unfiled');
  });

  it('shows the clerk in the audit trail and the letter on the patient\'s timeline', async () => {
    await page.locator('#search-results li.hit a', { hasText: 'clinic letter' }).click();
    const audit = page.locator('#audit');
    await audit.waitFor();
    const corrected = audit.locator('tr', { hasText: '→ 9993251003' });
    assert.equal(await corrected.count(), 1);
    assert.equal(await corrected.locator('td.user').textContent(), CLERK);

    await page.locator('.filed-to a').click();
    await page.locator('#timeline').filter({ hasText: 'clinic letter' }).waitFor();
    assert.match(await page.locator('#audit').textContent(), new RegExp(CLERK.replace('.', '\\.')));
  });

  it('shows the dashboard with its charts', async () => {
    await page.keyboard.press('d');
    await page.locator('svg.bar-chart').first().waitFor();
    assert.equal(await page.locator('svg.bar-chart').count(), 3);
    await page.screenshot({ path: join(screenshots, 'dashboard.png') });
  });

  it('refuses a change without the CSRF token or from another site', async () => {
    const id = documents['referral_jones.pdf'];
    const status = await (await context.request.get(`${base}/api/status`)).json();
    const attempts = [
      { headers: {}, why: 'no CSRF token' },
      { headers: { 'X-CSRF-Token': 'a'.repeat(64) }, why: 'a wrong CSRF token' },
      { headers: { 'X-CSRF-Token': status.csrf_token, Origin: 'http://attacker.example' }, why: 'another site' },
    ];
    for (const { headers, why } of attempts) {
      const answer = await context.request.post(`${base}/api/documents/${id}/reject`, { headers, data: { reason: why } });
      assert.equal(answer.status(), 403, why);
    }
    const document = await (await context.request.get(`${base}/api/documents/${id}`)).json();
    assert.equal(document.status, 'filed', 'nothing was changed');
    assert.doesNotMatch(server.log(), /9993251003|NOWAK|JONES/i, 'the server log names no patient');
  });
});
