// tiers serve: the workbench's one script. It uses the JSON API under
// /api/ and builds every piece of page it shows with DOM calls and text
// nodes (never innerHTML), so nothing a case file says can become markup.
'use strict';

(function () {
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') { e.textContent = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) { continue; }
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, body: j }; });
    });
  }

  var WORDS = { not_met: 'not met', not_applicable: 'n/a' };
  function badge(outcome) {
    return el('span', { 'class': 'o o-' + outcome, text: WORDS[outcome] || outcome });
  }
  function tierText(a) {
    return a.tier === null ? 'undecided' : (a.tier_label || a.tier);
  }

  function diagnostics(node, body) {
    clear(node);
    var text = (body.diagnostics || []).map(function (d) { return d.rendered; }).join('') || body.error || 'error';
    node.appendChild(el('p', { role: 'alert', text: 'The change could not be made:' }));
    node.appendChild(el('pre', { 'class': 'diag', text: text }));
  }

  // The case list: the filters apply as soon as they change.
  document.querySelectorAll('select[data-autosubmit]').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
  });

  var form = document.getElementById('whatif-form');
  if (!form) { return; }
  var caseFile = form.getAttribute('data-case');
  var summary = document.getElementById('whatif-summary');
  var detail = document.getElementById('whatif-detail');
  var noFindings = document.getElementById('no-findings');

  // --- the typed controls: current value, original value, PATH=VALUE ---

  function controls() { return Array.prototype.slice.call(form.querySelectorAll('[data-path]')); }

  function current(c) {
    var kind = c.getAttribute('data-kind');
    if (kind === 'bool') { return c.indeterminate ? null : c.checked; }
    if (kind === 'enum') { return c.value === '' ? null : c.value; }
    if (kind === 'num') { return c.value.trim() === '' ? null : Number(c.value); }
    if (kind === 'enumlist') {
      return Array.prototype.slice.call(c.querySelectorAll('input:checked')).map(function (i) { return i.value; });
    }
    return null;
  }

  function same(a, b) {
    // a list not given reads as an empty one
    if (Array.isArray(a) && b === null) { return a.length === 0; }
    if (Array.isArray(a) && Array.isArray(b)) {
      return JSON.stringify(a.slice().sort()) === JSON.stringify(b.slice().sort());
    }
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function yaml(v) {
    if (v === null) { return 'null'; }
    if (Array.isArray(v)) { return '[' + v.map(function (x) { return JSON.stringify(x); }).join(', ') + ']'; }
    if (typeof v === 'string') { return JSON.stringify(v); }
    return String(v);
  }

  function initControls() {
    controls().forEach(function (c) {
      if (c.getAttribute('data-kind') === 'bool') {
        c.indeterminate = c.getAttribute('data-orig') === 'null';
        if (c.indeterminate) { c.setAttribute('aria-checked', 'mixed'); } else { c.removeAttribute('aria-checked'); }
      }
      c.classList.remove('changed-ctl');
    });
  }

  function request() {
    var set = [];
    controls().forEach(function (c) {
      var now = current(c);
      var orig = JSON.parse(c.getAttribute('data-orig'));
      var changed = !same(now, orig);
      c.classList.toggle('changed-ctl', changed);
      if (changed) { set.push(c.getAttribute('data-path') + '=' + yaml(now)); }
    });
    var levers = Array.prototype.slice.call(form.querySelectorAll('input[name="lever"]:checked'))
      .map(function (i) { return i.value; });
    return { 'case': caseFile, set: set, levers: levers, no_findings: noFindings.checked };
  }

  // --- showing what moved, beside the original ---

  var tierCard = document.getElementById('tier-whatif');
  var tierValue = document.getElementById('tier-whatif-value');
  var tierNote = document.getElementById('tier-whatif-note');
  var ratOrig = document.getElementById('rationale-text');
  var ratWhatif = document.getElementById('rationale-whatif');

  function showOriginal() {
    tierCard.hidden = true;
    document.querySelectorAll('.wi').forEach(function (c) { clear(c); c.hidden = true; });
    document.querySelectorAll('tr.moved').forEach(function (r) { r.classList.remove('moved'); });
    ratWhatif.hidden = true;
    ratOrig.hidden = false;
    clear(detail);
    summary.textContent = 'No change yet.';
  }

  function show(v) {
    var moved = {};
    v.criteria_moved.forEach(function (m) { moved[m.id] = m; });
    var changedTier = v.tier_before !== v.tier_after;
    tierCard.hidden = false;
    tierValue.textContent = tierText(v.after);
    tierValue.setAttribute('data-tier', v.after.tier === null ? 'undecided' : v.after.tier);
    tierNote.textContent = (changedTier ? 'moved from ' + tierText(v.before) : 'unchanged') +
      (noFindings.checked ? ' (objective facts only)' : '');

    document.querySelectorAll('.wi').forEach(function (c) { c.hidden = false; });
    var after = {};
    v.after.criteria.forEach(function (c) { after[c.id] = c; });
    document.querySelectorAll('tr[data-criterion]').forEach(function (row) {
      var id = row.getAttribute('data-criterion');
      var cell = row.querySelector('td.wi');
      clear(cell);
      var m = moved[id];
      row.classList.toggle('moved', !!m);
      if (m) {
        cell.appendChild(badge(m.after));
        cell.appendChild(el('p', { 'class': 'because', text: m.because_after }));
      } else if (after[id]) {
        cell.appendChild(el('span', { 'class': 'same', text: 'same' }));
      }
    });

    var n = v.criteria_moved.length;
    summary.textContent = (changedTier
      ? 'Tier: ' + tierText(v.before) + ' → ' + tierText(v.after) + '. '
      : 'Tier unchanged (' + tierText(v.after) + '). ') +
      (n === 0 ? 'No criterion moved.' : n + (n === 1 ? ' criterion moved.' : ' criteria moved.'));

    clear(detail);
    if (n > 0) {
      var ul = el('ul', { 'class': 'moved-list' });
      v.criteria_moved.forEach(function (m) {
        ul.appendChild(el('li', null, el('code', { text: m.id }), ': ', badge(m.before), ' → ', badge(m.after),
          el('br'), m.because_after));
      });
      detail.appendChild(ul);
    }
    if (v.steps_removed.length || v.steps_added.length) {
      detail.appendChild(el('h4', { text: 'Placement steps' }));
      var sl = el('ul');
      v.steps_removed.forEach(function (s) { sl.appendChild(el('li', null, el('del', { text: s.because }))); });
      v.steps_added.forEach(function (s) { sl.appendChild(el('li', null, el('ins', { text: s.because }))); });
      detail.appendChild(sl);
    }
    if (v.why && v.why.length) {
      detail.appendChild(el('h4', { text: 'Why' }));
      var wl = el('ul');
      v.why.forEach(function (w) { wl.appendChild(el('li', { text: w })); });
      detail.appendChild(wl);
    }

    // the rationale, original and changed side by side, sentence by sentence
    clear(ratWhatif);
    var left = el('div', null, el('h3', { text: 'Original' }));
    var right = el('div', null, el('h3', { text: 'With changes' }));
    var lp = el('p');
    var rp = el('p');
    v.rationale_diff.forEach(function (d) {
      if (d.change === '-') { lp.appendChild(el('del', { text: d.sentence })); lp.appendChild(document.createTextNode(' ')); }
      else if (d.change === '+') { rp.appendChild(el('ins', { text: d.sentence })); rp.appendChild(document.createTextNode(' ')); }
      else {
        lp.appendChild(document.createTextNode(d.sentence + ' '));
        rp.appendChild(document.createTextNode(d.sentence + ' '));
      }
    });
    left.appendChild(lp);
    right.appendChild(rp);
    ratWhatif.appendChild(left);
    ratWhatif.appendChild(right);
    ratWhatif.hidden = false;
    ratOrig.hidden = true;
  }

  var seq = 0;
  function update() {
    var body = request();
    if (body.set.length === 0 && body.levers.length === 0 && !body.no_findings) {
      seq++;
      showOriginal();
      return;
    }
    var mine = ++seq;
    summary.textContent = 'Working…';
    post('/api/whatif', body).then(function (r) {
      if (mine !== seq) { return; }
      if (r.ok) { show(r.body); } else { showOriginal(); diagnostics(detail, r.body); summary.textContent = 'Not applied.'; }
    }).catch(function () {
      if (mine === seq) { summary.textContent = 'The server did not answer.'; }
    });
  }

  var timer = null;
  form.addEventListener('change', function () { clearTimeout(timer); update(); });
  form.addEventListener('input', function (e) {
    if (e.target.type === 'number') { clearTimeout(timer); timer = setTimeout(update, 350); }
  });
  form.addEventListener('reset', function () {
    setTimeout(function () { initControls(); update(); }, 0);
  });
  initControls();

  // --- save as a scenario file ---
  var status = document.getElementById('copy-status');
  document.getElementById('save-scenario').addEventListener('click', function () {
    post('/api/scenario', request()).then(function (r) {
      if (!r.ok) { diagnostics(detail, r.body); return; }
      var blob = new Blob([r.body.yaml], { type: 'application/yaml' });
      var a = el('a', { href: URL.createObjectURL(blob), download: r.body.name });
      document.body.appendChild(a);
      a.click();
      a.remove();
      summary.textContent = 'Saved ' + r.body.name + ': keep it in ' + r.body.dir + '/.';
    });
  });

  // --- copy the rationale ---
  document.getElementById('copy-rationale').addEventListener('click', function () {
    var text = ratOrig.innerText.trim();
    var done = function () { status.textContent = 'Copied.'; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { status.textContent = 'Copying was refused: select the text instead.'; });
    } else {
      var r = document.createRange();
      r.selectNodeContents(ratOrig);
      var s = window.getSelection();
      s.removeAllRanges();
      s.addRange(r);
      status.textContent = document.execCommand('copy') ? 'Copied.' : 'Selected: copy with Ctrl+C.';
    }
  });

  // --- the reform search ---
  var rform = document.getElementById('reforms-form');
  var rout = document.getElementById('reforms-result');
  function tryLevers(names) {
    form.querySelectorAll('input[name="lever"]').forEach(function (i) { i.checked = names.indexOf(i.value) >= 0; });
    update();
    document.getElementById('whatif-h').scrollIntoView();
  }
  rform.addEventListener('submit', function (e) {
    e.preventDefault();
    var size = parseInt(document.getElementById('reform-size').value, 10);
    var body = {
      'case': caseFile,
      target: document.getElementById('reform-target').value,
      max_size: isNaN(size) ? 3 : size,
      assume_unknown_fails: document.getElementById('reform-assume').checked,
      no_findings: noFindings.checked
    };
    clear(rout);
    rout.appendChild(el('p', { text: 'Searching…' }));
    post('/api/reforms', body).then(function (r) {
      clear(rout);
      if (!r.ok) { diagnostics(rout, r.body); return; }
      var v = r.body;
      var titles = {};
      (v.levers || []).forEach(function (l) { titles[l.name] = l.title; });
      rout.appendChild(el('p', null, el('strong', { text: 'Target: ' + v.target }),
        v.current_tier ? ' (now ' + v.current_tier + ')' : ''));
      if (v.reached_already) { rout.appendChild(el('p', { text: 'Already reached.' })); }
      if (v.solutions.length) {
        var ol = el('ol');
        v.solutions.forEach(function (s) {
          var names = s.levers.map(function (n) { return titles[n] || n; }).join(' + ');
          var b = el('button', { type: 'button', text: 'Try' });
          b.addEventListener('click', function () { tryLevers(s.levers); });
          ol.appendChild(el('li', null, names, ' → ', s.tier === null ? 'undecided' : 'tier ' + s.tier,
            s.fixes && s.fixes.length ? ' (fixes ' + s.fixes.join(', ') + ') ' : ' ', b));
        });
        rout.appendChild(ol);
      } else if (v.unreachable) {
        rout.appendChild(el('p', { text: v.unreachable }));
      }
      (v.unknown_criteria || []).forEach(function (u) {
        rout.appendChild(el('p', { 'class': 'note', text: u.id + ' is unknown: establish ' + u.not_known.join(', ') }));
      });
    }).catch(function () { clear(rout); rout.appendChild(el('p', { text: 'The server did not answer.' })); });
  });
}());
