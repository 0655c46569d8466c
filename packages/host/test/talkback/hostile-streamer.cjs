// A hostile talkback plugin, hand-written (the `server` load option runs it as `node <this>` with
// fd 3): it ignores credit and floods x/item, answers items for streams long cancelled, and calls
// host functions in a loop. No library on purpose: it must send what no correct library would.
const { Socket } = require('node:net');

const pipe = new Socket({ fd: 3, readable: true, writable: true });
pipe.on('close', () => process.exit(0));
pipe.on('error', () => process.exit(0));
pipe.setEncoding('utf8');
const send = (m) => pipe.write(`${JSON.stringify(m)}\n`);
send({
  jsonrpc: '2.0',
  method: 'x/handshake',
  params: {
    protocolVersion: 1,
    versions: [1],
    talkback: true,
    plugin: {
      exportNames: ['plugin'],
      // Every member of the kv contract, so that it conforms.
      members: Object.fromEntries(
        [
          'config',
          'lookup',
          'nested',
          'echo',
          'hostThrows',
          'undeclared',
          'badArgs',
          'wait',
          'waitOnHost',
          'seen',
          'crash',
          'count',
          'failing',
          'hangStream',
        ].map((k) => [k, 'function']),
      ),
    },
  },
});
// How much it floods: past any window of credit (1,024 items) but below the host's flood guard by default (so the stream's own credit check is
// what stops it), or past it (FLOOD_ITEMS, FLOOD_HOST_CALLS) to see the guard stop the plugin.
const ITEMS = Number(process.env.FLOOD_ITEMS ?? 5000);
const HOST_CALLS = Number(process.env.FLOOD_HOST_CALLS ?? 1000);
const cancelled = [];
let hostId = 1_000_000;
let rest = '';
pipe.on('data', (chunk) => {
  const all = rest + chunk;
  const end = all.lastIndexOf('\n');
  rest = all.slice(end + 1);
  if (end < 0) return;
  for (const line of all.slice(0, end).split('\n')) {
    if (!line.trim()) continue;
    const m = JSON.parse(line);
    if (m.method === 'x/init' || m.method === 'x/dispose') send({ jsonrpc: '2.0', id: m.id, result: null });
    else if (m.method === '$/cancelRequest') {
      cancelled.push(m.params.id);
      // Answers for a stream already cancelled: late items, a late end.
      for (let i = 0; i < 100; i++)
        send({ jsonrpc: '2.0', method: 'x/item', params: { id: m.params.id, value: i } });
      send({ jsonrpc: '2.0', id: m.params.id, result: null });
    } else if (m.method === 'x/stream' && m.params.method === 'count') {
      // Ignores its credit: ITEMS items at once, in one write (so that the host reads far more than
      // any window of credit before its consumer takes one), and never ends the stream.
      const items = [];
      for (let i = 0; i < ITEMS; i++)
        items.push(
          `${JSON.stringify({ jsonrpc: '2.0', method: 'x/item', params: { id: m.id, value: i } })}\n`,
        );
      pipe.write(items.join(''));
    } else if (m.method === 'x/call' && m.params.method === 'echo') {
      // Floods host-function calls (of an undeclared one), then answers.
      for (let i = 0; i < HOST_CALLS; i++)
        send({ jsonrpc: '2.0', id: hostId++, method: 'x/host', params: { fn: 'secret', args: [] } });
      send({
        jsonrpc: '2.0',
        id: m.id,
        result: `echo ${m.params.args[0]} after ${cancelled.length} cancels`,
      });
    } else if (m.id !== undefined && m.method !== undefined) {
      send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'no' } });
    }
  }
});
