/*
 * app.js: the dashboard's only script (served from /static/, the page CSP
 * allows no inline script). Plain JavaScript, no framework.
 *
 * - Sign-in: the #login-form is sent as JSON to POST /api/login, then the
 *   browser goes to ?next= when it is a local path, else to the overview.
 * - Sign-out: #logout posts to /api/logout.
 * - Alert actions: every button[data-action][data-id] posts to
 *   /api/alerts/ID/ACTION with the session's X-CSRF-Token (from
 *   <meta name="csrf">) and a JSON body: unit, due and comment are read
 *   from the fields of the button's .actions box.
 * - The alert queue (#alerts) listens to /api/events and inserts or
 *   updates rows. Text from the server is only ever set with textContent
 *   or setAttribute: nothing from the data becomes markup.
 */
(function () {
  'use strict';

  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute('content') || '' : '';
  }
  var csrf = meta('csrf');
  var role = meta('role');
  var canAct = role === 'duty' || role === 'admin';

  /* The workflow of alerts/alerts.h: the states each action leaves from. */
  var ACTIONS = [
    ['ack', '确认', ['new']],
    ['assign', '交办', ['reported', 'assigned', 'in_progress']],
    ['progress', '督办', ['assigned', 'in_progress']],
    ['feedback', '反馈', ['assigned', 'in_progress']],
    ['close', '办结', ['reported', 'feedback']]
  ];

  function api(method, path, body) {
    var opts = {
      method: method,
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json' }
    };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    if (method !== 'GET') opts.headers['X-CSRF-Token'] = csrf;
    return fetch(path, opts).then(function (resp) {
      return resp.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!resp.ok) {
          var err = new Error(data && data.message ? data.message
                                                   : 'HTTP ' + resp.status);
          err.status = resp.status;
          err.code = data && data.error;
          throw err;
        }
        return data;
      });
    });
  }

  /* ?next= only when it is a path on this site: one leading slash, no
   * second slash or backslash after it, no blank or control character
   * (browsers drop tabs and newlines, which could make "//host"). */
  function localNext() {
    var next = new URLSearchParams(window.location.search).get('next');
    if (next && /^\/(?![\/\\])[^\s\\\u0000-\u001f\u007f]*$/.test(next)) {
      return next;
    }
    return '/';
  }

  function initLogin() {
    var form = document.getElementById('login-form');
    if (!form) return;
    var box = document.getElementById('login-error');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      box.textContent = '';
      var body = {
        name: document.getElementById('login-name').value,
        password: document.getElementById('login-password').value
      };
      api('POST', '/api/login', body).then(function () {
        window.location.assign(localNext());
      }).catch(function (e) {
        if (e.status === 401) box.textContent = '用户名或密码错误。';
        else if (e.status === 429) box.textContent = '尝试次数过多，请稍后再试。';
        else box.textContent = '登录失败：' + e.message;
      });
    });
  }

  function initLogout() {
    var btn = document.getElementById('logout');
    if (!btn) return;
    btn.addEventListener('click', function () {
      function go() { window.location.assign('/login'); }
      api('POST', '/api/logout', {}).then(go, go);
    });
  }

  function fieldValue(box, name) {
    var el = box.querySelector('[name="' + name + '"]');
    return el ? el.value.trim() : '';
  }

  function showMessage(box, text) {
    var el = document.getElementById('action-error') ||
             document.getElementById('live-status');
    if (el) el.textContent = text;
  }

  function doAction(btn) {
    var id = btn.getAttribute('data-id');
    var action = btn.getAttribute('data-action');
    var box = btn.closest('.actions') || btn.parentNode;
    var body = {};
    var comment = fieldValue(box, 'comment');
    if (action === 'assign') {
      var unit = fieldValue(box, 'unit');
      if (!unit) {
        showMessage(box, '请填写承办单位。');
        var input = box.querySelector('[name="unit"]');
        if (input) input.focus();
        return;
      }
      body.unit = unit;
      var due = fieldValue(box, 'due');
      if (due) body.due = due;
    }
    if (comment) body.comment = comment;
    btn.disabled = true;
    api('POST', '/api/alerts/' + encodeURIComponent(id) + '/' + action, body)
      .then(function (alert) {
        if (box.classList.contains('detail')) {
          window.location.reload();
          return;
        }
        showMessage(box, '');
        if (alert) updateRow(alert, false);
      }).catch(function (e) {
        btn.disabled = false;
        showMessage(box, '操作失败：' + e.message);
      });
  }

  function initActions() {
    document.addEventListener('click', function (ev) {
      var t = ev.target;
      var btn = t && t.closest ? t.closest('button[data-action][data-id]')
                               : null;
      if (!btn) return;
      ev.preventDefault();
      doAction(btn);
    });
  }

  /* ------------------------------------------------ the live alert queue */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function actionCell(a) {
    var td = el('td', 'c-actions actions');
    if (!canAct) return td;
    ACTIONS.forEach(function (def) {
      if (def[2].indexOf(a.state) < 0) return;
      var span = el('span', 'act act-' + def[0]);
      if (def[0] === 'assign') {
        var input = el('input');
        input.type = 'text';
        input.name = 'unit';
        input.placeholder = '承办单位';
        input.setAttribute('aria-label', '承办单位');
        input.maxLength = 200;
        span.appendChild(input);
      }
      var b = el('button', null, def[1]);
      b.type = 'button';
      b.setAttribute('data-action', def[0]);
      b.setAttribute('data-id', String(a.id));
      span.appendChild(b);
      td.appendChild(span);
    });
    return td;
  }

  function levelOf(a) {
    var n = parseInt(a.level, 10);
    return n >= 1 && n <= 4 ? n : 0;
  }

  function fillRow(tr, a) {
    var level = levelOf(a);
    tr.setAttribute('data-alert-id', String(a.id));
    tr.setAttribute('data-level', String(level));
    tr.setAttribute('data-state', String(a.state || ''));
    tr.className = 'alert lv-row-' + level + (a.overdue ? ' overdue' : '');
    while (tr.firstChild) tr.removeChild(tr.firstChild);

    var tdLevel = el('td', 'c-level');
    tdLevel.appendChild(el('span', 'lv lv-' + level, a.level_zh));
    tr.appendChild(tdLevel);
    tr.appendChild(el('td', 'c-state', a.state_zh || a.state));
    var tdTitle = el('td', 'c-title');
    var link = el('a', null, a.title || ('#' + a.id));
    link.setAttribute('href', '/alerts/' + encodeURIComponent(String(a.id)));
    tdTitle.appendChild(link);
    tdTitle.appendChild(el('div', 'reason', a.reason || ''));
    tr.appendChild(tdTitle);
    tr.appendChild(el('td', 'c-region', a.region || ''));
    tr.appendChild(el('td', 'c-topic', a.topic || ''));
    tr.appendChild(el('td', 'c-reach', (a.outlet_count || 0) + ' 家 / ' +
                                       (a.article_count || 0) + ' 篇'));
    tr.appendChild(el('td', 'c-created', a.created_text || ''));
    var tdDeadline = el('td', 'c-deadline', a.due_text || a.deadline_text || '');
    if (a.overdue) {
      tdDeadline.appendChild(document.createTextNode(' '));
      tdDeadline.appendChild(el('span', 'flag', '逾期'));
    }
    tr.appendChild(tdDeadline);
    tr.appendChild(el('td', 'c-assignee', a.assignee || ''));
    tr.appendChild(actionCell(a));
  }

  /* Whether a passes the filters the page was drawn with. */
  function passes(table, a) {
    var d = table.dataset;
    if (d.fLevel && String(levelOf(a)) !== d.fLevel) return false;
    if (d.fState && a.state !== d.fState) return false;
    if (d.fTopic && a.topic !== d.fTopic) return false;
    if (d.fRegion && String(a.region || '').indexOf(d.fRegion) !== 0) {
      return false;
    }
    if (d.fOpen === '1' && !d.fState && a.state === 'closed') return false;
    if (d.fOverdue === '1' && !a.overdue) return false;
    return true;
  }

  function mark(tr) {
    tr.classList.add('fresh');
    window.setTimeout(function () { tr.classList.remove('fresh'); }, 15000);
  }

  function findRow(tbody, id) {
    var rows = tbody.querySelectorAll('tr[data-alert-id]');
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute('data-alert-id') === String(id)) return rows[i];
    }
    return null;
  }

  function updateRow(a, live) {
    var table = document.getElementById('alerts');
    var tbody = document.getElementById('alert-rows');
    if (!table || !tbody || !a || a.id === undefined) return;
    var tr = findRow(tbody, a.id);
    if (tr) {
      fillRow(tr, a);
      if (live) mark(tr);
      return;
    }
    if (!live || table.getAttribute('data-live') !== '1' || !passes(table, a)) {
      return;
    }
    var empty = tbody.querySelector('tr.empty');
    if (empty) tbody.removeChild(empty);
    tr = document.createElement('tr');
    fillRow(tr, a);
    tbody.insertBefore(tr, tbody.firstChild);
    mark(tr);
  }

  function initLive() {
    var table = document.getElementById('alerts');
    if (!table || !window.EventSource) return;
    var status = document.getElementById('live-status');
    var source = new EventSource('/api/events');
    source.addEventListener('alert', function (ev) {
      var d = null;
      try { d = JSON.parse(ev.data); } catch (e) { return; }
      if (d && d.alert) updateRow(d.alert, true);
    });
    source.addEventListener('open', function () {
      if (status) status.textContent = '实时更新已连接。';
    });
    source.addEventListener('error', function () {
      if (status) status.textContent = '实时更新中断，正在重连……';
    });
  }

  function init() {
    initLogin();
    initLogout();
    initActions();
    initLive();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
