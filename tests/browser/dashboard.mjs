// dashboard.mjs: the dashboard as people use it, in Debian's Chromium
// driven by playwright-core (headless, no browser download). It is started
// by tests/browser/test_dashboard.c, which crawled the demo into a store,
// added the users, started `mediawatch serve` on it and a fixture server
// with one breaking complaint, and passes everything through the
// environment (below). In order:
//
//   1. login: a page asked for without a session goes to /login?next=;
//      a wrong password is refused on the page; the duty officer signs in
//      and lands where he was going;
//   2. the overview draws its cards, targets and daily chart;
//   3. the alert queue is open when the complaint board's feed gains an
//      entry (MW_BREAKING_NEXT moved onto MW_BREAKING_FEED, which a fixture
//      server serves) and a second `mediawatch crawl --once` with the
//      server's own config (MW_CONFIG) stores it: its title carries
//      <script> and <img onerror> markup: the row arrives through the
//      event stream without a reload, and the title is text (no element
//      made from it, no dialog, nothing refused by the CSP);
//   4. the officer acknowledges it and assigns it to a unit from the row;
//      the row follows, and the API's audit trail names him;
//   5. the alert's own page, search for 无废城市 (hits with <mark>), the
//      sources, the reports page and this week's HTML report from its link;
//   6. a viewer sees the queue without a single action button, and the
//      API refuses him an action; on a phone's width the overview and the
//      queue fit the screen;
//   7. signing out ends the session.
//
// A screenshot of every page goes to MW_SHOTS_DIR (its path printed); a
// failing step leaves FAIL-<step>.png there too. Any error on a page or in
// its console (a CSP refusal, an exception in app.js) fails the run. Exit
// status 0 only when every check held; the driver fails the test else.
//
// Environment: MW_URL (http://127.0.0.1:PORT), MW_BIN (mediawatch),
// MW_CONFIG, MW_BREAKING_FEED, MW_BREAKING_NEXT, MW_BREAKING_TITLE (the
// complaint's title, as text), MW_DUTY_USER, MW_DUTY_PASSWORD,
// MW_VIEWER_USER, MW_VIEWER_PASSWORD, MW_OPEN_ALERTS (open alerts before
// the second crawl), MW_SHOTS_DIR, MW_CHROMIUM (default /usr/bin/chromium),
// MW_PLAYWRIGHT (playwright-core's index.mjs).

import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

const T_ACTION = 15000; // any one wait or click
const T_LIVE = 15000; // a stored alert reaching the open queue (polls 500 ms)
const T_SEARCH = 20000; // the search indexer runs every 2 s

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run through test_dashboard)`);
  return v;
}

const cfg = {
  url: need('MW_URL'),
  bin: need('MW_BIN'),
  config: need('MW_CONFIG'),
  feed: need('MW_BREAKING_FEED'),
  feedNext: need('MW_BREAKING_NEXT'),
  breakingTitle: need('MW_BREAKING_TITLE'),
  duty: need('MW_DUTY_USER'),
  dutyPassword: need('MW_DUTY_PASSWORD'),
  viewer: need('MW_VIEWER_USER'),
  viewerPassword: need('MW_VIEWER_PASSWORD'),
  openAlerts: Number(need('MW_OPEN_ALERTS')),
  shots: need('MW_SHOTS_DIR'),
  chromium: process.env.MW_CHROMIUM || '/usr/bin/chromium',
  playwright: need('MW_PLAYWRIGHT'),
};
const UNIT = '绿园区生态环境分局';
const QUERY = '无废城市';

const { chromium } = await import(cfg.playwright);
mkdirSync(cfg.shots, { recursive: true });

// ------------------------------------------------------------- reporting

const problems = []; // page errors and console errors, from every page
// Refusals the test provokes on purpose: Chromium logs each failed fetch
// as a console error ("Failed to load resource: ... 401"), which is
// expected only for these paths, only with this status.
const provoked = [];
let current = 'start';
let activePage = null;

function check(cond, what) {
  if (!cond) throw new Error(what);
}
function equal(got, want, what) {
  if (got !== want)
    throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

async function shot(page, name) {
  const path = join(cfg.shots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

async function step(name, fn) {
  current = name;
  const t0 = Date.now();
  await fn();
  console.log(`ok ${name} (${Date.now() - t0} ms)`);
}

// Every page of a context reports its errors and dialogs here.
function watch(context, who) {
  context.on('page', (page) => {
    page.on('pageerror', (e) => problems.push(`${who} ${current}: page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const loc = m.location() ? m.location().url : '';
      // Chromium asks for /favicon.ico on its own; the dashboard has none.
      if (/favicon\.ico$/.test(loc)) return;
      const st = /status of (\d{3})/.exec(m.text());
      if (st && provoked.some((p) => loc.endsWith(p.path) && p.status === Number(st[1])))
        return;
      problems.push(`${who} ${current}: console: ${m.text()} (${loc})`);
    });
    page.on('dialog', (d) => {
      problems.push(`${who} ${current}: a dialog opened ("${d.message()}"): markup ran`);
      d.dismiss().catch(() => {});
    });
  });
}

// Before any script of a page: remember every EventSource app.js opens, so
// the test knows when the live stream is connected, and every element a
// script or parser adds after the first load, so a title made into markup
// shows.
function spy() {
  const Native = window.EventSource;
  window.__mwStreams = [];
  if (Native)
    window.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        window.__mwStreams.push(this);
      }
    };
  window.__mwAdded = [];
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          const bad = n.matches('script, img, iframe, object, embed')
            ? [n]
            : [...n.querySelectorAll('script, img, iframe, object, embed')];
          for (const b of bad) window.__mwAdded.push(b.outerHTML.slice(0, 200));
        }
    }).observe(document.documentElement, { childList: true, subtree: true });
  });
}

// Elements a text could have become, anywhere in the document; the frame
// has exactly one script (/static/app.js) and no images.
async function noMarkupFromData(page, where) {
  const r = await page.evaluate(() => ({
    scripts: [...document.scripts].map((s) => s.getAttribute('src') || '(inline)'),
    others: [...document.querySelectorAll('img, iframe, object, embed')].map((e) =>
      e.outerHTML.slice(0, 200)),
    added: window.__mwAdded || [],
  }));
  equal(JSON.stringify(r.scripts), JSON.stringify(['/static/app.js']), `${where}: script elements`);
  equal(r.others.length, 0, `${where}: img/iframe/object elements (${r.others.join(' | ')})`);
  equal(r.added.length, 0, `${where}: elements added by script (${r.added.join(' | ')})`);
}

async function signIn(page, name, password, next) {
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === next, { timeout: T_ACTION }),
    page.click('#login-submit'),
  ]);
}

// The complaint reaches the board's feed, and the crawler polls once.
function crawlBreaking() {
  // Modified later than the copy the first crawl saw, whatever validator
  // the crawler sends (the fixture's ETag is of the content, its
  // Last-Modified the file's time, in whole seconds).
  const later = Date.now() / 1000 + 2;
  utimesSync(cfg.feedNext, later, later);
  renameSync(cfg.feedNext, cfg.feed);
  return new Promise((resolve, reject) => {
    execFile(cfg.bin, ['crawl', '--once', '--config', cfg.config],
      { timeout: 30000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`the second crawl failed: ${err.message}\n${stdout}\n${stderr}`));
        else resolve(stdout + stderr);
      });
  });
}

// The JSON of GET path, with the page's session.
async function apiGet(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch(p, { headers: { Accept: 'application/json' } });
    return { status: r.status, body: await r.json() };
  }, path);
}

// What lets a user act on an alert (the audit trail's rows carry
// data-action too, naming what was done: not a control).
const ACTIONS = 'button[data-action], [data-action][data-id], input[name="unit"], ' +
  'textarea[name="comment"]';
// "2026-W48": the ISO week of today in Asia/Shanghai (examples/demo.yaml's
// timezone, which the reports count in).
function isoWeekNow() {
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
    .format(new Date()); // 2026-11-26
  const [y, m, d] = ymd.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  const dow = day.getUTCDay() || 7; // Monday 1 .. Sunday 7
  day.setUTCDate(day.getUTCDate() + 4 - dow); // the Thursday of its week
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const rowSel = (id) => `tr[data-alert-id="${id}"]`;

// ------------------------------------------------------------- the story

const browser = await chromium.launch({
  executablePath: cfg.chromium,
  headless: true,
  chromiumSandbox: false,
  timeout: 30000,
  args: ['--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let status = 0;
try {
  const duty = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  duty.setDefaultTimeout(T_ACTION);
  await duty.addInitScript(spy);
  watch(duty, cfg.duty);
  const page = await duty.newPage();
  activePage = page;
  let alertId = null;

  await step('login', async () => {
    await page.goto(`${cfg.url}/alerts`);
    const u = new URL(page.url());
    equal(u.pathname, '/login', 'a page without a session goes to');
    equal(u.searchParams.get('next'), '/alerts', 'the sign-in page\'s next=');
    await page.waitForSelector('#login-form');
    await shot(page, '01-login');
    await page.fill('#login-name', cfg.duty);
    await page.fill('#login-password', 'not-the-password');
    provoked.push({ path: '/api/login', status: 401 });
    await page.click('#login-submit');
    await page.waitForFunction(
      () => document.querySelector('#login-error').textContent.trim() !== '');
    equal(new URL(page.url()).pathname, '/login', 'after a wrong password the page');
    const cookies = await duty.cookies();
    equal(cookies.filter((c) => c.name === 'mw_session').length, 0,
      'session cookies after a wrong password');
    await signIn(page, cfg.duty, cfg.dutyPassword, '/alerts');
    const c = (await duty.cookies()).find((k) => k.name === 'mw_session');
    check(c && /^[0-9a-f]{64}$/.test(c.value), 'no mw_session cookie of 64 hex digits');
    check(c.httpOnly, 'the session cookie is not HttpOnly');
    equal(c.sameSite, 'Strict', 'the session cookie\'s SameSite');
  });

  await step('overview', async () => {
    await page.goto(`${cfg.url}/`);
    equal((await page.textContent('main h1')).trim(), '本周概览', 'overview heading');
    check(await page.$('#total .n'), 'overview: no #total card');
    check(await page.$('svg#chart-daily'), 'overview: no daily chart svg#chart-daily');
    const targets = await page.$$('#targets tr.target');
    check(targets.length > 0, 'overview: no targets in #targets');
    await noMarkupFromData(page, 'overview');
    await shot(page, '02-overview');
  });

  await step('alert arrives', async () => {
    await page.goto(`${cfg.url}/alerts`);
    equal(await page.getAttribute('meta[name="role"]', 'content'), 'duty', 'meta role');
    check(/^[0-9a-f]{16,}$/.test(await page.getAttribute('meta[name="csrf"]', 'content') || ''),
      'no CSRF token in <meta name="csrf">');
    const rows = await page.$$('tr[data-alert-id]');
    equal(rows.length, cfg.openAlerts, 'alert rows before the second crawl');
    const newRows = await page.$$('tr[data-alert-id][data-state="new"]');
    const ackButtons = await page.$$('tr[data-alert-id][data-state="new"] button[data-action="ack"]');
    equal(ackButtons.length, newRows.length, 'ack buttons on new alerts');
    // Connected to the stream before anything is stored, so the new alert
    // is after the point the stream starts from.
    await page.waitForFunction(() => window.__mwStreams.some((s) => s.readyState === 1),
      null, { timeout: T_ACTION });
    const streamUrl = await page.evaluate(() => window.__mwStreams[0].url);
    equal(new URL(streamUrl).pathname, '/api/events', 'the live stream');
    await page.evaluate(() => { window.__mwSameDocument = true; });
    const t0 = Date.now();
    const out = await crawlBreaking();
    check(/new articles: 1\n/.test(out) && /alerts: 1 articles raised/.test(out),
      `the second crawl did not store one article raising one alert:\n${out}`);
    // Found by the words after the markup, so a title made into elements
    // still arrives, and fails the checks below with a clear message.
    const words = cfg.breakingTitle.slice(cfg.breakingTitle.lastIndexOf('>') + 1);
    const handle = await page.waitForFunction((w) => {
      for (const tr of document.querySelectorAll('tr[data-alert-id]'))
        if (tr.textContent.includes(w)) return tr.getAttribute('data-alert-id');
      return null;
    }, words, { timeout: T_LIVE, polling: 100 });
    alertId = await handle.jsonValue();
    console.log(`alert ${alertId} shown ${Date.now() - t0} ms after the crawl started`);
    check(await page.evaluate(() => window.__mwSameDocument === true),
      'the page was reloaded: the row did not arrive live');
    const row = rowSel(alertId);
    equal(await page.$$eval('tr[data-alert-id]', (r) => r.length), cfg.openAlerts + 1,
      'alert rows after the second crawl');
    equal(await page.getAttribute(row, 'data-state'), 'new', 'new row data-state');
    equal(await page.getAttribute(row, 'data-level'), '3', 'new row data-level (重大)');
    const title = await page.$eval(`${row} .c-title`, (td) => td.textContent);
    check(title.includes('<script>alert(1)</script><img src=x onerror=alert(2)>'),
      `the title's markup is not shown as text: ${JSON.stringify(title)}`);
    equal(await page.$$eval(`${row} script, ${row} img`, (e) => e.length), 0,
      'elements made from the title in the row');
    await noMarkupFromData(page, 'alerts (live row)');
    check(await page.$(`${row} button[data-action="ack"]`), 'the new row has no ack button');
    await shot(page, '03-alerts-live');
  });

  await step('acknowledge and assign', async () => {
    const row = rowSel(alertId);
    await page.click(`${row} button[data-action="ack"]`);
    await page.waitForFunction((sel) => {
      const tr = document.querySelector(sel);
      return tr && tr.getAttribute('data-state') === 'reported';
    }, row);
    equal((await page.textContent(`${row} .c-state`)).trim(), '已报告', 'state after ack');
    await page.fill(`${row} input[name="unit"]`, UNIT);
    await page.click(`${row} button[data-action="assign"]`);
    await page.waitForFunction((sel) => {
      const tr = document.querySelector(sel);
      return tr && tr.getAttribute('data-state') === 'assigned';
    }, row);
    equal((await page.textContent(`${row} .c-state`)).trim(), '已交办', 'state after assign');
    equal((await page.textContent(`${row} .c-assignee`)).trim(), UNIT, 'assignee cell');
    await noMarkupFromData(page, 'alerts (after actions)');
    await shot(page, '04-alerts-acted');

    const r = await apiGet(page, `/api/alerts/${alertId}`);
    equal(r.status, 200, `GET /api/alerts/${alertId}`);
    equal(r.body.state, 'assigned', 'API state');
    equal(r.body.assignee, UNIT, 'API assignee');
    equal(r.body.acked_by, cfg.duty, 'API acked_by');
    const mine = (r.body.events || []).filter((e) => e.actor === cfg.duty).map((e) => e.action);
    equal(JSON.stringify(mine), JSON.stringify(['ack', 'assign']),
      `the audit trail's actions by ${cfg.duty}`);
  });

  await step('alert page', async () => {
    await page.goto(`${cfg.url}/alerts/${alertId}`);
    const text = await page.textContent('main');
    check(text.includes(cfg.breakingTitle), 'the alert page does not show the title as text');
    check(text.includes('<script>alert(1)</script>'), 'the alert page lost the title\'s markup text');
    check(text.includes(UNIT), 'the alert page does not name the unit');
    check(text.includes(cfg.duty), 'the alert page\'s audit trail does not name the officer');
    await noMarkupFromData(page, 'alert page');
    await shot(page, '05-alert');
  });

  await step('search', async () => {
    await page.goto(`${cfg.url}/search`);
    const deadline = Date.now() + T_SEARCH;
    let hits = 0;
    await page.fill('#search-q', QUERY);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === QUERY),
      page.press('#search-q', 'Enter'),
    ]);
    // The indexer catches up every 2 s; until then a search finds nothing.
    for (;;) {
      await page.waitForSelector('#search-form');
      hits = await page.$$eval('.hit', (h) => h.length);
      if (hits > 0 || Date.now() > deadline) break;
      await page.waitForTimeout(500);
      await page.reload();
    }
    check(hits > 0, `no .hit for ${QUERY} within ${T_SEARCH} ms`);
    equal(await page.inputValue('#search-q'), QUERY, 'the search field keeps the query');
    const marks = await page.$$eval('.hit mark', (m) => m.map((x) => x.textContent));
    check(marks.length > 0, 'no <mark> in the hits');
    for (const m of marks)
      check(QUERY.includes(m), `a <mark> around ${JSON.stringify(m)}, not part of ${QUERY}`);
    const withQuery = await page.$$eval('.hit', (h, q) =>
      h.filter((x) => x.textContent.includes(q)).length, QUERY);
    equal(withQuery, hits, `hits showing ${QUERY}`);
    // The demo has fewer hits than a page holds: the page shows them all.
    const api = await apiGet(page, `/api/search?q=${encodeURIComponent(QUERY)}`);
    equal(api.status, 200, 'GET /api/search');
    equal(api.body.total, hits, `/api/search's total for ${QUERY} against the hits shown`);
    console.log(`search ${QUERY}: ${hits} hits on the first page, ${marks.length} marks`);
    await noMarkupFromData(page, 'search');
    await shot(page, '06-search');
  });

  await step('sources', async () => {
    await page.goto(`${cfg.url}/sources`);
    const text = await page.textContent('main');
    for (const outlet of ['人民网', '吉林日报', '中国环境报', '吉林省网上群众留言板', '长春市民心网'])
      check(text.includes(outlet), `the sources page does not list ${outlet}`);
    await noMarkupFromData(page, 'sources');
    await shot(page, '07-sources');
  });

  await step('weekly report', async () => {
    await page.goto(`${cfg.url}/reports`);
    await noMarkupFromData(page, 'reports');
    await shot(page, '08-reports');
    const week = isoWeekNow();
    // This week's row, and its link to view the report in the browser.
    const row = page.locator('tr', { hasText: week });
    equal(await row.count(), 1, `rows on /reports naming ${week}`);
    const link = row.locator('a', { hasText: '查看' });
    equal(await link.count(), 1, `查看 links in the row of ${week}`);
    const href = await link.getAttribute('href');
    check(/^\/api\/report\?/.test(href) && /[?&]week=/.test(href) &&
      /[?&]format=html\b/.test(href) && !/[?&]download=/.test(href),
      `the 查看 link of ${week} is ${href}, not this week's HTML report to view`);
    let report = page;
    let response;
    if ((await link.getAttribute('target')) === '_blank') {
      const [popup] = await Promise.all([duty.waitForEvent('page'), link.click()]);
      report = popup;
      response = await popup.waitForEvent('response', (r) => r.url().includes('/api/report'));
      await popup.waitForLoadState('load');
    } else {
      [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/report')), link.click()]);
      await page.waitForLoadState('load');
    }
    equal(response.status(), 200, 'the weekly report\'s status');
    check(/^text\/html/.test(response.headers()['content-type'] || ''),
      'the weekly report is not text/html');
    check(/script-src 'none'/.test(response.headers()['content-security-policy'] || ''),
      'the report is not served with script-src \'none\'');
    const h1 = (await report.textContent('h1')).trim();
    check(h1.endsWith('媒体报道周报'), `the report's heading is ${JSON.stringify(h1)}`);
    const period = await report.textContent('.period');
    check(period.includes(week), `the report's period ${JSON.stringify(period)} is not ${week}`);
    const h2 = await report.$$eval('h2', (h) => h.map((x) => x.textContent.trim()));
    for (const want of ['总体情况', '目标完成情况', '敏感舆情'])
      check(h2.includes(want), `the report has no ${want} section: ${JSON.stringify(h2)}`);
    // This week's only article is the complaint (the demo's are of 2023).
    equal((await report.textContent('.cards .card .n')).trim(), '1 篇', 'articles this week');
    const text = await report.textContent('body');
    check(text.includes(cfg.breakingTitle), 'the report does not show the complaint\'s title as text');
    equal(await report.$$eval('script, iframe, object, embed, img:not(.chart), [onerror]',
      (s) => s.length), 0, 'elements made from the title in the report');
    await shot(report, '09-report-week');
    if (report !== page) await report.close();
  });

  await step('viewer', async () => {
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    viewer.setDefaultTimeout(T_ACTION);
    await viewer.addInitScript(spy);
    watch(viewer, cfg.viewer);
    const vp = await viewer.newPage();
    activePage = vp;
    await vp.goto(`${cfg.url}/login?next=/alerts`);
    await signIn(vp, cfg.viewer, cfg.viewerPassword, '/alerts');
    equal(await vp.getAttribute('meta[name="role"]', 'content'), 'viewer', 'meta role');
    equal(await vp.$$eval('tr[data-alert-id]', (r) => r.length), cfg.openAlerts + 1,
      'alert rows the viewer sees');
    equal(await vp.$$eval(ACTIONS, (b) => b.length), 0, 'action buttons for a viewer');
    await shot(vp, '10-alerts-viewer');
    await vp.goto(`${cfg.url}/alerts/${alertId}`);
    equal(await vp.$$eval(ACTIONS, (b) => b.length), 0,
      'action buttons and fields on the alert page for a viewer');
    provoked.push({ path: `/api/alerts/${alertId}/close`, status: 403 });
    const refused = await vp.evaluate(async (id) => {
      const csrf = document.querySelector('meta[name="csrf"]').content;
      const r = await fetch(`/api/alerts/${id}/close`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: '{}' });
      return { status: r.status, body: await r.json() };
    }, alertId);
    equal(refused.status, 403, 'a viewer closing an alert');
    equal(refused.body.error, 'forbidden', 'the refusal\'s error');
    // A phone: one column, nothing wider than the screen (a wide table
    // scrolls inside its own box).
    await vp.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [['/', '11-overview-phone'], ['/alerts', '12-alerts-phone']]) {
      await vp.goto(`${cfg.url}${path}`);
      const wide = await vp.evaluate(() => document.documentElement.scrollWidth);
      check(wide <= 390, `${path} on a 390 px wide phone is ${wide} px wide`);
      await shot(vp, name);
    }
    await viewer.close();
    activePage = page;
  });

  await step('logout', async () => {
    await page.goto(`${cfg.url}/`);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/login'),
      page.click('#logout'),
    ]);
    await page.goto(`${cfg.url}/alerts`);
    equal(new URL(page.url()).pathname, '/login', 'after signing out /alerts goes to');
  });

  if (problems.length) throw new Error(`errors on the pages:\n  ${problems.join('\n  ')}`);
  console.log('dashboard: every check held');
} catch (e) {
  status = 1;
  console.error(`FAILED at step "${current}": ${e.message}`);
  if (problems.length) console.error(`errors on the pages:\n  ${problems.join('\n  ')}`);
  if (activePage && !activePage.isClosed()) {
    try {
      console.error(`page: ${activePage.url()}`);
      await shot(activePage, `FAIL-${current.replace(/\W+/g, '-')}`);
    } catch (e2) {
      console.error(`no screenshot of the failure: ${e2.message}`);
    }
  }
} finally {
  await browser.close();
}
process.exit(status);
