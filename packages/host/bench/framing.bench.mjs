// Why the process channel frames messages as newline-delimited JSON rather than with the LSP's
// Content-Length headers: the cost of each framing, encode and decode, for the same JSON-RPC
// messages arriving in pipe-sized chunks. The Content-Length codec below is a lean one (Buffer
// search for the header end, byte counts, no per-byte parsing), not vscode-jsonrpc's, so the
// comparison is of the framings, not of implementations. Run with `pnpm bench`.
import { encodeLines, LineDecoder } from '@x/contract/wire';
import { abab, compareRounds, printTable, rounds } from '../../../scripts/bench/index.mjs';

const N = 10_000;
const CHUNK = 64 * 1024; // what a pipe read delivers under load
const messages = Array.from({ length: N }, (_, i) =>
  i % 2 === 0
    ? { jsonrpc: '2.0', id: i, method: 'x/call', params: { method: 'greet', args: ['Wörld'] } }
    : { jsonrpc: '2.0', id: i, result: 'Hello, Wörld!' },
);

function chunks(buffer) {
  const out = [];
  for (let i = 0; i < buffer.length; i += CHUNK) out.push(buffer.subarray(i, i + CHUNK));
  return out;
}

// Encoders, as the endpoint writes one tick's batch.
const encodeNdjson = (batch) => Buffer.from(encodeLines(batch));
function encodeContentLength(batch) {
  let text = '';
  for (const m of batch) {
    const json = JSON.stringify(m);
    text += `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
  }
  return Buffer.from(text);
}

// Decoders: NDJSON over strings (setEncoding('utf8') on the socket), Content-Length over bytes
// (its lengths count bytes, so it cannot work on decoded text).
function decodeNdjson(parts, onMessage) {
  const decoder = new TextDecoder();
  const lines = new LineDecoder(
    (line) => onMessage(JSON.parse(line)),
    () => {},
  );
  for (const p of parts) lines.push(decoder.decode(p, { stream: true }));
}
function decodeContentLength(parts, onMessage) {
  let buffered = Buffer.alloc(0);
  for (const p of parts) {
    buffered = buffered.length === 0 ? p : Buffer.concat([buffered, p]);
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) break;
      const header = buffered.toString('latin1', 0, end);
      const length = Number(/Content-Length: *(\d+)/i.exec(header)?.[1]);
      if (buffered.length < end + 4 + length) break;
      onMessage(JSON.parse(buffered.toString('utf8', end + 4, end + 4 + length)));
      buffered = buffered.subarray(end + 4 + length);
    }
  }
}

const ndParts = chunks(encodeNdjson(messages));
const clParts = chunks(encodeContentLength(messages));
let seen = 0;
const count = () => seen++;
const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
const sample = (a, b) => rounds(ROUNDS, (r) => abab(a, b, { pairs: 10, warmup: r === 0 ? 5 : 1 }));
const encode = await sample(
  async () => encodeNdjson(messages),
  async () => encodeContentLength(messages),
);
const decode = await sample(
  async () => decodeNdjson(ndParts, count),
  async () => decodeContentLength(clParts, count),
);
if (seen === 0) throw new Error('nothing decoded');
const ms = (v) => v;
const bytes = (parts) => parts.reduce((n, p) => n + p.length, 0) / N;
printTable(
  `Pipe framing: newline-delimited JSON (value) vs Content-Length headers (baseline), interleaved, ${ROUNDS} rounds`,
  [
    { name: `encode ${N} messages`, unit: 'ms', show: ms, cmp: compareRounds(encode), physical: false },
    {
      name: `decode ${N} messages in 64 KiB chunks`,
      unit: 'ms',
      show: ms,
      cmp: compareRounds(decode),
      physical: false,
    },
  ],
);
console.log(
  `bytes on the wire per message: ${bytes(ndParts).toFixed(1)} (NDJSON) vs ${bytes(clParts).toFixed(1)} (Content-Length)`,
);
