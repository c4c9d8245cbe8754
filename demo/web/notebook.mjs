// The notebook page: loads the app from its manifest (SQLite is lazy), runs
// cells through the C++ shell, charts results with the chart plugin, and
// keeps the panel current. window.notebook exposes a small API for the
// headless session and the browser tests.
import { load } from '/web/dist/lazylink.mjs';
import { Panel } from './panel.mjs';
import { chartRows } from './chart.mjs';

const startedAt = performance.now();
const $ = (s) => document.querySelector(s);
const panel = new Panel(document, startedAt);
const state = { app: null, info: null, errors: [] };

const SAMPLE = [
  `create table sales(region text, quarter int, amount real);
insert into sales values ('north', 1, 120.5), ('south', 1, 98.0), ('east', 1, 143.2), ('west', 1, 77.9),
  ('north', 2, 133.1), ('south', 2, 110.4), ('east', 2, 150.0), ('west', 2, 91.3);
select region, sum(amount) as total from sales group by region order by total desc;`,
  `select quarter, round(avg(amount), 1) as average, count(*) as n from sales group by quarter;`,
];

function showError(message) {
  const box = $('#error');
  box.textContent = message;
  box.hidden = false;
  state.errors.push(message);
}

function clearError() {
  $('#error').hidden = true;
}

function setStatus(text) {
  $('#status').textContent = text;
}

async function applyThrottle() {
  const profile = localStorage.getItem('throttle') ?? 'none';
  $('#throttle').value = profile;
  await fetch('/__lazylink/throttle', { method: 'POST', body: JSON.stringify({ profile }) });
}

async function start() {
  await applyThrottle();
  state.info = await (await fetch('/demo-info.json', { cache: 'no-store' })).json();
  const useCache = localStorage.getItem('useCache') !== 'false';
  $('#use-cache').checked = useCache;
  setStatus('loading the shell and its standard library…');
  const app = await load('/app/lazylink.json', {
    onProgress: (e) => panel.event(e),
    cache: useCache,
    stdout: (t) => console.log(t.trimEnd()),
    stderr: (t) => console.warn(t.trimEnd()),
  });
  state.app = app;
  await app.run();
  panel.update(app, state.info);
  const eager = app.modules.reduce((n, m) => n + m.bytes, 0);
  setStatus(`ready in ${Math.round(app.startMs)} ms with ${app.modules.length} modules (${(eager / 1024).toFixed(0)} KB); ` +
            'SQLite loads with the first query');
}

// Runs SQL in the shell; resolves to its JSON answer.
async function runSql(sql) {
  const app = state.app;
  const ctx = app.host.context;
  const input = ctx.mallocCString(sql);
  let output = 0;
  try {
    output = (await app.call('notebook_run', [input])) >>> 0;
    return JSON.parse(ctx.cstring(output));
  } finally {
    app.domain.libstd.free(input);
    if (output) await app.call('notebook_free', [output]);
  }
}

function renderResult(box, answer) {
  box.textContent = '';
  if (!answer.ok) {
    const p = document.createElement('p');
    p.className = 'sqlerr';
    p.textContent = answer.error;
    box.append(p);
    return null;
  }
  const last = [...answer.statements].reverse().find((s) => s.columns.length) ?? null;
  for (const st of answer.statements) {
    if (!st.columns.length) continue;
    const table = document.createElement('table');
    table.className = 'rows';
    const head = table.createTHead().insertRow();
    for (const c of st.columns) head.append(Object.assign(document.createElement('th'), { textContent: c }));
    const body = table.createTBody();
    for (const row of st.rows) {
      const tr = body.insertRow();
      for (const v of row) {
        const td = tr.insertCell();
        td.textContent = v === null ? 'NULL' : String(v);
        if (typeof v === 'number') td.className = 'num';
      }
    }
    box.append(table);
  }
  const changes = answer.statements.reduce((n, s) => n + s.changes, 0);
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = `${answer.statements.length} statement(s), ${changes} row(s) changed, ${answer.ms.toFixed(1)} ms in SQLite`;
  box.append(note);
  return last;
}

function addCell(text = '') {
  const node = $('#cell-template').content.firstElementChild.cloneNode(true);
  const area = node.querySelector('textarea');
  area.value = text;
  const run = async () => {
    clearError();
    const t = performance.now();
    node.querySelector('.timing').textContent = 'running…';
    try {
      const answer = await runSql(area.value);
      node.last = renderResult(node.querySelector('.result'), answer);
      node.querySelector('.chart').disabled = !(node.last && chartable(node.last));
      node.querySelector('.timing').textContent = `${Math.round(performance.now() - t)} ms`;
    } catch (e) {
      node.querySelector('.timing').textContent = 'failed';
      showError(`The query could not run: ${e.message}`);
    } finally {
      panel.update(state.app, state.info);
    }
  };
  node.run = run;
  node.querySelector('.run').addEventListener('click', run);
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  });
  node.querySelector('.chart').addEventListener('click', () => chart(node));
  $('#cells').append(node);
  return node;
}

function chartable(st) {
  return st.rows.length > 0 && st.columns.some((_, i) => typeof st.rows[0][i] === 'number');
}

async function chart(node) {
  clearError();
  const st = node.last;
  // Labels from the first text column (else the first column), values from
  // the first other numeric column.
  const labelCol = Math.max(0, st.columns.findIndex((_, i) => typeof st.rows[0][i] !== 'number'));
  let valueCol = st.columns.findIndex((_, i) => i !== labelCol && typeof st.rows[0][i] === 'number');
  if (valueCol < 0) valueCol = labelCol;
  const rows = st.rows.map((r) => ({ label: String(r[labelCol]), value: Number(r[valueCol]) }));
  try {
    const svg = await chartRows(`${st.columns[valueCol]} by ${st.columns[labelCol]}`, rows, (e) => panel.event(e));
    node.querySelector('.chart-view').innerHTML = svg;
  } catch (e) {
    showError(`The chart could not be drawn: ${e.message}`);
  } finally {
    panel.update(state.app, state.info);
  }
}

$('#add-cell').addEventListener('click', () => addCell(''));
$('#throttle').addEventListener('change', async (e) => {
  localStorage.setItem('throttle', e.target.value);
  await applyThrottle();
});
$('#use-cache').addEventListener('change', (e) => localStorage.setItem('useCache', String(e.target.checked)));
$('#restart').addEventListener('click', () => location.reload());

// For the headless session and the tests.
window.notebook = {
  cells: () => [...document.querySelectorAll('.cell')],
  run: (i) => document.querySelectorAll('.cell')[i].run(),
  chart: (i) => chart(document.querySelectorAll('.cell')[i]),
  sql: (text) => runSql(text),
  timeline: () => panel.timeline(),
  errors: () => [...state.errors],
  stats: () => state.app && { ...state.app.stats, modules: state.app.modules.map((m) => m.name) },
};

for (const text of SAMPLE) addCell(text);
start().then(() => {
  window.__lazylinkResult = { ready: true };
}, (e) => {
  setStatus('the app did not start');
  showError(`The app could not start: ${e.message}`);
  window.__lazylinkResult = { ready: false, error: e.message };
});
