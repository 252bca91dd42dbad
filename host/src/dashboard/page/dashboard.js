const $ = (id) => document.getElementById(id);
const MIB = 1048576;

/** 1000 → "1 Gb/s", 100 → "100 Mb/s", 2500 → "2.5 Gb/s" */
function speed(mbps) {
  return mbps >= 1000 ? `${mbps / 1000} Gb/s` : `${mbps} Mb/s`;
}

function bytes(n) {
  if (n >= 1073741824) return `${(n / 1073741824).toFixed(2)} GiB`;
  if (n >= MIB) return `${(n / MIB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} B`;
}
const rate = (n) => `${bytes(n)}/s`;
function since(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 90 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** a cell whose content is text only */
function cell(tr, text, cls) {
  const td = document.createElement('td');
  if (cls) td.className = cls;
  td.textContent = text;
  tr.appendChild(td);
  return td;
}

let chart;
function drawChart(history) {
  const xs = history.map((p) => p.t / 1000);
  const data = [xs, history.map((p) => p.hostSent / MIB), history.map((p) => p.peersSent / MIB)];
  if (!chart) {
    chart = new uPlot(
      {
        width: Math.min(900, document.body.clientWidth - 40),
        height: 220,
        series: [
          {},
          { label: 'host (MiB)', stroke: '#e8a33d', width: 2, points: { show: false } },
          { label: 'client to client (MiB)', stroke: '#3dbbe8', width: 2, points: { show: false } },
        ],
        axes: [{}, { label: 'MiB sent' }],
      },
      data,
      $('chart'),
    );
  } else chart.setData(data);
}

const ACTIVE = new Set(['download', 'verify', 'load', 'seed']);

/** a component that died: the same words as `boottorrent status` (componentLine in format-status.ts) */
function componentLine(c, now) {
  if (c.state === 'restarting')
    return `${c.name} exited (${c.lastExit}) ${since(now - c.since)} ago and is being started again`;
  if (c.restarts > 0)
    return `${c.name} was started again ${c.restarts} time(s); it last exited with ${c.lastExit}`;
  return '';
}

function render(s) {
  const said = (s.host.components ?? []).map((c) => componentLine(c, s.now)).filter(Boolean);
  $('components').textContent = said.join('; ');
  $('components').hidden = said.length === 0;
  $('host').textContent = `host ${s.host.ip}, seeder ${s.host.seeder}${s.ready ? '' : ' (starting)'}`;
  $('t-clients').textContent = String(s.totals.clients);
  $('t-booted').textContent = String((s.totals.byStage.boot ?? 0) + (s.totals.byStage.vm ?? 0));
  $('t-host').textContent = bytes(s.host.sent);
  $('t-peers').textContent = bytes(s.totals.peersSent);
  // exact figures for whoever reads the page by script (the browser test)
  $('t-host').dataset.bytes = String(s.host.sent);
  $('t-peers').dataset.bytes = String(s.totals.peersSent);
  const got = s.totals.fromHost + s.totals.fromPeers;
  $('t-share').textContent = got ? `${Math.round((100 * s.totals.fromPeers) / got)} %` : '–';
  $('t-refused').textContent = String(s.refused.total);

  const stages = $('stages');
  stages.replaceChildren(
    ...Object.entries(s.totals.byStage).map(([k, n]) => {
      const span = document.createElement('span');
      span.textContent = `${k}: ${n}`;
      return span;
    }),
  );

  // a link slower than the room's fastest is a cable or port to look at: the client waits for it
  const fastest = Math.max(0, ...s.clients.map((c) => c.linkMbps ?? 0));
  const body = $('clients').tBodies[0];
  body.replaceChildren(
    ...s.clients.map((c) => {
      const tr = document.createElement('tr');
      tr.dataset.mac = c.mac;
      tr.dataset.stage = c.stage;
      // the address to walk over to: IP and host name (from its lease) over its MAC
      const who = cell(tr, [c.ip, c.hostname].filter(Boolean).join(' ') || c.mac, 'who');
      if (c.ip || c.hostname) {
        const m = document.createElement('small');
        m.textContent = c.mac;
        who.appendChild(m);
      }
      const nic = cell(tr, [c.nic, c.linkMbps ? speed(c.linkMbps) : ''].filter(Boolean).join(' '), 'nic');
      if (c.linkMbps && c.linkMbps < fastest) {
        nic.classList.add('slow');
        nic.title = `slower than the room's ${speed(fastest)}: check its cable and switch port`;
      }
      cell(tr, c.label ?? c.os ?? '', 'os');
      const st = cell(tr, '');
      const tag = document.createElement('span');
      tag.className = `stage stage-${c.stage}`;
      tag.textContent =
        c.seedLeft !== undefined && c.stage === 'seed' ? `seed (${c.seedLeft} s left)` : c.stage;
      st.appendChild(tag);
      const p = cell(tr, '');
      if (c.total > 0) {
        const bar = document.createElement('span');
        bar.className = 'bar';
        const fill = document.createElement('i');
        const pct = Math.min(100, (100 * c.done) / c.total);
        fill.style.width = `${pct}%`;
        bar.appendChild(fill);
        p.append(bar, `${pct.toFixed(0)} % of ${bytes(c.total)}`);
      }
      cell(tr, ACTIVE.has(c.stage) ? `${rate(c.down)} / ${rate(c.up)}` : '');
      cell(tr, bytes(c.fromHost));
      cell(tr, bytes(c.fromPeers));
      cell(tr, bytes(c.uploaded));
      const t = cell(tr, since(s.now - c.stageSince));
      // a client mid-transfer that stopped talking is the one to walk over to
      if (ACTIVE.has(c.stage) && s.now - c.lastSeen > 15000) {
        const w = document.createElement('span');
        w.className = 'silent';
        w.textContent = ` (silent ${since(s.now - c.lastSeen)})`;
        t.appendChild(w);
      }
      const e = cell(tr, c.error ? c.error.message : '', 'error');
      if (c.error?.hint) {
        const h = document.createElement('small');
        h.textContent = c.error.hint;
        e.appendChild(h);
      }
      return tr;
    }),
  );
  $('empty').hidden = s.clients.length > 0;
  if (history.length > 1) drawChart(history);
}

// the chart's points: the stream sends them all once, then only the new ones (as many as the host keeps)
let history = [];
const HISTORY_KEPT = 1800;
function takeHistory(s) {
  if (s.history) history = s.history;
  if (s.historyAdd) history = history.concat(s.historyAdd).slice(-HISTORY_KEPT);
}

function connect() {
  const link = $('link');
  const es = new EventSource('/api/stream');
  es.onmessage = (m) => {
    link.textContent = 'live';
    link.className = 'link live';
    const s = JSON.parse(m.data);
    takeHistory(s);
    render(s);
  };
  // EventSource reconnects by itself; say so meanwhile
  es.onerror = () => {
    link.textContent = 'host not answering, retrying…';
    link.className = 'link lost';
  };
}
connect();
