#!/usr/bin/env python3
# timeline.py - a look at a NETPOLLTRACE=json:FILE timeline without a
# network: one self-contained HTML page that draws every track (the Ms,
# then the goroutines), their slices, the instant events as ticks and the
# netpoll-to-goroutine flow arrows, on one time axis; and, with --png, a
# screenshot of it from headless Chromium.
#
#   timeline.py TRACE.json OUT.html [--png OUT.png] [--from MS] [--to MS]
#
# Without --from, the window is the part worth a look: from just before
# the first netpoll that readies a goroutine to where the twelfth it
# readies runs.
#
# The file itself is the Chrome Trace Event Format: ui.perfetto.dev and
# chrome://tracing open it as it is, with zoom and search; this page is for
# a quick look, and for the picture in notes/trace.md.
import json
import os
import shutil
import subprocess
import sys
import tempfile

PAGE = r"""<!doctype html><html lang=en><meta charset=utf-8>
<title>netpoll-asm timeline</title>
<style>
body{font:12px/1.3 sans-serif;margin:10px;color:#222}
h1{font-size:15px;margin:0 0 4px}
.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}
svg text{font:10px sans-serif}
</style>
<h1>%(title)s</h1>
<div class=legend>
<span><i style="background:#8fd18f"></i>running</span>
<span><i style="background:#f3d97a"></i>runnable</span>
<span><i style="background:#8fb6e8"></i>parked in netpollblock</span>
<span><i style="background:#c9c9c9"></i>parked (sleep, semaphore) / idle M</span>
<span><i style="background:#c8a2e8"></i>netpoll (blocked in epoll_wait)</span>
<span><i style="background:#e7d5f5"></i>netpoll(0)</span>
<span>&#9660; rg/wg transitions and other netpoller steps</span>
<span style="color:#c0392b">&#10140; readied by netpoll, to where it next runs</span>
</div>
<svg id=tl></svg>
<script>
const TRACE = %(trace)s;
const FROM = %(from)s, TO = %(to)s;  // ms
const names = {}, slices = [], instants = [], flows = {};
const open = {};
let tmax = 0;
for (const e of TRACE) {
  const k = e.pid + ':' + e.tid;
  if (e.ph == 'M' && e.name == 'thread_name') names[k] = e.args.name;
  if (e.ph != 'M') tmax = Math.max(tmax, e.ts);
  if (e.ph == 'B') (open[k] = open[k] || []).push(e);
  if (e.ph == 'E') { const b = (open[k] || []).pop(); if (b) slices.push({k, name: b.name, a: b.ts, z: e.ts}); }
  if (e.ph == 'i') instants.push({k, name: e.name, t: e.ts});
  if (e.ph == 's' || e.ph == 'f') (flows[e.id] = flows[e.id] || {})[e.ph] = {k, t: e.ts};
}
// The window: as asked (--from, --to), else the part worth a look, from a
// little before the first netpoll that readies a goroutine to where the
// twelfth goroutine it readies runs.
const landed = Object.values(flows).filter(f => f.s && f.f).sort((a, b) => a.s.t - b.s.t);
let t0 = FROM * 1000, t1 = Math.min(TO * 1000, tmax);
if (FROM < 0 && landed.length) {
  const a = landed[0].s.t, z = Math.max(...landed.slice(0, 12).map(f => f.f.t));
  t0 = Math.max(0, a - 0.15 * (z - a));
  t1 = Math.min(tmax, z + 0.1 * (z - a));
} else if (FROM < 0) {
  t0 = 0;
}
const tracks = Object.keys(names).filter(k => slices.some(s => s.k == k && s.z >= t0 && s.a <= t1))
  .sort((a, b) => { const [pa, ta] = a.split(':').map(Number), [pb, tb] = b.split(':').map(Number);
                    return pa - pb || ta - tb; });
const row = {}; tracks.forEach((k, i) => row[k] = i);
const L = 130, W = window.innerWidth - L - 80, H = 17, TOP = 22;
const x = t => L + (t - t0) / (t1 - t0) * W;
const svg = document.getElementById('tl');
svg.setAttribute('width', L + W + 75);
svg.setAttribute('height', TOP + tracks.length * H + 10);
const NS = 'http://www.w3.org/2000/svg';
function el(tag, attrs, text) {
  const n = document.createElementNS(NS, tag);
  for (const a in attrs) n.setAttribute(a, attrs[a]);
  if (text !== undefined) n.textContent = text;
  svg.appendChild(n); return n;
}
el('defs', {}).innerHTML = '<marker id=arr markerWidth=6 markerHeight=6 refX=5 refY=3 orient=auto>' +
  '<path d="M0,0 L6,3 L0,6 z" fill="#c0392b"/></marker>';
const step = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50].find(s => (t1 - t0) / 1000 / s <= 10) || 100;
for (let ms = Math.ceil(t0 / 1000 / step) * step; ms * 1000 <= t1; ms += step) {
  el('line', {x1: x(ms * 1000), x2: x(ms * 1000), y1: TOP - 4, y2: TOP + tracks.length * H, stroke: '#eee'});
  const label = (+ms.toFixed(2)) + ' ms';
  // Every label whole: one that would run past the axis's end is left out.
  if (x(ms * 1000) + 2 + label.length * 6 <= L + W + 70)
    el('text', {x: x(ms * 1000) + 2, y: TOP - 8, fill: '#666', class: 'tick'}, label);
}
tracks.forEach((k, i) => {
  el('text', {x: 4, y: TOP + i * H + 12, 'font-weight': k.startsWith('1:') ? 'bold' : 'normal'}, names[k]);
  el('line', {x1: L, x2: L + W, y1: TOP + i * H + H - 0.5, y2: TOP + i * H + H - 0.5, stroke: '#f2f2f2'});
});
function colour(s) {
  const n = s.name;
  if (n.startsWith('running') || /^G\d+$/.test(n)) return '#8fd18f';
  if (n == 'runnable') return '#f3d97a';
  if (n.startsWith('parked in netpollblock')) return '#8fb6e8';
  if (n.startsWith('netpoll: blocked')) return '#c8a2e8';
  if (n.startsWith('netpoll(0)')) return '#e7d5f5';
  return '#c9c9c9';
}
for (const s of slices) {
  if (!(s.k in row) || s.z < t0 || s.a > t1) continue;
  const a = x(Math.max(s.a, t0)), z = x(Math.min(s.z, t1)), y = TOP + row[s.k] * H + 2;
  const r = el('rect', {x: a, y, width: Math.max(z - a, 0.8), height: H - 5, fill: colour(s)});
  r.appendChild(document.createElementNS(NS, 'title')).textContent = s.name;
  if (z - a > s.name.length * 5.2) el('text', {x: a + 2, y: y + 10}, s.name);
}
for (const i of instants) {
  if (!(i.k in row) || i.t < t0 || i.t > t1) continue;
  const y = TOP + row[i.k] * H + 1;
  const p = el('path', {d: `M${x(i.t) - 2.5},${y} L${x(i.t) + 2.5},${y} L${x(i.t)},${y + 4} z`, fill: '#555'});
  p.appendChild(document.createElementNS(NS, 'title')).textContent = i.name;
}
for (const id in flows) {
  const f = flows[id];
  if (!f.s || !f.f || !(f.s.k in row) || !(f.f.k in row) || f.f.t < t0 || f.s.t > t1) continue;
  const y1 = TOP + row[f.s.k] * H + H / 2, y2 = TOP + row[f.f.k] * H + H / 2;
  el('path', {d: `M${x(f.s.t)},${y1} C${x(f.s.t) + 12},${y1} ${x(f.f.t) - 12},${y2} ${x(f.f.t)},${y2}`,
              fill: 'none', stroke: '#c0392b', 'stroke-width': 1, 'marker-end': 'url(#arr)'});
}
document.title = 'netpoll-asm timeline: ' + tracks.length + ' tracks';
</script>"""


def main(argv):
    args = argv[1:]
    if len(args) < 2:
        print("usage: timeline.py TRACE.json OUT.html [--png OUT.png] [--from MS] [--to MS]")
        return 2
    src, out = args[0], args[1]
    opts = dict(zip(args[2::2], args[3::2]))
    with open(src, encoding="utf-8") as f:
        trace = json.load(f)
    if isinstance(trace, dict):  # the object form: {"traceEvents": [...], ...}
        trace = trace["traceEvents"]
    page = PAGE % {"title": "netpoll-asm timeline: %s" % os.path.basename(src),
                   "trace": json.dumps(trace), "from": float(opts.get("--from", -1)),
                   "to": float(opts.get("--to", 1e12))}
    with open(out, "w", encoding="utf-8") as f:
        f.write(page)
    print("timeline: %s" % out)
    png = opts.get("--png")
    if not png:
        return 0
    exe = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
    if not exe:
        print("timeline: no Chromium for the screenshot (sudo apt-get install chromium)")
        return 1
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--user-data-dir=" + profile, "--window-size=1400,760",
                        "--screenshot=" + os.path.abspath(png), "file://" + os.path.abspath(out)],
                       capture_output=True, timeout=120)
    ok = os.path.exists(png)
    print("timeline: screenshot %s%s" % (png, "" if ok else " FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
