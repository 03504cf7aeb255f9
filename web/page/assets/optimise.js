// Optimiser (in the Edit panel): run POST /api/configurations/{name}/optimise
// on the version shown, follow the job (GET /api/jobs/{id}: moves tried,
// best so far), cancel it (DELETE), list the options it found and preview
// one by loading its moves as the draft (placeteam.draft.set): evaluated,
// drawn, undone and saved (If-Match) as hand edits are. Nothing is saved
// until Save.
(function () {
  'use strict';
  const { state, api, fmt, fail, status } = window.placeteam;
  const $ = (id) => document.getElementById(id);
  const pollEvery = 500;
  const finished = ['completed', 'failed', 'cancelled'];
  // The figures of each changed team listed under an option.
  const figures = [['resident_population', 'Residents'], ['registered_population', 'Registered'],
    ['local_registration_share', 'Local share']];
  // run is the job followed: its id, configuration, version and, once
  // completed, its output. previewing is the rank of the option in the draft.
  let run = null;
  let previewing = 0;

  const score = (v) => typeof v === 'number' ? v.toFixed(4) : '–';
  const signed = (v) => (v > 0 ? '+' : v < 0 ? '−' : '') + Math.abs(v).toFixed(4);

  async function start(opts) {
    const body = { objective: opts.objective, moves: Number(opts.moves) || 0, time_s: Number(opts.time) || 0 };
    if (opts.frozen.length) body.frozen = opts.frozen;
    const job = await api('/api/configurations/' + encodeURIComponent(state.config) + '/optimise?version=' + state.version,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    run = { id: job.id, config: state.config, version: state.version, objective: body.objective, output: null };
    $('optimise-options').innerHTML = '';
    $('optimise-note').textContent = '';
    $('optimise-run').disabled = true;
    $('optimise-cancel').disabled = false;
    status('Optimising ' + state.config + ' version ' + state.version + ' (job ' + job.id + ')…');
    showProgress(job);
    const r = run;
    poll(r).catch((err) => {
      if (run !== r) return;
      $('optimise-run').disabled = false;
      $('optimise-cancel').disabled = true;
      fail(err);
    });
  }

  // poll follows r's job until it finishes, unless another run replaced it.
  async function poll(r) {
    while (run === r) {
      const job = await api('/api/jobs/' + r.id);
      if (run !== r) return;
      showProgress(job);
      if (finished.includes(job.state)) { done(job); return; }
      await new Promise((resolve) => setTimeout(resolve, pollEvery));
    }
  }

  function showProgress(job) {
    const line = $('optimise-progress');
    const p = job.progress || {};
    const out = job.output && job.output.run;
    const tried = out ? out.moves_tried : p.moves_tried || 0;
    const budget = out ? out.moves_budget : p.moves_budget;
    const best = out && job.output.options.length ? job.output.options[0].score.value : p.best;
    line.dataset.job = String(job.id);
    line.dataset.state = job.state;
    line.dataset.movesTried = String(tried);
    if (typeof best === 'number') line.dataset.best = String(best); else delete line.dataset.best;
    const counts = tried.toLocaleString('en-GB') + (budget ? ' of ' + budget.toLocaleString('en-GB') : '') + ' moves tried';
    const bestText = typeof best === 'number' ? ', best score ' + score(best) : '';
    const words = { queued: 'Queued', running: 'Running', retrying: 'Retrying', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled' };
    line.textContent = 'Job ' + job.id + ': ' + (words[job.state] || job.state) + ' · ' + counts + bestText +
      (job.state === 'failed' && job.errors ? ' · ' + job.errors.join('; ') : '');
  }

  function done(job) {
    $('optimise-run').disabled = false;
    $('optimise-cancel').disabled = true;
    if (job.state !== 'completed') {
      status('Optimiser job ' + job.id + ' ' + job.state);
      return;
    }
    run.output = job.output;
    drawOptions();
    status('Optimiser job ' + job.id + ' found ' + job.output.options.length + ' option(s) for ' + run.config + ' version ' + run.version);
  }

  async function cancel() {
    if (!run || run.output) return;
    $('optimise-cancel').disabled = true;
    const job = await api('/api/jobs/' + run.id, { method: 'DELETE' });
    showProgress(job);
    // The poll loop sees the job end (a running job stops at its next check).
  }

  function drawOptions() {
    const list = $('optimise-options');
    list.innerHTML = '';
    const out = run.output;
    const stale = run.config !== state.config || run.version !== state.version;
    $('optimise-note').textContent = 'Objective ' + out.run.objective + ', start ' + score(out.run.start.value) +
      (out.run.improved ? '' : '; none better than the start') + '. ' +
      out.notes.map((n) => n.charAt(0).toUpperCase() + n.slice(1) + '. ').join('') +
      (stale ? 'These options are for ' + run.config + ' version ' + run.version + ': run again to preview on this version.' : '');
    for (const o of out.options) {
      const li = document.createElement('li');
      li.dataset.rank = String(o.rank);
      li.dataset.score = String(o.score.value);
      li.dataset.objectiveChange = String(o.objective_change);
      if (o.rank === previewing) li.setAttribute('aria-current', 'true');
      const head = document.createElement('p');
      head.className = 'opt-head';
      head.textContent = 'Option ' + o.rank + ': score ' + score(o.score.value) + ' (' + signed(o.objective_change) + ' on the start)' +
        (o.score.within_tolerance ? ', residents within tolerance' : ', residents outside tolerance') +
        '; checks ' + (o.checks.ok ? 'pass' : 'failing: ' + o.checks.failing.join(', ')) + (o.rank === previewing ? ' · previewing' : '');
      const terms = document.createElement('p');
      terms.className = 'note';
      terms.textContent = Object.entries(o.score.terms).map(([k, v]) => k + ' ' + fmt(v)).join(' · ');
      const moves = document.createElement('ul');
      moves.className = 'opt-moves';
      for (const m of o.moves) {
        const mi = document.createElement('li');
        mi.dataset.ward = m.ward; mi.dataset.team = m.to;
        mi.textContent = (m.ward_name ? m.ward_name + ' ' : '') + m.ward + ' → ' + m.to + ' (from ' + m.from + ')';
        mi.title = m.text;
        moves.append(mi);
      }
      li.append(head, terms, moves, changesTable(o));
      const b = document.createElement('button');
      b.type = 'button'; b.className = 'opt-preview'; b.dataset.rank = String(o.rank);
      b.textContent = 'Preview option ' + o.rank;
      b.disabled = stale;
      b.addEventListener('click', () => preview(o.rank).catch(fail));
      li.append(b);
      list.append(li);
    }
  }

  // changesTable lists each changed team's headline figures before → after.
  function changesTable(o) {
    const details = document.createElement('details');
    const teams = o.changes.filter((u) => u.level === 'team');
    const summary = document.createElement('summary');
    summary.textContent = 'Metrics it changes (' + teams.length + ' teams)';
    const table = document.createElement('table');
    table.className = 'figures';
    const head = document.createElement('tr');
    for (const h of ['Team', ...figures.map((f) => f[1])]) {
      const th = document.createElement('th'); th.scope = 'col'; th.textContent = h; head.append(th);
    }
    table.createTHead().append(head);
    const body = table.createTBody();
    for (const u of teams) {
      const tr = document.createElement('tr');
      tr.dataset.unit = u.id;
      const th = document.createElement('th'); th.scope = 'row'; th.textContent = u.id;
      tr.append(th);
      for (const [metric] of figures) {
        const td = document.createElement('td');
        const c = u.metrics.find((m) => m.metric === metric);
        if (c) {
          td.dataset.metric = metric; td.dataset.a = c.a; td.dataset.b = c.b;
          const show = (s) => s === '' ? '–' : fmt(Number(s));
          td.textContent = show(c.a) + ' → ' + show(c.b);
        } else td.textContent = '=';
        tr.append(td);
      }
      body.append(tr);
    }
    details.append(summary, table);
    return details;
  }

  // preview loads option rank's moves as the draft, replacing it.
  async function preview(rank) {
    const o = run && run.output && run.output.options.find((x) => x.rank === rank);
    if (!o || run.config !== state.config || run.version !== state.version) return;
    await window.placeteam.draft.set(o.moves.map((m) => ({ ward: m.ward, team: m.to })));
    previewing = rank;
    $('optimise-discard').disabled = false;
    drawOptions();
    status('Previewing option ' + rank + ': ' + state.moves.length + ' unsaved move(s) on version ' + state.version +
      ' (Save keeps it, Discard preview drops it)');
  }

  async function discard() {
    await window.placeteam.draft.set([]);
    previewing = 0;
    $('optimise-discard').disabled = true;
    if (run && run.output) drawOptions();
    status('Preview discarded: back to version ' + state.version + ' as saved');
  }

  function drawFrozen() {
    const sel = $('optimise-frozen');
    const chosen = new Set([...sel.selectedOptions].map((o) => o.value));
    sel.innerHTML = '';
    const name = window.placeteam.wardName;
    for (const w of Object.keys(state.wardTeam).sort((a, b) => name(a).localeCompare(name(b)))) {
      const o = document.createElement('option');
      o.value = w; o.textContent = name(w) + ' (' + w + ', ' + state.wardTeam[w] + ')'; o.selected = chosen.has(w);
      sel.append(o);
    }
  }

  $('optimise-form').addEventListener('submit', (e) => {
    e.preventDefault();
    start({ objective: $('optimise-objective').value, moves: $('optimise-moves').value, time: $('optimise-time').value,
      frozen: [...$('optimise-frozen').selectedOptions].map((o) => o.value) }).catch((err) => {
      $('optimise-run').disabled = false;
      $('optimise-cancel').disabled = true;
      fail(err);
    });
  });
  $('optimise-cancel').addEventListener('click', () => cancel().catch(fail));
  $('optimise-discard').addEventListener('click', () => discard().catch(fail));
  // The draft's wards stay where the saved version has them.
  $('optimise-fix-draft').addEventListener('click', () => {
    const draft = new Set(state.moves.map((m) => m.ward));
    for (const o of $('optimise-frozen').options) if (draft.has(o.value)) o.selected = true;
  });
  // A new version has no draft: no preview, and the options of another
  // version cannot be previewed on it.
  window.placeteam.on('names', drawFrozen);
  window.placeteam.on('version', () => {
    previewing = 0;
    $('optimise-discard').disabled = true;
    drawFrozen();
    if (run && run.output) drawOptions();
  });
  window.placeteam.optimise = { start, cancel, preview, discard, get run() { return run; } };
})();
