// The demo's live panel: a waterfall of module loads, the domain's memory
// map and table occupancy, and counters. Pictures, not logs.
const PHASES = ['fetch', 'compile', 'link', 'init'];
const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];

function fmtBytes(n) {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(2)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'style') {
      for (const [p, val] of Object.entries(v)) {
        if (p.startsWith('--')) e.style.setProperty(p, val);
        else e.style[p] = val;
      }
    } else {
      e.setAttribute(k, v);
    }
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

export class Panel {
  constructor(root, startedAt) {
    this.root = root;
    this.t0 = startedAt;
    this.loads = new Map();  // module -> {bytes, marks: {phase: ms}}
    this.order = [];
  }

  // A progress event from the loader ({module, phase, loaded, total}).
  event(e) {
    const t = performance.now() - this.t0;
    let rec = this.loads.get(e.module);
    if (!rec) {
      rec = { bytes: 0, marks: {} };
      this.loads.set(e.module, rec);
      this.order.push(e.module);
    }
    if (e.total) rec.bytes = e.total;
    if (rec.marks[e.phase] === undefined) rec.marks[e.phase] = t;
    if (e.phase === 'done') rec.marks.end = t;
    this.drawWaterfall();
  }

  // Time from the start to the last mark, for the table the headless run prints.
  timeline() {
    return this.order.map((name) => {
      const { bytes, marks } = this.loads.get(name);
      return { module: name, bytes, ...Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v)])) };
    });
  }

  drawWaterfall() {
    const box = this.root.querySelector('#waterfall');
    box.textContent = '';
    let end = 1;
    for (const { marks } of this.loads.values()) end = Math.max(end, marks.end ?? 0, ...Object.values(marks));
    const pct = (v) => `${(100 * v) / end}%`;
    for (const name of this.order) {
      const { bytes, marks } = this.loads.get(name);
      const row = el('div', { class: 'wf-row' });
      row.append(el('div', { class: 'wf-name', title: name }, name), el('div', { class: 'wf-size' }, fmtBytes(bytes)));
      const track = el('div', { class: 'wf-track' });
      const points = PHASES.map((p) => marks[p]);
      PHASES.forEach((phase, i) => {
        const start = points[i];
        if (start === undefined) return;
        const next = [...points.slice(i + 1), marks.end].find((v) => v !== undefined) ?? start;
        track.append(el('span', { class: phase, title: `${phase}: ${Math.round(next - start)} ms`,
          style: { left: pct(start), width: pct(Math.max(next - start, end / 400)) } }));
      });
      row.append(track);
      box.append(row);
    }
    const axis = el('div', { class: 'wf-axis' });
    axis.append(el('span', {}, '0 ms'), el('span', {}, `${Math.round(end)} ms`));
    box.append(axis);
  }

  // Memory map, table occupancy and counters from the live domain.
  update(app, info) {
    const d = app.domain;
    const mem = d.memory.buffer.byteLength;
    const modules = d.modules().filter((m) => m.memorySize > 0).sort((a, b) => a.memoryBase - b.memoryBase);
    const sbrk = d.libstd?.sbrk ? d.libstd.sbrk(0) >>> 0 : d.heapBase;
    const regions = [
      { name: 'null guard', start: 0, size: d.stackLow, color: '#ddd' },
      { name: 'stack', start: d.stackLow, size: d.stackHigh - d.stackLow, color: '#9c755f' },
      ...modules.map((m, i) => ({ name: m.name, start: m.memoryBase, size: m.memorySize, color: COLORS[i % COLORS.length] })),
      { name: 'heap (in use)', start: d.heapBase, size: Math.max(0, sbrk - d.heapBase), color: '#bab0ac' },
    ];
    this.drawBar('#memory', regions, mem, '#memory-legend', true);
    this.root.querySelector('#memory-size').textContent = `${fmtBytes(mem)}, heap up to ${fmtBytes(sbrk)}`;

    const tableLen = d.table.length;
    const withSlots = d.modules().filter((m) => m.tableSize > 0);
    const elementSlots = withSlots.reduce((n, m) => n + m.tableSize, 0);
    const used = d.tableHighWater();
    const tRegions = withSlots.map((m, i) => ({
      name: `${m.name} elements`, start: m.tableBase, size: m.tableSize, color: COLORS[i % COLORS.length] }));
    // Slots below the high-water mark that no element segment holds are
    // canonical function slots and PLT resolvers.
    const gaps = [];
    let at = 1;
    for (const r of [...tRegions].sort((a, b) => a.start - b.start)) {
      if (r.start > at) gaps.push({ name: 'canonical / PLT slots', start: at, size: r.start - at, color: '#a9a99f' });
      at = Math.max(at, r.start + r.size);
    }
    if (used > at) gaps.push({ name: 'canonical / PLT slots', start: at, size: used - at, color: '#a9a99f' });
    this.drawBar('#table', [...tRegions, ...gaps], tableLen, '#table-legend', true);
    this.root.querySelector('#table-size').textContent =
      `${tableLen} slots: ${elementSlots} element, ${Math.max(0, used - 1 - elementSlots)} canonical/PLT, ${tableLen - used} free`;

    const s = app.stats;
    const fetched = s.fetch.bytesFromNetwork;
    const rows = [
      ['modules loaded', `${d.modules().length}`],
      ['symbols bound', `${s.symbolsBound}`],
      ['GOT entries', `${s.gotEntries}`],
      ['PLT entries', `${s.pltEntries}`],
      ['calls bound lazily', `${s.lazyEntries ?? 0}`],
      ['lazy resolutions (JS crossings)', `${s.lazyResolves}`],
      ['bytes fetched', fmtBytes(fetched)],
      ['from the Cache API', `${s.fetch.cacheHits} module(s)`],
      ['monolithic build', info ? fmtBytes(info.mono.wasmBytes + info.mono.jsBytes) : '?'],
      ['ready after', `${Math.round(app.startMs)} ms`],
    ];
    const dl = this.root.querySelector('#counters');
    dl.textContent = '';
    for (const [k, v] of rows) dl.append(el('dt', {}, k), el('dd', {}, v));
  }

  drawBar(selector, regions, total, legendSel, legend) {
    const bar = this.root.querySelector(selector);
    bar.textContent = '';
    let pos = 0;
    const free = '#f0f0ea';
    for (const r of regions.sort((a, b) => a.start - b.start)) {
      if (r.start > pos) bar.append(el('span', { style: { flex: `${r.start - pos}`, background: free } }));
      bar.append(el('span', { title: `${r.name}: ${fmtBytes(r.size)} at ${r.start}`,
        style: { flex: `${Math.max(r.size, total / 300)}`, background: r.color } }));
      pos = Math.max(pos, r.start + r.size);
    }
    if (total > pos) bar.append(el('span', { style: { flex: `${total - pos}`, background: free }, title: 'free' }));
    if (legend && legendSel) {
      const lg = this.root.querySelector(legendSel);
      lg.textContent = '';
      for (const r of regions) {
        const s = el('span', { style: { '--c': r.color } }, `${r.name} ${fmtBytes(r.size)}`);
        lg.append(s);
      }
    }
  }
}
