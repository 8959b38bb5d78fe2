/* geostress dashboard: plain JS, no build step. Talks to the same-origin JSON API under api/ and draws with the
 * plotly.js the service serves itself (static/vendor/plotly.min.js). Sections: helpers, routing, scenario view
 * (presets, sliders → spec, run/poll/cancel, charts and tables), holders view, minerals view, price a sale,
 * start-up. */
'use strict';

(() => {
  // ---------------------------------------------------------------------------------------------- helpers
  const $ = (id) => document.getElementById(id);
  const CHINA = 'china_mainland_official';
  const POLL_MS = 400;
  /** Python's `f"{x:,.{digits}f}"`, as the report writes numbers: the number's exact binary value rounded to
   * `digits` decimals, an exact half to even (1,865 of 2,000 paths: 93.25 → 93.2%), with thousands separators.
   * Intl.NumberFormat rounds the shortest decimal that reads back as the number instead: 100 × 0.9335 is
   * 93.349999…, which it read as the tie 93.35 and wrote 93.4% where the report writes 93.3%. No minus sign on a
   * figure that rounds to zero. */
  const GROUPS = /\B(?=(\d{3})+(?!\d))/g;
  const fixedFormat = (digits) => ({
    format: (x) => {
      if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : `${x < 0 ? '-' : ''}∞`;
      const a = Math.abs(x);
      if (a >= 1e21) {  // toFixed writes an exponent from here; every double this large is a whole number
        const whole = BigInt(a).toString().replace(GROUPS, ',');
        return `${x < 0 ? '-' : ''}${whole}${digits ? `.${'0'.repeat(digits)}` : ''}`;
      }
      const exact = a.toFixed(100);  // every decimal of the binary value (a double needs fewer than 100 here)
      const point = exact.indexOf('.');
      const rest = exact.slice(point + 1 + digits);
      let text = a.toFixed(digits);  // the nearest; an exact half goes up
      if (rest[0] === '5' && /^0*$/.test(rest.slice(1))) {
        const down = exact.slice(0, digits ? point + 1 + digits : point);
        if (Number(down.at(-1)) % 2 === 0) text = down;
      }
      const [whole, decimals] = text.split('.');
      const grouped = whole.replace(GROUPS, ',');
      return `${x < 0 && /[1-9]/.test(text) ? '-' : ''}${grouped}${decimals === undefined ? '' : `.${decimals}`}`;
    },
  });
  // for the console and the tests, which hold it against the report's formatting
  window.geostressFixed = (x, digits) => fixedFormat(digits).format(x);
  const NUM0 = fixedFormat(0);
  const NUM1 = fixedFormat(1);
  const NUM2 = fixedFormat(2);
  const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
  /** A number with a real minus sign (and a plus when `plus`), its sign taken after rounding (no "−0.0"). */
  const signed = (x, nf, plus = false) => {
    const text = nf.format(Math.abs(x));
    const zero = Number(text.replace(/,/g, '')) === 0;
    return `${zero ? '' : x < 0 ? '−' : plus ? '+' : ''}${text}`;
  };
  /** The sign a change prints with, none when its figure as shown (`text`) reads zero. */
  const signOf = (x, text) => (Number(text.replace(/,/g, '')) === 0 ? '' : x > 0 ? '+' : x < 0 ? '−' : '');
  /** USD bn: a decimal below $10bn (a $0.1bn sale is not "$0bn"), whole above (as the report does). */
  const bnNum = (x) => signed(x, Math.abs(x) < 9.95 ? NUM1 : NUM0);
  const fmt = {
    pct: (x) => (isNum(x) ? `${NUM1.format(100 * x)}%` : '—'),
    pct2: (x) => (isNum(x) ? `${NUM2.format(100 * x)}%` : '—'),  // a small share (0.32%), not "0.3%"
    bn: (x) => (isNum(x) ? `$${bnNum(x)}bn` : '—'),
    // term-premium changes: one decimal, the persistent effect two (as the report shows them: "+3.61")
    bp: (x) => (isNum(x) ? `${signed(x, NUM1, true)} bp` : '—'),
    bp2: (x) => (isNum(x) ? `${signed(x, NUM2, true)} bp` : '—'),
    num: (x) => (isNum(x) ? NUM0.format(x) : '—'),
    // a change with its sign taken after rounding, as `signed` does: "$0.0bn", not "−$0.0bn"
    signedBn: (x) => (isNum(x) ? `${signOf(x, bnNum(Math.abs(x)))}$${bnNum(Math.abs(x))}bn` : '—'),
    signedPct: (x) => (isNum(x) ? `${signOf(x, NUM1.format(Math.abs(100 * x)))}${NUM1.format(Math.abs(100 * x))}%` : '—'),
  };

  /** Create an element with attributes/properties and children (strings become text nodes: no innerHTML). */
  function h(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  /** Fill a table from a header row and body rows (arrays of cells; a cell may be a string or {text, class}). */
  function fillTable(table, head, rows) {
    const cell = (tag, c) => (c && typeof c === 'object' && !(c instanceof Node)
      ? h(tag, { class: c.class, text: c.text }) : h(tag, {}, c === null || c === undefined ? '—' : c));
    table.replaceChildren(
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((r) => h('tr', { class: r.group ? 'group' : null, 'data-testid': r.testid }, (r.cells || r).map((c) => cell('td', c))))),
    );
  }

  class ApiError extends Error {
    constructor(status, body) {
      super(typeof body?.detail === 'string' ? body.detail : `HTTP ${status}`);
      this.status = status;
      this.body = body;
    }
  }

  /** Same-origin JSON request (relative URL, so the dashboard also works under a path prefix). */
  async function api(path, { method = 'GET', body } = {}) {
    const init = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const resp = await fetch(`api/${path}`, init);
    let data = null;
    try { data = await resp.json(); } catch { data = null; }
    if (!resp.ok) throw new ApiError(resp.status, data);
    return data;
  }

  const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['lasso2d', 'select2d'] };
  const COLORS = ['#2f5d8a', '#b4462c', '#3f8f5f', '#8a5a9c', '#c08a1e', '#4a9bb0', '#6b7785', '#a23e6b', '#5f6f2f', '#333d47'];

  /** Shared Plotly layout: neutral, compact, system font. */
  function layout(title, yFormat, extra = {}) {
    return {
      title: { text: title, font: { size: 14 }, x: 0.01, xanchor: 'left' },
      font: { family: getComputedStyle(document.body).fontFamily, size: 12, color: '#1f2933' },
      margin: { l: 58, r: 14, t: 38, b: 40 },
      paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: '#ffffff',
      hovermode: 'x unified',
      xaxis: { gridcolor: '#eef0f3', linecolor: '#c9d0d8', zeroline: false },
      yaxis: { gridcolor: '#eef0f3', linecolor: '#c9d0d8', zeroline: false, tickformat: yFormat, hoverformat: yFormat.replace('0', '1') },
      legend: { orientation: 'h', y: -0.14, x: 0, font: { size: 11 }, traceorder: 'normal' },
      ...extra,
    };
  }

  /** Decimals of the y-axis ticks for the traces' values: enough that ticks a fifth of the range apart read
   * differently (an effect under 1 bp is not labelled 0, 0, 0, 1, 1). */
  function yDigits(traces) {
    const ys = traces.flatMap((tr) => (Array.isArray(tr.y) ? tr.y : [])).filter(isNum);
    if (!ys.length) return 0;
    const span = Math.max(...ys) - Math.min(...ys) || Math.abs(ys[0]);
    if (!(span > 0)) return 0;
    return Math.min(4, Math.max(0, Math.ceil(-Math.log10(span / 5) - 1e-9)));
  }

  /** Set the y-axis tick and hover formats of `lay` from the traces' range (see yDigits). */
  function fitTicks(lay, traces) {
    const n = yDigits(traces);
    lay.yaxis = { ...lay.yaxis, tickformat: `.${n}f`, hoverformat: `.${n + 1}f` };
    return lay;
  }

  function placeholder(div, text) {
    Plotly.react(div, [], layout('', '.0f', {
      xaxis: { visible: false }, yaxis: { visible: false },
      annotations: [{ text, showarrow: false, font: { color: '#66717f', size: 13 }, xref: 'paper', yref: 'paper', x: 0.5, y: 0.5 }],
    }), PLOT_CONFIG);
  }

  // ---------------------------------------------------------------------------------------------- routing
  const VIEWS = ['scenario', 'holders', 'minerals', 'impact'];
  const loaders = { holders: loadHolders, minerals: loadMineralsScenarios, impact: openImpact };
  const loaded = new Set();

  function route() {
    const view = VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'scenario';
    for (const v of VIEWS) {
      $(`view-${v}`).hidden = v !== view;
      if (v === view) $(`tab-${v}`).setAttribute('aria-current', 'page');
      else $(`tab-${v}`).removeAttribute('aria-current');
    }
    if (loaders[view] && !loaded.has(view)) { loaded.add(view); loaders[view](); }
    // Plotly sizes charts drawn while hidden wrongly: resize the visible ones.
    $(`view-${view}`).querySelectorAll('.js-plotly-plot').forEach((d) => Plotly.Plots.resize(d));
  }

  // ---------------------------------------------------------------------------------------------- scenario: state
  const state = {
    presets: [],
    base: null,        // the spec the sliders edit (a preset, or JSON applied by the user)
    baseId: null,      // the preset's id when the base is a preset (the name `geostress run` takes), else null
    dirty: new Set(),  // sliders the user moved since the base was set (untouched ones keep the base's values)
    runId: null,
    polling: null,
    current: null,     // last displayed result
    previous: null,    // the one before it: drawn faintly for comparison
    saleMax: null,     // the largest sale the model accepts (China's official holdings, whole $bn)
    sent: new Map(),   // run id → the spec sent for it (whether its contagion block was on: the result does not say)
  };

  // Slider id → its name in running text (an edited spec's description), how it reads from and writes into a spec.
  const SLIDERS = {
    sale: {
      name: 'China sale size',
      read: (s) => chinaSale(s)?.amount_bn ?? 0,
      label: (v) => (v > 0 ? fmt.bn(v) : 'none'),
      write: (s, v) => {
        const i = s.sales.findIndex((x) => x.holder === CHINA);
        if (v <= 0) { if (i >= 0) s.sales.splice(i, 1); return; }
        if (i >= 0) s.sales[i].amount_bn = v;
        else s.sales.push({ holder: CHINA, amount_bn: v, months: Number($('slider-pace').value), start_month: 1 });
      },
    },
    pace: {
      name: 'sale pace',
      read: (s) => chinaSale(s)?.months ?? 12,
      label: (v) => `${v} month${v === 1 ? '' : 's'}`,
      write: (s, v) => { const sale = chinaSale(s); if (sale) sale.months = v; },
    },
    contagion: {
      name: 'contagion strength',
      read: (s) => (s.contagion?.enabled ? s.contagion.scale ?? 1 : 0),
      label: (v) => (v > 0 ? `${v.toFixed(1)}× the stated priors` : 'off'),
      write: (s, v) => {
        s.contagion = s.contagion || {};
        s.contagion.enabled = v > 0;
        if (v > 0) s.contagion.scale = v;
      },
    },
    premium: {
      name: 'risk-premium slope',
      read: (s) => s.fiscal?.fiscal_risk_premium_bp_per_pp ?? 2,
      label: (v) => `${NUM1.format(v)} bp per pp`,
      write: (s, v) => { s.fiscal = s.fiscal || {}; s.fiscal.fiscal_risk_premium_bp_per_pp = v; },
    },
    horizon: {
      name: 'horizon',
      read: (s) => s.scenario?.horizon_years ?? 30,
      label: (v) => `${v} years`,
      write: (s, v) => { s.scenario = s.scenario || {}; s.scenario.horizon_years = v; },
    },
  };
  const chinaSale = (s) => (s.sales || []).find((x) => x.holder === CHINA);

  // Field path of a 422 error → the form control it belongs to.
  function fieldFor(loc) {
    const path = loc.filter((p) => p !== 'body' && p !== 'spec').join('.');
    if (path.startsWith('sales')) return [path.endsWith('months') ? 'pace' : 'sale', path];
    const map = {
      'scenario.horizon_years': 'horizon', 'simulation.paths': 'paths',
      'fiscal.fiscal_risk_premium_bp_per_pp': 'premium', 'contagion.scale': 'contagion',
    };
    return [map[path] || null, path];
  }

  // ---------------------------------------------------------------------------------------------- scenario: form
  /** A slider's value as the spec gets it. The sale slider's last step is China's holdings exactly: its range
   * ends at the next multiple of the step and anything past the holdings reads as the holdings. */
  function sliderValue(key) {
    const v = Number($(`slider-${key}`).value);
    return key === 'sale' && state.saleMax !== null ? Math.min(v, state.saleMax) : v;
  }

  /** The largest value a slider gives (the sale slider: the holdings, not its range's stepped end). */
  const sliderTop = (key) => (key === 'sale' && state.saleMax !== null ? state.saleMax : Number($(`slider-${key}`).max));

  /** The paths the spec gets: the chosen option, or exactly what the JSON said when no option shows it. */
  function chosenPaths() {
    const opt = $('paths').selectedOptions[0];
    return opt && opt.dataset.json !== undefined ? JSON.parse(opt.dataset.json) : Number($('paths').value);
  }

  /** How the description of a spec edited with the sliders ends. */
  const EDITED = ' (sliders moved in the dashboard)';

  /** The spec to send: a copy of the base with the sliders the user moved and the chosen path count. Untouched
   * sliders leave the base's values as they are, also those a slider cannot show (a horizon of 60 years). */
  function buildSpec() {
    const spec = structuredClone(state.base || {});
    spec.sales = spec.sales || [];
    for (const [key, sl] of Object.entries(SLIDERS)) {
      const unset = key === 'horizon' && spec.scenario?.horizon_years === undefined;  // the slider's 30 years
      if (state.dirty.has(key) || unset) sl.write(spec, sliderValue(key));
    }
    spec.simulation = { ...(spec.simulation || {}), paths: chosenPaths() };
    const moved = movedSliders(spec);
    if (moved.length) {
      // no longer the preset: named as the service names an edited spec, and saying what moved (the result's
      // title, the runs list and the CLI hint would otherwise give the preset's name for other numbers); a base
      // that was itself edited here (its JSON applied) keeps what its description says moved before
      const base = state.base?.scenario || {};
      const before = !state.baseId && base.name === 'custom' && typeof base.description === 'string'
        && base.description.endsWith(EDITED) ? base.description.slice(0, -EDITED.length) : null;
      const what = moved.map(([key, v]) => `${sliderName(key)} ${SLIDERS[key].label(v)}`).join(', ');
      const from = state.baseId ?? base.name ?? 'the base spec';
      spec.scenario = { ...(spec.scenario || {}), name: 'custom',
        description: `${before ? `${before}, then` : `${from} with`} ${what}${EDITED}` };
    }
    return spec;
  }

  /** The sliders the user moved to a value other than the base's, each with the value the spec gets. */
  function movedSliders(spec) {
    const base = state.base || {};
    return [...state.dirty].map((key) => [key, SLIDERS[key].read(spec)])
      .filter(([key, v]) => JSON.stringify(v) !== JSON.stringify(SLIDERS[key].read(base)));
  }

  /** A slider's name in running text ("China sale size", "sale pace"). */
  const sliderName = (key) => SLIDERS[key].name;

  /** The command-line equivalent under the preset's description: the preset's own command, and when sliders have
   * moved or JSON was applied, that it runs the preset as filed, not what the form now sends. */
  function showCli() {
    const note = $('preset-cli-note');
    if (!note) return;
    note.textContent = !state.baseId ? ' runs the preset as filed, not the JSON applied below'
      : movedSliders(buildSpec()).length ? ' runs the preset as filed, without the sliders moved here (the spec below has them)'
        : '';
  }

  /** Say when the spec holds a value its slider cannot show: it is sent as it is, and the server checks it. */
  function noteOffScale(key, v) {
    const input = $(`slider-${key}`);
    const note = document.querySelector(`[data-note-for="${key}"]`);
    const [lo, hi] = [Number(input.min), sliderTop(key)];
    let text = '';
    if (!isNum(v)) text = `${JSON.stringify(v) ?? String(v)} is not a number: it is sent as it is, and the server checks it.`;
    else if (v < lo || v > hi) {
      text = `${SLIDERS[key].label(v)} is outside the slider's range (${SLIDERS[key].label(lo)} to ${SLIDERS[key].label(hi)}): `
        + 'it is sent as it is, and the server checks it.';
    }
    note.textContent = text;
    note.hidden = !text;
  }

  /** Show the base's values on the sliders (untouched sliders display the exact spec value, even one the slider
   * cannot take). */
  function syncSliders() {
    for (const [key, sl] of Object.entries(SLIDERS)) {
      const v = sl.read(state.base);
      const text = isNum(v) ? sl.label(v) : JSON.stringify(v) ?? String(v);
      $(`slider-${key}`).value = String(v);
      $(`slider-${key}`).setAttribute('aria-valuetext', text);
      $(`value-${key}`).textContent = text;
      noteOffScale(key, v);
    }
    state.dirty.clear();
    updateDependent();
    showSpecJson();
  }

  function updateDependent() {
    $('slider-pace').disabled = sliderValue('sale') <= 0 && !chinaSale(state.base || {});
  }

  /** Paths from applied JSON: select the option with that value, else add one that shows (and sends) it. */
  function showPaths(paths) {
    if (paths === undefined) return;  // the JSON names none: the current choice stays
    const select = $('paths');
    select.querySelector('option[data-json]')?.remove();
    const match = [...select.options].find((o) => typeof paths === 'number' && Number(o.value) === paths);
    if (match) { select.value = match.value; return; }
    const json = JSON.stringify(paths) ?? 'null';
    const text = isNum(paths) && Number.isInteger(paths) ? NUM0.format(paths) : json;
    select.append(h('option', { value: `json:${json}`, 'data-json': json, text: `${text} (from the JSON)` }));
    select.value = `json:${json}`;
  }

  function showSpecJson() {
    if (document.activeElement !== $('spec-json')) $('spec-json').value = JSON.stringify(buildSpec(), null, 1);
    showCli();
  }

  /** A preset's id: its file's stem, the name `geostress run` takes (the declared scenario name may differ:
   * china_sells.toml declares "china-sells"). */
  const presetId = (p) => String(p.file || p.name).replace(/\.toml$/i, '');

  function choosePreset(id) {
    const preset = state.presets.find((p) => presetId(p) === id);
    if (!preset) return;
    state.base = structuredClone(preset.spec);
    state.baseId = id;
    $('preset-description').replaceChildren(preset.description || '', preset.description ? ' ' : '',
      h('span', { class: 'cli' }, 'CLI: ', h('code', { id: 'preset-cli', 'data-testid': 'preset-cli', text: `geostress run ${id}` }),
        h('span', { id: 'preset-cli-note', 'data-testid': 'preset-cli-note' })));
    clearErrors();
    syncSliders();
  }

  /** Cap the sale slider at China's official holdings when the run starts: the model refuses a larger sale. */
  async function loadSaleLimit(baseline) {
    try {
      const m = await api(`market/sectors?baseline=${encodeURIComponent(baseline || 'cbo:latest')}`);
      const china = m.sectors.find((x) => x.name === CHINA);
      if (!china) return;
      // The range ends at the next multiple of the step; its last step reads as the holdings (sliderValue).
      const top = Math.floor(china.holdings_bn);
      const step = Number($('slider-sale').step) || 1;
      state.saleMax = top;
      $('slider-sale').max = String(Math.ceil(top / step) * step);
      $('sale-limit').textContent = `At most China's official holdings on ${m.at} ($${NUM1.format(china.holdings_bn)}bn): `
        + `the slider's last step is $${NUM0.format(top)}bn.`;
    } catch { /* keep the static maximum; the server still answers a too-large sale with a 422 */ }
  }

  async function loadPresets() {
    try {
      await loadSaleLimit('cbo:latest');
      const { scenarios } = await api('scenarios');
      state.presets = scenarios;
      const select = $('preset');
      // the preset id (what `geostress run` takes) is the value and the text; a different declared name beside it
      select.replaceChildren(...scenarios.map((s) => {
        const id = presetId(s);
        return h('option', { value: id, 'data-name': s.name, text: s.name && s.name !== id ? `${id} (${s.name})` : id });
      }));
      const first = scenarios.find((s) => presetId(s) === 'china-sells-300bn') || scenarios[0];
      if (first) { select.value = presetId(first); choosePreset(presetId(first)); }
      select.disabled = false;
      $('run').disabled = false;
    } catch (err) {
      setStatus('error', `Could not load scenarios: ${err.message}`);
    }
  }

  function clearErrors() {
    $('form-errors').hidden = true;
    $('form-errors').replaceChildren();
    document.querySelectorAll('[data-error-for]').forEach((e) => { e.textContent = ''; });
    $('scenario-form').querySelectorAll('.field.invalid').forEach((e) => e.classList.remove('invalid'));
  }

  /** 422: each message next to its control (when it maps to one) and all of them, with field paths, in a list. */
  function showValidation(detail) {
    clearErrors();
    const items = (Array.isArray(detail) ? detail : [{ loc: [], msg: String(detail) }]).map((d) => {
      const [field, path] = fieldFor(d.loc || []);
      if (field) {
        const slot = document.querySelector(`[data-error-for="${field}"]`);
        slot.textContent = `${path}: ${d.msg}`;
        slot.closest('.field').classList.add('invalid');
      }
      return h('li', {}, h('code', { text: path || 'request' }), `: ${d.msg}`);
    });
    $('form-errors').replaceChildren(h('strong', { text: 'The scenario was not accepted:' }), h('ul', {}, items));
    $('form-errors').hidden = false;
  }

  // ---------------------------------------------------------------------------------------------- scenario: run
  function setStatus(kind, text, progress = null, runId = null) {
    const status = $('status');
    status.dataset.state = kind;
    if (runId) status.dataset.runId = runId;
    status.textContent = text;
    const bar = $('progress');
    bar.classList.toggle('indeterminate', kind === 'queued' || (kind === 'running' && !progress));
    const pct = Math.round(100 * (progress ?? (kind === 'done' ? 1 : 0)));
    bar.querySelector('.bar').style.width = `${pct}%`;
    bar.setAttribute('aria-valuenow', String(pct));
  }

  function setRunning(running) {
    $('run').disabled = running;
    $('cancel').hidden = !running;
    $('preset').disabled = running;
  }

  async function startRun(event) {
    event.preventDefault();
    clearErrors();
    const spec = buildSpec();
    setRunning(true);
    setStatus('queued', 'Submitting…');
    try {
      const run = await api('runs', { method: 'POST', body: { spec } });
      state.runId = run.id;
      state.sent.set(run.id, spec);
      setStatus(run.status, `Queued (${spec.scenario?.name || 'scenario'})`, 0, run.id);
      poll(run.id);
    } catch (err) {
      setRunning(false);
      if (err.status === 422) { showValidation(err.body?.detail); setStatus('error', 'Fix the highlighted fields and run again.'); }
      else if (err.status === 429) setStatus('error', 'The server is busy (run queue full); try again in a moment.');
      else setStatus('error', `Could not start the run: ${err.message}`);
    }
  }

  function poll(id) {
    clearTimeout(state.polling);
    state.polling = setTimeout(async () => {
      if (id !== state.runId) return;
      let run;
      try { run = await api(`runs/${encodeURIComponent(id)}`); } catch (err) {
        setRunning(false); setStatus('error', `Lost track of the run: ${err.message}`); return;
      }
      const pct = isNum(run.progress) ? run.progress : 0;
      if (run.status === 'queued' || run.status === 'running') {
        const label = run.status === 'queued' ? 'Queued' : `Running ${Math.round(100 * pct)}%`;
        setStatus(run.status, `${label}${run.message ? ` · ${run.message}` : ''}`, pct, id);
        poll(id);
      } else if (run.status === 'done') {
        await showResult(id, run);
      } else {
        setRunning(false);
        const why = run.error || run.message || '';
        setStatus(run.status, `Run ${run.status}${why ? `: ${why}` : ''}`, pct, id);
      }
    }, POLL_MS);
  }

  async function cancelRun() {
    if (!state.runId) return;
    try { await api(`runs/${encodeURIComponent(state.runId)}`, { method: 'DELETE' }); } catch (err) {
      setStatus('error', `Could not cancel: ${err.message}`);
    }
  }

  /** A timestamp as epoch ms: ISO strings, or epoch seconds as numbers. */
  const toMs = (t) => (isNum(t) ? (t < 1e11 ? t * 1000 : t) : t ? Date.parse(t) : NaN);

  async function showResult(id, run) {
    try {
      const result = await api(`runs/${encodeURIComponent(id)}/result`);
      const sent = state.sent.get(id);
      state.sent.delete(id);  // read once: the result keeps what it needs
      if (sent) result.contagionOff = !sent.contagion?.enabled;  // no cascade to measure (as the CLI's "n/a")
      if (state.current) state.previous = state.current;
      state.current = result;
      drawFans(result, state.previous);
      drawHeadline(result, state.previous);
      drawBackstop(result, state.previous);
      drawTermPremium(result, state.previous);
      drawAnnual(result);
      $('result-title').textContent = `· ${result.scenario}`;
      const secs = (toMs(run.finished) - toMs(run.started)) / 1000;
      const paths = result.summary?.ensemble?.paths ?? 0;
      setStatus('done', `Done · ${paths ? `${fmt.num(paths)} paths` : 'deterministic'}${isNum(secs) && secs >= 0 ? ` in ${NUM1.format(secs)} s` : ''}`, 1, id);
      $('chart-debt').dataset.runId = id;
    } catch (err) {
      setStatus('error', `Could not fetch the result: ${err.message}`);
    } finally {
      setRunning(false);
    }
  }

  // ---------------------------------------------------------------------------------------------- scenario: output
  const FANS = [
    { div: 'chart-debt', v: 'debt_to_gdp', title: 'Debt held by the public, % of GDP', f: '.0%' },
    { div: 'chart-interest', v: 'net_interest_to_gdp', title: 'Net interest, % of GDP', f: '.1%' },
    { div: 'chart-yield', v: 'yield_10y', title: '10-year Treasury yield', f: '.1%' },
  ];

  /** Fan chart: p05–p95 and p25–p75 filled bands, median, deterministic dashed, previous run's centre faint. */
  function fanTraces(years, d, prev) {
    const line = (y, name, uid, style, extra = {}) => ({ x: years, y, type: 'scatter', mode: 'lines', name, uid, line: style, ...extra });
    const edge = { width: 0 };
    const band = (lo, hi, name, fill) => [
      line(d[lo], name, lo, edge, { hoverinfo: 'skip', showlegend: false }),
      line(d[hi], name, hi, edge, { hoverinfo: 'skip', fill: 'tonexty', fillcolor: fill }),
    ];
    const traces = [];
    if (d.p05 && d.p95) traces.push(...band('p05', 'p95', '5–95%', 'rgba(47,93,138,0.14)'));
    if (d.p25 && d.p75) traces.push(...band('p25', 'p75', '25–75%', 'rgba(47,93,138,0.30)'));
    if (d.p50) traces.push(line(d.p50, 'median', 'median', { color: '#2f5d8a', width: 2.5 }));
    if (d.deterministic) traces.push(line(d.deterministic, 'deterministic', 'deterministic', { color: '#1f2933', width: 1.5, dash: 'dash' }));
    if (prev) {
      traces.push({ ...line(prev.y, 'previous run', 'previous', { color: 'rgba(179,70,44,0.55)', width: 1.5, dash: 'dot' }),
        x: prev.x, meta: prev.label });
    }
    return traces;
  }

  function centre(result, v) {
    const d = result?.fan?.variables?.[v];
    if (!d) return null;
    return { x: result.fan.fiscal_years, y: d.p50 || d.deterministic, label: result.scenario };
  }

  function drawFans(result, previous) {
    for (const c of FANS) {
      const d = result.fan.variables[c.v] || {};
      Plotly.react($(c.div), fanTraces(result.fan.fiscal_years, d, centre(previous, c.v)), layout(c.title, c.f), PLOT_CONFIG);
    }
  }

  const PROB_LABEL = (key) => {
    let m = key.match(/^p_debt_gt_(\d+)pct_by_(\d+)$/);
    if (m) return `P(debt/GDP > ${m[1]}% by ${m[2]})`;
    m = key.match(/^p_interest_revenue_gt_(\d+)pct$/);
    if (m) return `P(interest > ${m[1]}% of revenue)`;
    if (key === 'p_not_stabilising') return 'P(debt/GDP not stabilising)';
    return key.replace(/_/g, ' ');
  };

  // Headline rows: label, summary key, formatter, change formatter (this run − previous).
  const delta = (d, nf, unit) => {
    const text = signed(d, nf, true);
    return `${/^[+−]/.test(text) ? '' : '±'}${text}${unit}`;  // ±0.0: no change at the digits shown
  };
  const diff = {
    pct: (d) => delta(100 * d, NUM1, ' pp'),
    pct2: (d) => delta(100 * d, NUM2, ' pp'),
    bp: (d) => delta(d, NUM1, ' bp'),
    bp2: (d) => delta(d, NUM2, ' bp'),
    bn: (d) => fmt.signedBn(d),
  };

  /** Whether a result has the market block (sales, announcements, threats, liquidity shocks or contagion): its
   * summary's market figures are otherwise null (not measured: only the market block runs the no-event twin). */
  const hasMarket = (res) => Boolean(res && (res.market || isNum(res.summary?.persistent_10y_change_bp)));
  const NO_MARKET = 'no market block';
  /** A run of one path (paths 0 or 1): its percentiles are that path, not a distribution. */
  const onePath = (res) => Boolean(res) && (res.summary?.ensemble?.paths ?? 0) <= 1;

  /** A 5–95% range in bp; a negative end takes "to", as the report writes it: "−1.15 to 7.86 bp", not
   * "−1.15–7.86 bp". */
  const bpRange = (lo, hi, nf) => {
    const to = (signed(lo, nf) + signed(hi, nf)).includes('−') ? ' to ' : '–';
    return `${signed(lo, nf)}${to}${signed(hi, nf)} bp`;
  };

  /** The 5–95% range of a summary figure (`key_p05`, `key_p95`), "one path: no range" for a run of one path, and
   * "no market block" for a run without it (never a number or a range then). */
  const rangeText = (res, key, nf, unit) => {
    if (!res) return '—';
    if (!hasMarket(res)) return NO_MARKET;
    const x = res.summary || {};
    const [lo, hi] = [x[`${key}_p05`], x[`${key}_p95`]];
    if (!isNum(lo) || !isNum(hi)) return isNum(x[key]) ? 'one path: no range' : '—';
    if (unit !== 'bn') return bpRange(lo, hi, nf);
    // USD bn as everywhere (and as the CLI and the report): whole, with one decimal below $10bn ("$30–75bn")
    const to = (bnNum(lo) + bnNum(hi)).includes('−') ? ' to ' : '–';
    const money = (x) => { const t = bnNum(x); return t.startsWith('−') ? `−$${t.slice(1)}` : `$${t}`; };  // −$1
    return to === '–' ? `$${bnNum(lo)}–${bnNum(hi)}bn` : `${money(lo)} to ${money(hi)}bn`;
  };

  /** A USD bn range: one figure when both ends read the same at the digits shown ("$50bn", not "$50–50bn"). */
  const bnRange = (lo, hi) => (bnNum(lo) === bnNum(hi) ? `$${bnNum(hi)}bn` : `$${bnNum(lo)}–${bnNum(hi)}bn`);

  /** The published persistent range of a result's market block, split into what it is for: the scheduled sales
   * the model prices as persistent and the contagion block's net official selling by the persistent month (median
   * path; its liquidity run counts less the FIMA repo then outstanding). Amounts are [low, high] USD bn. */
  function publishedParts(res) {
    const lit = res?.market?.published_persistent;
    if (!lit || !isNum(lit.low_bp) || !isNum(lit.high_bp)) return null;
    const total = lit.persistent_bn || [0, 0];
    // results written before contagion_persistent_bn was sent: the officials' net selling, the FIMA share not taken off
    const both = (lit.contagion_official_bn || 0) + (lit.contagion_run_bn || 0);
    const contagion = lit.contagion_persistent_bn || [both, both];
    return {
      lit, contagion,
      scheduled: [total[0] - contagion[0], total[1] - contagion[1]],
      month: lit.persistent_month ?? res.summary?.persistent_month ?? 24,
    };
  }

  /** What the published range is for: "for $300bn of scheduled official sales", "for the $51bn the contagion
   * block's officials sold on net by month 24 (median path)". */
  function publishedFor(res) {
    const parts = publishedParts(res);
    if (!parts) return '';
    const { lit, contagion, scheduled, month } = parts;
    const items = [];
    if (scheduled[1] >= 0.05) {
      const amount = bnRange(...scheduled);
      items.push(`${amount} of scheduled official sales${amount.includes('–') ? ' (liquidity-motivated ones less the FIMA repo\'s share)' : ''}`);
    }
    if (contagion[1] >= 0.05) {
      const where = onePath(res) ? 'the run\'s one path' : 'median path';
      items.push(`the ${bnRange(...contagion)} the contagion block's officials sold on net by month ${month} (${where})`);
    }
    return items.length ? `for ${items.join(' and ')}` : '';
  }

  function drawHeadline(result, previous) {
    const s = result.summary || {};
    const p = previous?.summary || {};
    const [y10, y30] = s.horizon_years || ['+10y', '+30y'];
    // [label, this run, previous run, change]; `why` (this run's, the previous run's) replaces a figure that does
    // not apply (no market block, one path), and such a figure is not compared.
    const row = (label, a, b, kind, why = [null, null]) => {
      const [wa, wb] = why;
      const change = previous && !wa && !wb && isNum(a) && isNum(b) ? a - b : null;
      const text = isNum(change) ? diff[kind](change) : '—';
      // coloured as shown: a change that reads zero at the digits shown ("±0.0 pp", "$0.0bn") is not coloured
      const cls = text.startsWith('+') ? 'up' : text.startsWith('−') ? 'down' : null;
      return [label, wa || fmt[kind](a), previous ? wb || fmt[kind](b) : '—', { text, class: cls }];
    };
    const noMarket = [hasMarket(result) ? null : NO_MARKET, previous && !hasMarket(previous) ? NO_MARKET : null];
    const percentile = [onePath(result) ? 'one path' : null, previous && onePath(previous) ? 'one path' : null];
    // added net interest is summed over ten fiscal years, or over the horizon when it is shorter (as the CLI and the
    // report say); two runs summed over different years are not compared
    const summed = (res) => Math.min(10, res?.fan?.fiscal_years?.length || 10);
    const over = (n) => (n >= 10 ? 'first 10 years' : `${n} year${n === 1 ? '' : 's'} (the horizon)`);
    const otherYears = previous && summed(previous) !== summed(result);
    const interest = row(`Added net interest, ${over(summed(result))}${otherYears ? `; previous run: ${over(summed(previous))}` : ''}`,
      s.added_net_interest_10y_bn, p.added_net_interest_10y_bn, 'bn', noMarket);
    // the scale: the added interest as a share of the same years' net interest without the events (the median of
    // each path's share; the no-event twin's interest is the fiscal engine's, near CBO's projection)
    const share = row('Added interest as a share of net interest without the events', s.added_net_interest_10y_share,
      p.added_net_interest_10y_share, 'pct2', noMarket);
    if (otherYears) [interest, share].forEach((cells) => { cells[3] = { text: '—', class: null }; });
    const rows = [
      row(`Debt/GDP FY${y10}, median`, s.debt_gdp_10y_p50, p.debt_gdp_10y_p50, 'pct'),
      { cells: row(`Debt/GDP FY${y10}, 90th percentile`, s.debt_gdp_10y_p90, p.debt_gdp_10y_p90, 'pct', percentile), testid: 'p90' },
      // a horizon under 10 years reads both rows at its last year: that row once (as the CLI prints it)
      ...(y30 !== y10 ? [row(`Debt/GDP FY${y30}, median`, s.debt_gdp_30y_p50, p.debt_gdp_30y_p50, 'pct')] : []),
      // the market block's 10-year term premium (the fiscal engine's own yields add its policy rule and risk premium)
      // (a run of paths: the median of each path's own highest month, which can sit above the chart's median line)
      { cells: row(onePath(result) ? 'Peak 10-year term premium change' : 'Peak 10-year term premium change (median of each path\'s peak)', s.peak_10y_change_bp, p.peak_10y_change_bp, 'bp', noMarket), testid: 'peak' },
      { cells: interest, testid: 'interest' },
      { cells: share, testid: 'interest-share' },
    ];
    if (isNum(s.sold_bn_median) || isNum(p.sold_bn_median)) rows.push(row('Treasuries sold, gross (median)', s.sold_bn_median, p.sold_bn_median, 'bn', noMarket));
    // liquidity sales the officials financed at the FIMA repo rather than sold (as the CLI's table and the report)
    if (s.fima_bn_median || p.fima_bn_median) {
      rows.push({ cells: row('Liquidity sales financed at the FIMA repo, not sold (median)', s.fima_bn_median,
        p.fima_bn_median, 'bn', noMarket), testid: 'fima' });
    }
    // The market block (issue 14): ranges over parameter draws (none for a run of one path) and the literature's
    // range for the persistent effect beside the model's, saying what it is for; the Fed's backstop on and off side
    // by side are drawBackstop's table. A run without the market block says so in every row, never "one path: no
    // range".
    const ranges = (label, key, nf, unit, testid) => ({ cells: [label, rangeText(result, key, nf, unit), rangeText(previous, key, nf, unit), ''], testid });
    const published = (res) => {
      if (!res) return '—';
      if (!hasMarket(res)) return NO_MARKET;
      const lit = res.market?.published_persistent;
      if (!lit) return '—';
      if (!isNum(lit.low_bp) || !isNum(lit.high_bp)) return 'none: private sales are flows only';
      const what = publishedFor(res);
      return h('span', {}, h('span', { class: 'figure', text: `${NUM1.format(lit.low_bp)}–${NUM1.format(lit.high_bp)} bp` }),
        what ? h('span', { class: 'sub', 'data-testid': 'published-for', text: what }) : null);
    };
    if (hasMarket(result) || hasMarket(previous)) {
      rows.push({ group: true, cells: ['Treasury market (10-year term premium)', 'This run', previous ? 'Previous run' : '', ''] });
      if (noMarket[0] || noMarket[1]) {
        const block = (res) => (!res ? '—' : hasMarket(res) ? 'on' : 'none: no sales, announcements, threats, liquidity shocks or contagion');
        rows.push({ cells: ['Market block', block(result), block(previous), ''], testid: 'market-block' });
      }
      // a run with its own backstop off: its figures below are the backstop-off ones (the report's tiles say
      // "(backstop off)"; the headline said nothing)
      if (ownOff(result) || ownOff(previous)) {
        const backstop = (res) => (!res ? '—' : !hasMarket(res) ? NO_MARKET : ownOff(res) ? 'off (market.backstop = false)' : 'on');
        rows.push({ cells: ['Fed backstop', backstop(result), previous ? backstop(previous) : '—', ''], testid: 'backstop-setting' });
      }
      rows.push(ranges('Peak change, 5–95%', 'peak_10y_change_bp', NUM1, 'bp', 'peak-range'));
      const month = s.persistent_month || p.persistent_month || 24;
      rows.push({ cells: row(`Persistent change (month ${month})`, s.persistent_10y_change_bp, p.persistent_10y_change_bp, 'bp2', noMarket), testid: 'persistent' });
      rows.push(ranges('Persistent, 5–95%', 'persistent_10y_change_bp', NUM2, 'bp', 'persistent-range'));
      if (isNum(s.stock_effect_10y_bp) || isNum(p.stock_effect_10y_bp)) {  // the month's premium less the flow effect
        rows.push({ cells: row(`Stock effect alone (month ${month})`, s.stock_effect_10y_bp, p.stock_effect_10y_bp, 'bp2', noMarket), testid: 'stock' });
        rows.push(ranges('Stock effect alone, 5–95%', 'stock_effect_10y_bp', NUM2, 'bp', 'stock-range'));
      }
      const rule = (result.market || previous?.market)?.published_persistent?.bp_per_pp;
      const litLabel = `Persistent, published range${rule ? ` (${rule[0]}–${rule[1]} bp per pp of GDP)` : ''}`;
      rows.push({ cells: [litLabel, published(result), published(previous), ''], testid: 'published-persistent' });
      rows.push(ranges('Added net interest, 5–95%', 'added_net_interest_10y_bn', NUM0, 'bn', 'interest-range'));
      // A threat's two effects over windows from its month, with and without it on the same paths: less foreign
      // selling now on average (deterrence), more official selling later (the perceived freeze risk). Mean and
      // median: a threat lowers the mean short-run selling while the median path can sell more.
      const threat = (label, key) => {
        if (!isNum(s[`${key}_mean`]) && !isNum(p[`${key}_mean`])) return;
        for (const stat of ['mean', 'median']) {
          rows.push({ cells: row(`${label}, ${stat}`, s[`${key}_${stat}`], p[`${key}_${stat}`], 'bn', noMarket), testid: `${key}_${stat}` });
          rows.push({ cells: row(`… without the threat, ${stat}`, s[`${key}_${stat}_no_threat`], p[`${key}_${stat}_no_threat`], 'bn', noMarket), testid: `${key}_${stat}_no_threat` });
        }
      };
      threat('Threat: foreign selling, 6 months from it', 'foreign_sold_bn_6m');
      threat('Threat: officials\' selling, 36 months from it', 'official_sold_bn_36m');
      // P(cascade): the share of paths (parameter draws) on which the selling cascades; a run of one path says
      // whether that path cascades, "yes" or "no", and a run with the contagion block off "n/a (contagion off)" (as
      // the CLI and the report). The summary's older cascade_share key is the same number and is not shown again.
      const cascades = (res) => (!res || !hasMarket(res) ? null : res.contagionOff ? 'n/a (contagion off)'
        : onePath(res) && isNum(res.summary?.cascade_probability) ? (res.summary.cascade_probability >= 0.5 ? 'yes' : 'no') : null);
      const shares = [result, previous].some((res) => hasMarket(res) && !onePath(res));
      const yesNo = (res) => (cascades(res) && shares && !res.contagionOff ? `${cascades(res)} (one path)` : cascades(res));
      rows.push({ cells: row(shares ? 'P(cascade), share of paths' : 'Cascade (one path)', s.cascade_probability,
        p.cascade_probability, 'pct', [noMarket[0] || yesNo(result), noMarket[1] || (previous ? yesNo(previous) : null)]), testid: 'cascade' });
    }
    const probs = s.ensemble?.probabilities || {};
    const prevProbs = p.ensemble?.probabilities || {};
    const paths = (x) => (x ? (x.ensemble ? `${fmt.num(x.ensemble.paths)} paths` : 'deterministic') : '');
    rows.push({ group: true, cells: ['Probabilities', paths(s), paths(previous && p), ''] });
    if (!Object.keys(probs).length) rows.push(['—', 'needs paths > 0', '', '']);
    for (const k of Object.keys(probs)) rows.push(row(PROB_LABEL(k), probs[k], prevProbs[k], 'pct'));
    fillTable($('headline'), ['Measure', 'This run', 'Previous run', 'Change'], rows);
    drawPublishedNotes(result, previous);
  }

  /** When the contagion block sold, the model's persistent figure for that month also carries the flow effect of
   * its selling still under way, which the published range (a persistent effect only) leaves out: say so with the
   * run's own numbers, and give the stock effect alone, the figure the range is for (davos-threat, 2,000 paths:
   * the model's +2.15 bp against the published 0.3–1.3 bp). */
  function drawPublishedNotes(result, previous) {
    const notes = [['This run', result], ['The previous run', previous]].map(([who, res]) => {
      const parts = publishedParts(res);
      if (!parts) return null;
      const { lit, month } = parts;
      // why the stock effect sits below the range, when it does (the report's words, from the API)
      const below = lit.stock_below ? ` ${lit.stock_below}` : '';
      const testid = who === 'This run' ? 'note-contagion-flow' : 'note-contagion-flow-previous';
      if (parts.contagion[1] < 0.05) return below ? h('p', { class: 'hint note', 'data-testid': testid }, `${who}:${below}`) : null;
      const model = res.summary?.persistent_10y_change_bp;
      const stock = res.summary?.stock_effect_10y_bp;
      return h('p', { class: 'hint note', 'data-testid': testid },
        `${who}: the model's persistent change at month ${month} (${fmt.bp2(model)}) also carries the flow effect of the `
        + `contagion block's selling (or buying back) still under way then, which the published range (${NUM1.format(lit.low_bp)}–`
        + `${NUM1.format(lit.high_bp)} bp, a persistent effect only) leaves out`
        + (isNum(stock) ? `; the stock effect alone, the figure the range is for, is ${fmt.bp2(stock)}.` : '.') + below);
    }).filter(Boolean);
    $('headline-notes').replaceChildren(...notes);
    $('headline-notes').hidden = !notes.length;
  }

  /** The market block's figures with the Fed's backstop on and off side by side (issue 14): the peak and the
   * persistent change, each median with its 5–95% range (none for a run of one path), this run's pair and the
   * previous run's beside it, and the backstop's purchases. Shown when a run's summary has the `_backstop_off`
   * figures (every run with the market block and its backstop on; a run with the backstop off shows its own
   * figures under "backstop off" only). */
  const hasBackstopOff = (res) => hasMarket(res) && isNum(res.summary?.peak_10y_change_bp_backstop_off);
  /** A run whose own backstop is off (its summary's `backstop_note`): its figures are the backstop-off ones, and no
   * backstop-on run was made beside them. */
  const ownOff = (res) => hasMarket(res) && typeof res.summary?.backstop_note === 'string';
  /** How far (bp) the backstop-off persistent change must lie below the backstop-on one for the undershoot caveat. */
  const UNDERSHOOT_BP = 0.5;
  /** Which of a run's backstop-off persistent figures undershoots: 'its median' or 'its 5th percentile' when it
   * prints below zero and lies at least UNDERSHOOT_BP below the backstop-on figure (median against median, 5th
   * percentile against 5th; the median first), '' when neither does. The report applies the same rule
   * (report/sections/market.py, undershoots). */
  const undershoots = (res) => {
    if (!hasBackstopOff(res)) return '';
    const x = res.summary;
    const key = 'persistent_10y_change_bp';
    const below = (on, off) => isNum(on) && isNum(off) && signed(off, NUM2).startsWith('−') && on - off >= UNDERSHOOT_BP;
    if (below(x[key], x[`${key}_backstop_off`])) return 'its median';
    return below(x[`${key}_p05`], x[`${key}_backstop_off_p05`]) ? 'its 5th percentile' : '';
  };

  function drawBackstop(result, previous) {
    const block = $('backstop-block');
    if (![result, previous].some((res) => res && (hasBackstopOff(res) || ownOff(res)))) {
      block.hidden = true;
      $('backstop').replaceChildren();
      return;
    }
    const runs = previous ? [['This run', result], ['Previous run', previous]] : [['This run', result]];
    const month = result.summary?.persistent_month || previous?.summary?.persistent_month || 24;
    // one figure: its median over a line with its 5–95% range
    const shown = (res, key, f, nf) => {
      const range = rangeText(res, key, nf, 'bp');
      return h('td', {}, h('div', { class: 'figure', text: fmt[f](res.summary[key]) }),
        h('div', { class: 'range', text: range.endsWith(' bp') ? `5–95%: ${range}` : range }));
    };
    const figure = (res, key, f, nf) => (hasBackstopOff(res) ? shown(res, key, f, nf)
      : h('td', { class: 'why', text: hasMarket(res) ? '—' : NO_MARKET }));
    // a run whose own backstop is off has no side-by-side figures: its own are the backstop-off column's
    const NOT_RUN = 'not run: this run has the backstop off';
    const pair = (res, key, f, nf) => (ownOff(res)
      ? [h('td', { class: 'why', text: NOT_RUN }), isNum(res.summary?.[key]) ? shown(res, key, f, nf) : h('td', {})]
      : [figure(res, key, f, nf), figure(res, `${key}_backstop_off`, f, nf)]);
    const purchases = (res) => (hasBackstopOff(res)
      ? [h('td', { text: fmt.bn(res.summary.backstop_bn_median) }), h('td', { class: 'why', text: 'none' })]
      : ownOff(res) ? [h('td', { class: 'why', text: NOT_RUN }), h('td', { class: 'why', text: 'none' })]
        : [h('td', { class: 'why', text: hasMarket(res) ? '—' : NO_MARKET }), h('td', {})]);
    const tr = (testid, label, cells) => h('tr', { 'data-testid': testid }, h('td', { text: label }), cells);
    $('backstop').replaceChildren(
      h('thead', {},
        h('tr', {}, h('th', { scope: 'col' }), runs.map(([who]) => h('th', { scope: 'colgroup', colspan: '2', class: 'run', text: who }))),
        h('tr', {}, h('th', { scope: 'col', text: 'Measure' }),
          runs.map(() => [h('th', { scope: 'col', class: 'run', text: 'backstop on' }), h('th', { scope: 'col', text: 'backstop off' })]))),
      h('tbody', {},
        tr('backstop-peak', 'Peak change', runs.map(([, res]) => pair(res, 'peak_10y_change_bp', 'bp', NUM1))),
        tr('backstop-persistent', `Persistent change (month ${month})`, runs.map(([, res]) => pair(res, 'persistent_10y_change_bp', 'bp2', NUM2))),
        isNum(result.summary?.stock_effect_10y_bp) || isNum(previous?.summary?.stock_effect_10y_bp)
          ? tr('backstop-stock', `Stock effect alone (month ${month})`, runs.map(([, res]) => pair(res, 'stock_effect_10y_bp', 'bp2', NUM2))) : null,
        isNum(result.summary?.backstop_bn_median) || isNum(previous?.summary?.backstop_bn_median)
          ? tr('backstop-purchases', 'Fed backstop purchases (median)', runs.map(([, res]) => purchases(res))) : null),
    );
    // A persistent change with the backstop off below zero and below the backstop-on one (undershoots): the sellers
    // buy back after the run and, without the backstop's sell-back, the premium undershoots (docs/contagion.md, dash
    // for cash). No study tests that.
    const negative = runs.filter(([, res]) => undershoots(res)).map(([who, res]) => [who, undershoots(res)]);
    const note = $('backstop-note');
    const whose = negative.length === 2 ? 'In both runs the' : negative.length ? `${negative[0][0]}: the` : '';
    const which = negative.length === 2 && negative[0][1] !== negative[1][1]
      ? negative.map(([who, what]) => `${who.toLowerCase()}: ${what}`).join('; ') : negative[0]?.[1];
    note.textContent = negative.length
      ? `${whose} persistent change with the backstop off (${which}) is below zero and at least `
        + `${UNDERSHOOT_BP} bp below the backstop-on figure: the sellers buy back after the run, and without `
        + 'the backstop\'s sell-back the premium undershoots where it started. No published figure tests a run without '
        + 'the Fed: read the backstop-off column as the model\'s figure, not as evidence.'
      : '';
    note.hidden = !negative.length;
    block.hidden = false;
  }

  /** The market block's term premium at 10 years by month: the 5–95% band over paths (parameter draws; the market
   * pass does not read the macro shocks), the median, and the previous run's median faintly. */
  const TP_TITLE = 'Market term premium at 10 years, bp';

  function drawTermPremium(result, previous) {
    const div = $('chart-term-premium');
    const note = $('term-premium-note');
    const m = result.market;
    if (!m) {
      placeholder(div, 'No market block in this run');
      note.textContent = 'No sales, announcements, threats, liquidity shocks or contagion: the market block does not run.';
      return;
    }
    const d = { p05: m.term_premium_bp_p05, p95: m.term_premium_bp_p95, p50: m.term_premium_bp_p50 };
    const pm = previous?.market;
    const prev = pm ? { x: pm.months, y: pm.term_premium_bp_p50, label: previous.scenario } : null;
    const lay = layout(TP_TITLE, '.0f');
    lay.xaxis = { ...lay.xaxis, title: { text: 'month', font: { size: 11 } } };
    lay.yaxis = { ...lay.yaxis, zeroline: true, zerolinecolor: '#c9d0d8' };
    const traces = fanTraces(m.months, d, prev);
    Plotly.react(div, traces, fitTicks(lay, traces), PLOT_CONFIG);
    note.textContent = d.p05 && d.p95
      ? 'The band is 5–95% over the paths\' parameter draws (each path draws the market parameters, and with contagion '
        + 'on the contagion parameters, from their priors); the market pass does not read the macro shocks, so they add '
        + 'nothing to it.'
      : 'One path: no band (a run of one path is one draw, or the prior medians when deterministic).';
  }

  function drawAnnual(result) {
    const head = ['FY', 'Debt', 'Interest', 'Deficit', 'Revenue', 'GDP', 'Debt/GDP', 'Net int./GDP', 'Int./revenue', '10y yield', 'Avg rate'];
    const rows = (result.annual || []).map((r) => [
      String(r.fiscal_year), fmt.bn(r.debt), fmt.bn(r.interest), fmt.bn(r.deficit), fmt.bn(r.revenue), fmt.bn(r.gdp),
      fmt.pct(r.debt_to_gdp), fmt.pct(r.net_interest_to_gdp), fmt.pct(r.interest_to_revenue), fmt.pct(r.yield_10y), fmt.pct(r.average_rate),
    ]);
    fillTable($('annual'), head, rows);
  }

  // ---------------------------------------------------------------------------------------------- holders
  async function loadHolders() {
    $('holders-status').textContent = 'Loading holdings…';
    try {
      const data = await api('holders?top=8');
      drawHolders(data);
      $('holders-status').textContent = '';
    } catch (err) {
      $('holders-status').textContent = `Could not load holdings: ${err.message}`;
      loaded.delete('holders');
    }
    try { drawMonitor(await api('monitor')); } catch { $('monitor-stats').replaceChildren(); }
  }

  function drawHolders({ months, holders }) {
    const traces = holders.map((hd, i) => ({
      x: months, y: hd.values, type: 'scatter', mode: 'lines', name: hd.label, connectgaps: false,
      line: { color: COLORS[i % COLORS.length], width: i < 2 ? 2.5 : 1.6 },
      hovertemplate: `${hd.label}: $%{y:,.0f}bn<extra></extra>`,
    }));
    Plotly.react($('chart-holders'), traces, layout('Holdings of US Treasuries, $bn (TIC)', ',.0f', {
      legend: { orientation: 'v', x: 1.01, y: 1, font: { size: 11 } }, margin: { l: 58, r: 170, t: 38, b: 40 },
    }), PLOT_CONFIG);
    const lastIdx = (vals) => { for (let i = vals.length - 1; i >= 0; i -= 1) if (isNum(vals[i])) return i; return -1; };
    const rows = holders.map((hd) => {
      const i = lastIdx(hd.values);
      const latest = i >= 0 ? hd.values[i] : null;
      const before = i >= 12 ? hd.values[i - 12] : null;
      const change = isNum(latest) && isNum(before) ? latest - before : null;
      const shown = fmt.signedBn(change);
      // selling is the stress signal: red; a change that reads zero as shown is not coloured
      const cls = shown.startsWith('+') ? 'down' : shown.startsWith('−') ? 'up' : null;
      return [hd.label, fmt.bn(latest), { text: shown, class: cls },
        { text: isNum(change) && before ? fmt.signedPct(change / before) : '—', class: cls }];
    });
    fillTable($('holders-table'), ['Holder', 'Latest', '12-month change', '%'], rows);
    $('holders-period').textContent = months.length ? `· ${months[months.length - 1]}` : '';
  }

  function drawMonitor(m) {
    const stat = (label, value, sub, testid) => h('div', { class: 'stat', 'data-testid': testid },
      h('div', { class: 'label', text: label }), h('div', { class: 'value', text: value }), h('div', { class: 'sub', text: sub || '' }));
    const out = [];
    const b = m.breadth_of_selling;
    if (b) {
      out.push(stat('Breadth of selling', fmt.pct(b.share),
        `${b.cutters} of ${b.holders} top holders ${b.net_of_valuation === false ? 'cut (as published)' : 'sold on net'}`
        + ` in ${b.period} · ${NUM0.format(b.percentile)}th percentile`, 'breadth'));
    }
    const total = m.foreign_total;
    if (total?.latest) out.push(stat('Foreign holdings', fmt.bn(total.latest), `TIC ${m.tic_period || ''}`, 'foreign-total'));
    const official = m.foreign_official;
    if (official?.latest) {
      out.push(stat('Foreign official', fmt.bn(official.latest),
        `${NUM1.format(official.share_of_total_pct)}% of foreign holdings`, 'foreign-official'));
    }
    const y10 = m.yields?.['10y'];
    if (y10 && isNum(y10.latest)) {
      const change = isNum(y10.change_1m_bp) ? ` · ${y10.change_1m_bp > 0 ? '+' : ''}${NUM0.format(y10.change_1m_bp)} bp in 1 month` : '';
      out.push(stat('10-year yield', `${NUM1.format(y10.latest)}%`, `${y10.date}${change}`, 'yield-10y'));
    }
    const alerts = (m.alerts || []).map((a) => (typeof a === 'string' ? a : a.message || a.name || JSON.stringify(a)));
    if (alerts.length) {
      out.push(h('div', { class: 'alerts', 'data-testid': 'alerts' },
        h('strong', { text: 'Alerts' }), h('ul', {}, alerts.map((a) => h('li', { text: a })))));
    }
    $('monitor-stats').replaceChildren(...out);
  }

  // ---------------------------------------------------------------------------------------------- minerals
  async function loadMineralsScenarios() {
    placeholder($('chart-ndpr'), 'Run a minerals scenario');
    try {
      const { scenarios } = await api('minerals/scenarios');
      const select = $('minerals-scenario');
      // the value is the file's stem (unique, as for the presets): two files may declare the same name, and the
      // one chosen must be the one that runs; a name two files declare is shown with its file
      const counts = new Map();
      scenarios.forEach((s) => counts.set(s.name, (counts.get(s.name) || 0) + 1));
      select.replaceChildren(...scenarios.map((s) => h('option', {
        value: presetId(s), 'data-name': s.name, 'data-file': s.file, 'data-description': s.description || '',
        text: counts.get(s.name) > 1 ? `${s.name} (${s.file})` : s.name,
      })));
      // the US 180-day order is the commentary's case: show it straight away
      const us = scenarios.find((s) => s.file === 'minerals-us-mandate.toml');
      if (us) select.value = presetId(us);
      select.disabled = false;
      $('minerals-run').disabled = false;
      describeMinerals();
      runMinerals();
    } catch (err) {
      $('minerals-status').textContent = `Could not load minerals scenarios: ${err.message}`;
      loaded.delete('minerals');
    }
  }

  function describeMinerals() {
    const opt = $('minerals-scenario').selectedOptions[0];
    $('minerals-description').textContent = opt ? opt.dataset.description : '';
  }

  let mineralsRequest = 0;  // only the latest request draws (the user may pick another scenario meanwhile)

  async function runMinerals() {
    const name = $('minerals-scenario').value;  // the file's stem
    const shown = $('minerals-scenario').selectedOptions[0]?.textContent || name;
    const ticket = ++mineralsRequest;
    const status = $('minerals-status');
    $('minerals-run').disabled = true;
    status.dataset.state = 'running';
    status.textContent = `Running ${shown}…`;
    try {
      const s = await api('minerals', { method: 'POST', body: { scenario: name } });
      if (ticket !== mineralsRequest) return;
      drawVerdict(s);
      drawMineralsTable(s);
      drawNdpr(s);
      status.dataset.state = 'done';
      status.textContent = '';
    } catch (err) {
      if (ticket !== mineralsRequest) return;
      status.dataset.state = 'error';
      const detail = Array.isArray(err.body?.detail) ? err.body.detail.map((d) => d.msg).join('; ') : err.message;
      status.textContent = `Minerals run failed: ${detail}`;
    } finally {
      if (ticket === mineralsRequest) $('minerals-run').disabled = false;
    }
  }

  /** Binding nodes listed in the verdict; the rest are counted ("… and 19 more"), as `geostress minerals` does. */
  const BINDING_SHOWN = 6;
  const listSome = (items, n) => (items.length ? items.slice(0, n).join(', ')
    + (items.length > n ? ` … and ${NUM0.format(items.length - n)} more` : '') : 'none');

  function drawVerdict(s) {
    const met = Boolean(s.mandate_met);
    // the verdict is judged at each day of the mandate's schedule (null: no covered buyer, or no day reached)
    const days = (s.mandate_deadlines || []).map((d) => `${d.day}`);
    const when = days.length ? `day${days.length > 1 ? 's' : ''} ${days.join(', ')}` : 'its schedule';
    const answer = s.mandate_met === null || s.mandate_met === undefined ? 'n/a' : (met ? 'yes' : 'no');
    const card = $('verdict');
    card.className = `verdict ${met ? 'met' : 'not-met'}`;
    const row = (k, v) => [h('dt', { text: k }), h('dd', { text: v })];
    const by = s.base_year_china_share;
    const allowed = s.allowed_china_share_day180;
    card.replaceChildren(
      h('div', { class: 'headline-verdict', 'data-testid': 'verdict-met', text: `Mandate met at ${when}: ${answer}` }),
      h('div', { class: 'big', 'data-testid': 'verdict-share', text: fmt.pct(s.china_free_share_day180) }),
      h('div', { class: 'big-sub', text: `China-free share of covered demand at day 180, vs ${fmt.pct(isNum(allowed) ? 1 - allowed : null)} required` }),
      h('dl', {},
        row('Allowed China-origin share', fmt.pct(allowed)),
        by ? row('Base-year China share: mining', fmt.pct(by.mining)) : [],
        by ? row('… separation', fmt.pct(by.separation)) : [],
        by ? row('… magnets', fmt.pct(by.magnets)) : [],
        row('Price-floor subsidy cost', isNum(s.subsidy_cost_usd) ? `$${NUM0.format(s.subsidy_cost_usd / 1e6)}m` : '—')),
      h('p', { class: 'nodes', 'data-testid': 'binding-nodes', text: `Binding nodes at day 180: ${listSome(s.binding_nodes || [], BINDING_SHOWN)}` }),
    );
    card.hidden = false;
  }

  function drawMineralsTable(s) {
    const covered = s.covered_shortfall_by_sector_t || {};
    const world = s.shortfall_by_sector_t || {};
    const tons = (x) => (isNum(x) ? `${NUM0.format(x)} t` : '—');
    const rows = Object.entries(s.compliance_month_by_sector || {}).map(([sector, month]) => [
      sector.replace(/_/g, ' '),
      month === null ? { text: 'never', class: 'up' } : `month ${month}`,
      tons(covered[sector]), tons(world[sector]),
    ]);
    fillTable($('minerals-table'), ['Sector', 'Compliant from', 'Covered shortfall', 'World shortfall'], rows);
  }

  function drawNdpr(s) {
    const free = s.price_usd_kg_china_free?.ndpr || [];
    const glob = s.price_usd_kg_global?.ndpr;
    const x = free.map((_, i) => i + 1);
    const traces = [{ x, y: free, type: 'scatter', mode: 'lines', name: 'China-free NdPr', line: { color: '#b4462c', width: 2.5 } }];
    if (glob) traces.push({ x, y: glob, type: 'scatter', mode: 'lines', name: 'global NdPr', line: { color: '#66717f', width: 1.5, dash: 'dash' } });
    Plotly.react($('chart-ndpr'), traces, layout('NdPr oxide price, $/kg (by month)', ',.0f', {
      legend: { x: 1, xanchor: 'right', y: 1, bgcolor: 'rgba(255,255,255,0.85)', font: { size: 11 } },
      hovermode: 'x unified',
    }), PLOT_CONFIG);
  }

  // ---------------------------------------------------------------------------------------------- price a sale
  /* What a sale does to the 10-year term premium at a market date: GET api/market/impact answers as `geostress
   * market impact --json` (docs/market.md). The form's controls carry the query's field names; what was typed is
   * sent as it is and the server checks it: a 422 names the field (loc[1]), and its message is shown beside it. */
  const IMPACT_INPUTS = {
    holder: 'impact-holder', amount_bn: 'impact-amount', months: 'impact-months', at: 'impact-at',
    motive: 'impact-motive', fima: 'impact-fima', backstop: 'impact-backstop', liquidity_stress: 'impact-stress',
    draws: 'impact-draws',
  };
  const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const IMPACT_TITLE = 'Change in the 10-year term premium by month, bp';

  /** `digits` significant digits as Python's format(x, '.Ng') writes them: fixed from 1e-4 up to 10^digits, else
   * an exponent of at least two digits ("3.2e-06"); no trailing zeros. */
  function gFormat(x, digits) {
    if (x === 0) return '0';
    const strip = (t) => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t);
    const [mantissa, power] = x.toExponential(digits - 1).split('e');
    const exp = Number(power);
    if (exp >= -4 && exp < digits) return strip(x.toFixed(Math.max(digits - 1 - exp, 0)));
    return `${strip(mantissa)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }

  /** An amount sold as the CLI's sentence writes it (cli/market.py, format_bn): up to two decimals from $1bn
   * ("300", "615.15"), three significant digits below ("0.25"). */
  function cliBn(x) {
    const size = Math.abs(x);
    if (size === 0 || !Number.isFinite(x)) return size === 0 ? '0' : String(x);
    if (size < 1) return gFormat(x, 3);
    if (size >= 1e12) return gFormat(x, 4);
    return NUM2.format(x).replace(/0+$/, '').replace(/\.$/, '');
  }

  /** "1 month", "12 months", "1,000 parameter draws". */
  const counted = (n, noun) => `${NUM0.format(n)} ${n === 1 ? noun : `${noun}s`}`;

  /** The CLI's opening sentence, with the share written "(0.95 pp of GDP)" (the CLI: "(GDP $31,423bn: 0.95 pp)";
   * GDP is on the line under it here): "china_mainland sells $300bn over 12 months at the market of Dec 2025 (0.95
   * pp of GDP), motive diversification, backstop on, 1,000 parameter draws, seed 20260201." A liquidity sale with the
   * FIMA repo off says so after the backstop (", backstop on, FIMA repo off"), as the CLI. */
  function impactSentence(d) {
    const pp = d.amount_pp_gdp;
    const share = pp === 0 || pp >= 0.01 ? NUM2.format(pp) : gFormat(pp, 2);  // a small sale's share is not 0.00
    const [year, month] = String(d.at).split('-');
    const market = `${MONTH_NAMES[Number(month) - 1] || month} ${year}`;
    const draws = d.draws === 1 ? '1 parameter draw (one draw: no range)'
      : d.draws ? counted(d.draws, 'parameter draw') : 'one path at the prior medians (no draws: no range)';
    const seed = d.draws && d.seed !== null && d.seed !== undefined ? `, seed ${d.seed}` : '';
    // a stated liquidity stress as the CLI writes it (cli/market.py, stress_words); orderly selling adds nothing
    const stress = d.liquidity_stress ? `, liquidity stress ${gFormat(d.liquidity_stress, 6)} (`
      + `${d.liquidity_stress === 1 ? 'a dash for cash' : '0 orderly, 1 a dash for cash'}) in the sale's months` : '';
    // the Fed's sale is quantitative tightening: no motive, as the CLI writes it
    const qt = d.holder === 'fed';
    // the repo only finances a liquidity sale: its switch is named where it changed something (the CLI's words)
    const fima = d.motive === 'liquidity' && d.fima === 'off' ? ', FIMA repo off' : '';
    return `${d.holder} sells $${cliBn(d.amount_bn)}bn${qt ? ' (quantitative tightening)' : ''} over `
      + `${counted(d.months, 'month')} at the market of ${market} (${share} pp of GDP)`
      + `${qt ? '' : `, motive ${d.motive}`}, backstop ${d.backstop}${fima}${stress}, ${draws}${seed}.`;
  }

  function setImpactStatus(kind, text) {
    const status = $('impact-status');
    status.dataset.state = kind;
    status.textContent = text;
  }

  function clearImpactErrors() {
    const form = $('impact-form');
    $('impact-form-errors').hidden = true;
    $('impact-form-errors').replaceChildren();
    form.querySelectorAll('[data-impact-error-for]').forEach((e) => { e.textContent = ''; });
    form.querySelectorAll('.field.invalid').forEach((e) => e.classList.remove('invalid'));
    form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  }

  /** Take the answer off the screen (a new request, or a refused one): nothing stale stays. */
  function clearImpactAnswer(chartText) {
    const card = $('impact-result');
    card.hidden = true;
    delete card.dataset.query;
    for (const id of ['impact-sentence', 'impact-description', 'impact-stabilisers']) $(id).textContent = '';
    $('impact-notes').replaceChildren();
    $('impact-notes').hidden = true;
    $('impact-table').replaceChildren();
    placeholder($('chart-impact'), chartText);
  }

  /** 422: each message beside the control it names (loc[1]); one naming no control goes in the list. */
  function showImpactValidation(detail) {
    clearImpactErrors();
    const form = $('impact-form');
    const unplaced = [];
    let first = null;
    for (const d of detail) {
      const name = Array.isArray(d.loc) && d.loc[0] === 'query' ? String(d.loc[1]) : '';
      const slot = [...form.querySelectorAll('[data-impact-error-for]')].find((e) => e.dataset.impactErrorFor === name);
      if (!slot) { unplaced.push(h('li', {}, h('code', { text: name || 'request' }), `: ${d.msg}`)); continue; }
      slot.textContent = slot.textContent ? `${slot.textContent} ${d.msg}` : d.msg;
      slot.closest('.field').classList.add('invalid');
      const input = $(IMPACT_INPUTS[name]);
      input.setAttribute('aria-invalid', 'true');
      first = first || input;
    }
    if (unplaced.length) {
      $('impact-form-errors').replaceChildren(h('strong', { text: 'The sale was not accepted:' }), h('ul', {}, unplaced));
      $('impact-form-errors').hidden = false;
    }
    if (first) first.focus();
  }

  /** The query from the form, as typed (the market month left out when empty: the latest). */
  function impactQuery() {
    const q = new URLSearchParams();
    for (const [name, id] of Object.entries(IMPACT_INPUTS)) {
      const value = $(id).value.trim();
      if (name === 'at' && !value) continue;
      q.set(name, value);
    }
    return q.toString();
  }

  let impactRequest = 0;  // only the latest request draws

  async function priceSale() {
    const ticket = ++impactRequest;
    const query = impactQuery();
    clearImpactErrors();
    clearImpactAnswer('Pricing the sale…');
    setImpactStatus('running', 'Pricing the sale…');
    $('impact-price').disabled = true;
    try {
      const data = await api(`market/impact?${query}`);
      if (ticket !== impactRequest) return;
      drawImpact(data, query);
      setImpactStatus('done', '');
    } catch (err) {
      if (ticket !== impactRequest) return;
      clearImpactAnswer('No answer: the sale was not priced');
      if (err.status === 422 && Array.isArray(err.body?.detail)) {
        showImpactValidation(err.body.detail);
        setImpactStatus('error', 'Not priced: fix the highlighted field and press Price again.');
      } else {
        setImpactStatus('error', `Could not price the sale: ${err.message}`);
      }
    } finally {
      if (ticket === impactRequest) $('impact-price').disabled = false;
    }
  }

  /** A 5–95% range in bp ("11.7–24.9 bp"; "−1.15 to 7.86 bp" when an end is negative), or "one path: no range"
   * when the answer has none (draws 0 or 1: no _p05/_p95 keys). */
  const impactRange = (d, key, nf) => (isNum(d[`${key}_p05`]) && isNum(d[`${key}_p95`])
    ? bpRange(d[`${key}_p05`], d[`${key}_p95`], nf) : 'one path: no range');

  function drawImpact(d, query) {
    const month = d.persistent_month;
    const row = (testid, label, key, f, nf) => ({
      testid, cells: [label, fmt[f](d[key]), { text: impactRange(d, key, nf), class: 'range' }],
    });
    const rows = [
      row('impact-peak', 'Peak', 'peak_10y_change_bp', 'bp', NUM1),
      row('impact-persistent', `Persistent (month ${month})`, 'persistent_10y_change_bp', 'bp2', NUM2),
      row('impact-stock', `Stock effect alone (month ${month})`, 'stock_effect_10y_bp', 'bp2', NUM2),
    ];
    if (isNum(d.peak_10y_change_bp_backstop_off)) {  // backstop on: the same draws without it, beside
      rows.push(row('impact-peak-off', 'Peak, backstop off', 'peak_10y_change_bp_backstop_off', 'bp', NUM1));
      rows.push(row('impact-persistent-off', `Persistent (month ${month}), backstop off`,
        'persistent_10y_change_bp_backstop_off', 'bp2', NUM2));
      if (isNum(d.stock_effect_10y_bp_backstop_off)) {  // (as the CLI's table and the API's JSON)
        rows.push(row('impact-stock-off', `Stock effect alone (month ${month}), backstop off`,
          'stock_effect_10y_bp_backstop_off', 'bp2', NUM2));
      }
    }
    // one path (draws 0 or 1): its value, no range (as the CLI's "value" column)
    fillTable($('impact-table'), ['Measure', d.draws <= 1 ? 'Value' : 'Median', '5–95%'], rows);

    $('impact-sentence').textContent = impactSentence(d);
    const growth = isNum(d.gdp_growth_per_year) ? `, growing ${NUM1.format(100 * d.gdp_growth_per_year)}% a year from then` : '';
    $('impact-description').textContent = `${d.description}. GDP at the market date ${fmt.bn(d.gdp_bn)}${growth}.`;

    const notes = [];
    if (d.outside_evidence) {
      notes.push(h('p', { class: 'hint note warning', 'data-testid': 'impact-outside-evidence' },
        h('strong', { text: 'Outside the evidence: ' }), `${d.outside_evidence}.`));
    }
    if (d.range_note) notes.push(h('p', { class: 'hint note', 'data-testid': 'impact-range-note' }, `Note: ${d.range_note}.`));
    if (d.stabilisers_note) {
      notes.push(h('p', { class: 'hint note', 'data-testid': 'impact-stabilisers-note' }, `Note: ${d.stabilisers_note}.`));
    }
    if (d.backstop === 'on') {  // which trigger the rule used, beside the figures it shapes
      notes.push(h('p', { class: 'hint note', 'data-testid': 'impact-backstop-caveat' }, d.liquidity_stress
        ? `At liquidity stress ${gFormat(d.liquidity_stress, 6)} the backstop meets `
          + `${d.liquidity_stress === 1 ? 'all' : 'that share'} of the sale's pressure from its March-2020 trigger `
          + '(purchases beyond 5–15 bp of flow pressure) and all of it from its orderly one (beyond 80–110 bp), '
          + 'whichever buys more.'
        : 'One holder\'s sale, whatever its motive, meets the backstop\'s orderly trigger: the Fed buys only beyond '
          + '80–110 bp of flow pressure, so the backstop-on and -off rows are usually the same. Its March-2020 trigger '
          + '(≈10 bp) needs a market-wide dash for cash: set the liquidity stress to 1.'));
    }
    $('impact-notes').replaceChildren(...notes);
    $('impact-notes').hidden = !notes.length;

    // what the stabilisers took off the market: the backstop's purchases, the FIMA repo's financing (medians); a
    // switch that is off says so
    const one = d.draws <= 1;
    const took = [
      d.backstop === 'on' ? `the Fed backstop buys ${fmt.bn(d.backstop_bn_median)}` : 'the Fed backstop is off',
      d.motive !== 'liquidity' ? 'the FIMA repo finances none (only a liquidity sale draws on it)'
        : d.fima === 'off' ? 'the FIMA repo is off, so it finances none (the whole sale is sold)'
          : `the FIMA repo finances ${fmt.bn(d.fima_bn_median)} of the sale (not sold)`,
    ].join('; ');
    $('impact-stabilisers').textContent = one ? `${took[0].toUpperCase()}${took.slice(1)}.` : `Median over the draws: ${took}.`;

    drawImpactPath(d);
    $('impact-result').dataset.query = query;
    $('impact-result').hidden = false;
  }

  /** The path by month: the median and the 5–95% band over the draws (none for one path), the persistent month
   * marked. */
  function drawImpactPath(d) {
    const path = d.path || [];
    const months = path.map((p) => p.month);
    const band = path.length && path.every((p) => isNum(p.p05) && isNum(p.p95));
    const series = { p50: path.map((p) => p.median) };
    if (band) Object.assign(series, { p05: path.map((p) => p.p05), p95: path.map((p) => p.p95) });
    const lay = layout(IMPACT_TITLE, '.0f');
    lay.xaxis = { ...lay.xaxis, title: { text: 'month', font: { size: 11 } } };
    lay.yaxis = { ...lay.yaxis, zeroline: true, zerolinecolor: '#c9d0d8' };
    if (isNum(d.persistent_month)) {
      lay.shapes = [{ type: 'line', xref: 'x', yref: 'paper', x0: d.persistent_month, x1: d.persistent_month, y0: 0, y1: 1,
        line: { color: '#8a96a3', width: 1, dash: 'dot' } }];
      lay.annotations = [{ text: `persistent (month ${d.persistent_month})`, xref: 'x', yref: 'paper', x: d.persistent_month,
        y: 1, xanchor: 'right', yanchor: 'top', showarrow: false, font: { size: 11, color: '#66717f' } }];
    }
    const traces = fanTraces(months, series, null);
    Plotly.react($('chart-impact'), traces, fitTicks(lay, traces), PLOT_CONFIG);
  }

  /** First visit: price the form's default (China's $300bn over 12 months, the commentary's case) straight away. */
  function openImpact() {
    placeholder($('chart-impact'), 'Price a sale to see its path');
    priceSale();
  }

  // ---------------------------------------------------------------------------------------------- start-up
  function wire() {
    for (const [key, sl] of Object.entries(SLIDERS)) {
      $(`slider-${key}`).addEventListener('input', (e) => {
        state.dirty.add(key);
        const text = sl.label(sliderValue(key));
        $(`value-${key}`).textContent = text;
        e.target.setAttribute('aria-valuetext', text);
        noteOffScale(key, sliderValue(key));
        updateDependent();
        showSpecJson();
      });
    }
    $('paths').addEventListener('change', showSpecJson);
    $('preset').addEventListener('change', (e) => choosePreset(e.target.value));
    $('scenario-form').addEventListener('submit', startRun);
    $('cancel').addEventListener('click', cancelRun);
    // Apply JSON: what was typed is what is sent (paths the list lacks get an option of their own, values a slider
    // cannot show stay as typed); the server's 422 then names the field. Errors of an earlier run go either way.
    $('spec-apply').addEventListener('click', () => {
      clearErrors();
      let spec;
      try { spec = JSON.parse($('spec-json').value); } catch (err) {
        $('spec-json-error').textContent = `Not valid JSON: ${err.message}`;
        return;
      }
      if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
        $('spec-json-error').textContent = 'The specification must be a JSON object ({…}).';
        return;
      }
      $('spec-json-error').textContent = '';
      state.base = spec;
      state.baseId = null;  // no longer a preset as filed
      const sim = spec.simulation;
      showPaths(sim && typeof sim === 'object' ? sim.paths : undefined);
      syncSliders();
    });
    $('minerals-scenario').addEventListener('change', () => { describeMinerals(); runMinerals(); });
    $('minerals-run').addEventListener('click', runMinerals);
    $('impact-form').addEventListener('submit', (e) => { e.preventDefault(); priceSale(); });
    window.addEventListener('hashchange', route);
  }

  async function start() {
    wire();
    for (const c of FANS) placeholder($(c.div), 'Run a scenario to see the fan chart');
    placeholder($('chart-term-premium'), 'Run a scenario with the market block to see its term premium');
    route();
    api('health').then((hv) => { $('version').textContent = hv.version ? `v${hv.version}` : ''; }).catch(() => {});
    await loadPresets();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
