// Sets a universe's particle count through the protocol (one short-lived socket.io
// client), for the web benchmarks that measure the client at a given load.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const e2e = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'e2e');
const { io } = createRequire(path.join(e2e, 'package.json'))('socket.io-client');
const { documentOptions } = await import(pathToFileURL(path.join(e2e, 'lib', 'clients.mjs')));

export async function setParticleCount(server, token, universeId, count) {
  const socket = io(server.url, { ...documentOptions(token), reconnection: false, forceNew: true });
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('connect_error', reject); });
  const ack = (event, payload) => new Promise((resolve) => socket.emit(event, payload, resolve));
  await ack('universe:join', { universe_id: universeId });
  const answer = await ack('parameter:update', { universe_id: universeId, category: 'physics', parameters: { particle_count: count } });
  socket.close();
  if (!answer?.ok) throw new Error(`particle_count ${count}: ${JSON.stringify(answer)}`);
}
