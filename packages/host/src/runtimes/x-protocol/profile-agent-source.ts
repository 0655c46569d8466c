/**
 * The profile agent's code (see runtimes/process/profile-agent.ts), run by the bootstrap as an
 * eval worker in a process plugin loaded with profileOnHang. Plain CommonJS, so that it needs no
 * file of its own; unref'd, so that it never keeps the plugin alive.
 */
export const PROFILE_AGENT_SOURCE = `
const { Session } = require('node:inspector');
const net = require('node:net');
const { workerData } = require('node:worker_threads');
net.createServer((socket) => {
  let text = '';
  socket.on('error', () => {});
  socket.on('data', (data) => {
    text += data;
    if (!text.includes('\\n')) return;
    const ms = Math.min(60000, Math.max(1, Number(text.trim()) || 1000));
    const session = new Session();
    const post = (method, params) =>
      new Promise((resolve, reject) => session.post(method, params || {}, (e, r) => (e ? reject(e) : resolve(r))));
    Promise.resolve()
      .then(() => session.connectToMainThread())
      .then(() => post('Profiler.enable'))
      .then(() => post('Profiler.start'))
      .then(() => new Promise((resolve) => setTimeout(resolve, ms)))
      .then(() => post('Profiler.stop'))
      .then(
        ({ profile }) => socket.end(JSON.stringify(profile)),
        (error) => socket.end(JSON.stringify({ error: String(error && error.message || error) })),
      )
      .finally(() => session.disconnect());
  });
}).listen(workerData.path);
`;
