// The "evil plugin": a hand-written server (the `server` load option runs it in place of the host's
// bootstrap, in a worker or as `node evil-server.cjs` with fd 3) that sends whatever the test tells
// it to. No library on purpose: it must be able to send what no correct library would.
//
// - EVIL_PRELUDE (env): a JSON array of raw frames sent before the handshake.
// - greet(script), script a JSON string: { frames?: string[], answer?: 'normal' | 'twice' | 'none' |
//   'late', delayMs?: number, exit?: 'half' | 'now', deaf?: boolean, oversize?: number,
//   cuts?: number[], flood?: 'request' | 'notification' }. Each frame is sent raw (a line on the pipe, one post on the port) with
//   every `"$ID"` replaced by this call's id, or, with cuts, all frames as one text written in
//   pieces cut at those offsets; then the call is answered as `answer` says. exit 'half' sends half
//   an answer line and exits; deaf stops reading input for good (the pipe is paused; a worker
//   blocks its thread); oversize sends one JSON string frame of that many characters first.
//   flood sends requests (or notifications) in a tight loop, for ever, never reading or yielding.
// - greet(anything else) answers `Hi <name>`, lang() answers `evil`, x/health answers { ok: true }.
const { writeSync } = require('node:fs');
const { isMainThread, parentPort } = require('node:worker_threads');

console.log(`pid=${process.pid}`);

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Sleeps without returning to the event loop (in slices, so that worker.terminate() gets in). */
const block = (ms) => {
  for (const end = Date.now() + ms; Date.now() < end; ) Atomics.wait(sleeper, 0, 0, 20);
};

let sendText;
let onText;
let stopReading;
if (isMainThread) {
  const { Socket } = require('node:net');
  const pipe = new Socket({ fd: 3, readable: true, writable: true });
  pipe.on('close', () => process.exit(0));
  pipe.on('error', () => process.exit(0));
  pipe.setEncoding('utf8');
  // Synchronous, so that a half line is on the wire before exit; the pipe is non-blocking, so a
  // full pipe (EAGAIN) is waited out.
  sendText = (text) => {
    const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(3, bytes, offset);
      } catch (error) {
        if (error.code !== 'EAGAIN') throw error;
        block(1);
      }
    }
  };
  let rest = '';
  onText = (handle) =>
    pipe.on('data', (chunk) => {
      const all = rest + chunk;
      const end = all.lastIndexOf('\n');
      rest = all.slice(end + 1);
      if (end >= 0) for (const line of all.slice(0, end).split('\n')) if (line.trim()) handle(line);
    });
  stopReading = () => {
    pipe.pause();
    setInterval(() => {}, 1000); // the event loop stays alive; only fd 3 is not read
  };
} else {
  sendText = (text) => parentPort.postMessage(text);
  onText = (handle) => parentPort.on('message', (m) => handle(String(m)));
  stopReading = () => {
    for (;;) block(1000);
  };
}

/** Set once the plugin stops reading: what already arrived is ignored too. */
let deaf = false;
const frame = (text) => (isMainThread ? `${text}\n` : text);
const send = (m) => sendText(frame(JSON.stringify(m)));
const answer = (id, result) => send({ jsonrpc: '2.0', id, result });

for (const f of JSON.parse(process.env.EVIL_PRELUDE ?? '[]')) sendText(frame(f));
send({
  jsonrpc: '2.0',
  method: 'x/handshake',
  params: {
    protocolVersion: 1,
    versions: [1],
    plugin: { exportNames: ['plugin'], members: { greet: 'function', lang: 'function' } },
  },
});

function scriptOf(arg) {
  try {
    const script = JSON.parse(arg);
    return typeof script === 'object' && script !== null ? script : undefined;
  } catch {
    return undefined;
  }
}

function onCall(id, method, args) {
  if (method !== 'greet') return answer(id, 'evil');
  const script = scriptOf(args[0]);
  if (script === undefined) return answer(id, `Hi ${args[0]}`);
  const frames = (script.frames ?? []).map((f) => frame(f.replaceAll('"$ID"', JSON.stringify(id))));
  if (script.cuts?.length > 0) {
    // All frames as one text, written in pieces cut anywhere (mid-line, and on the pipe at any
    // byte, mid-UTF-8 character too; each piece its own message on a port), with a pause between
    // so that they arrive apart.
    const text = isMainThread ? Buffer.from(frames.join('')) : frames.join('');
    let from = 0;
    for (const cut of [
      ...script.cuts.map((c) => Math.min(c, text.length)).sort((a, b) => a - b),
      text.length,
    ]) {
      if (cut > from) sendText(text.slice(from, cut));
      from = Math.max(from, cut);
      block(2);
    }
  } else {
    for (const f of frames) sendText(f);
  }
  if (script.flood) {
    const m = (i) =>
      frame(
        JSON.stringify(
          script.flood === 'request'
            ? { jsonrpc: '2.0', id: i, method: 'host/flood', params: { i } }
            : { jsonrpc: '2.0', method: 'host/flood', params: { i } },
        ),
      );
    for (let i = 0; ; i++) sendText(m(i));
  }
  if (script.oversize) sendText(frame(`"${'x'.repeat(script.oversize)}"`));
  if (script.exit === 'half') {
    sendText(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":"half an ans`);
    process.exit(1);
  }
  if (script.exit === 'now') process.exit(1);
  if (script.deaf) {
    if (isMainThread) answer(id, 'deaf from now on');
    deaf = true;
    return stopReading();
  }
  const result = `ok ${id}`;
  if (script.answer === 'none') return;
  if (script.answer === 'late') return setTimeout(() => answer(id, result), script.delayMs ?? 10);
  answer(id, result);
  if (script.answer === 'twice') answer(id, 'a second answer');
}

onText((text) => {
  if (deaf) return;
  let m;
  try {
    m = JSON.parse(text);
  } catch {
    return;
  }
  // The host's worker side posts the messages of one tick as one array.
  for (const one of Array.isArray(m) ? m : [m]) {
    if (deaf) return;
    if (one === null || typeof one !== 'object') continue;
    if (one.method === 'x/health') answer(one.id, { ok: true });
    else if (one.method === 'x/call') onCall(one.id, one.params.method, one.params.args);
  }
});
