// The yardstick: what a user would write with Node.js and Socket.IO v4 to relay the
// events the benchmark measures. In memory, single process, no storage.
//
//   node server.mjs --port 0 --jwt-secret S [--host 127.0.0.1] [--web-root DIR]
//   prints: reference-server listening on http://127.0.0.1:<port>
//
// Same wire behaviour as harmonic-server for the benchmarked subset:
//   POST /api/auth/register {username,password} -> {token, user:{id}}   (no hashing: setup only)
//   POST /api/universes {name,is_public} (Bearer)  -> {id, owner_id, ..., role, parameters}
//   CONNECT auth {token}: HS256 JWT checked with node:crypto (signature, alg, exp, known sub)
//   universe:join        -> room: universe:joined {universe, participants, user_id}; joiner: state:initial
//   parameter:update     -> room (sender included): parameter:updated {universe_id, category, parameters, user_id, seq}
//   collaboration:cursor -> room except sender: collaboration:cursor {universe_id, user_id, username, position}
// Benchmark-only, for bench/web/latency.mjs (the web client against this server): with
// --web-root, the files of the web client's site, and the REST calls the client makes
// to sign in with a token and open a universe, in memory:
//   GET /api/auth/me (Bearer) -> {user:{id, username}}
//   GET /api/universes (Bearer) -> {universes:[the caller's], next_cursor:null}
//   POST /api/universes also takes `parameters` (the universe's starting values)
// Engine.IO transports: WebSocket and HTTP long-polling (the polling rows of bench/run), the
// same ping interval/timeout and maxPayload. A client asking for `transport=websocket`
// connects over WebSocket directly, as before polling was enabled.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { Server } from 'socket.io';

const args = parseArgs(process.argv.slice(2));
const host = args.host ?? '127.0.0.1';
const port = Number(args.port ?? process.env.PORT ?? 0);
const secret = args['jwt-secret'] ?? process.env.HARMONIC_JWT_SECRET ?? 'bench-secret';

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[i + 1], i++;
  }
  return out;
}

// --- tokens -------------------------------------------------------------------------
const b64url = (buf) => Buffer.from(buf).toString('base64url');

function signToken(sub, name) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ sub, name, iat: now, exp: now + 86400 }));
  const mac = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(mac)}`;
}

function verifyToken(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  let header, claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url'));
  } catch {
    return null;
  }
  if (header?.alg !== 'HS256') return null;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return null;
  const user = users.get(String(claims.sub));
  return user ?? null;
}

// --- in-memory state ------------------------------------------------------------------
const users = new Map();      // id -> {id, username}
const universes = new Map();  // id -> {id, owner_id, name, is_public, parameters, seq, participants: Map}
let nextUserId = 1;
let nextUniverseId = 1;

// --- REST (setup only) ----------------------------------------------------------------
function readJson(req) {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try { resolve(JSON.parse(body || '{}')); } catch { resolve(null); }
    });
  });
}

function reply(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

// --- benchmark-only: the web client's site and the REST calls it needs (see the top) ---
const webRoot = args['web-root'];
const contentTypes = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
                       '.css': 'text/css', '.svg': 'image/svg+xml', '.data': 'application/octet-stream' };

function serveSite(req, res) {
  const file = normalize(join(webRoot, req.url === '/' ? 'index.html' : req.url.split('?')[0]));
  if (!file.startsWith(normalize(webRoot))) return reply(res, 404, { error: 'not found' });
  let data;
  try { data = readFileSync(file); } catch { return reply(res, 404, { error: 'not found' }); }
  res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
                       'content-length': data.length });
  res.end(data);
}

function clientRest(req, res) {
  const user = verifyToken((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  if (!user) return reply(res, 401, { error: 'unauthorized' });
  if (req.url === '/api/auth/me') return reply(res, 200, { user: { id: user.id, username: user.username } });
  const mine = [...universes.values()].filter((u) => u.owner_id === user.id).map(universeJson);
  return reply(res, 200, { universes: mine, next_cursor: null });
}

const httpServer = createServer(async (req, res) => {
  if (req.url.startsWith('/socket.io/')) return;  // Engine.IO answers these
  if (req.method === 'GET' && (req.url === '/api/auth/me' || req.url.startsWith('/api/universes?') || req.url === '/api/universes')) {
    return clientRest(req, res);
  }
  if (req.method === 'GET' && webRoot && !req.url.startsWith('/api/')) return serveSite(req, res);
  if (req.method === 'POST' && req.url === '/api/auth/register') {
    const body = await readJson(req);
    if (!body?.username) return reply(res, 400, { error: 'username required' });
    const id = String(nextUserId++);
    users.set(id, { id, username: body.username });
    return reply(res, 201, { token: signToken(id, body.username), user: { id, username: body.username } });
  }
  if (req.method === 'POST' && req.url === '/api/universes') {
    const user = verifyToken((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!user) return reply(res, 401, { error: 'unauthorized' });
    const body = await readJson(req);
    const id = String(nextUniverseId++);
    const start = body?.parameters ?? {};  // benchmark-only: starting values (see the top)
    const universe = { id, owner_id: user.id, name: body?.name ?? 'universe', description: '',
                       is_public: body?.is_public !== false, seq: 0,
                       parameters: Object.fromEntries(['physics', 'music', 'audio', 'visualization', ...Object.keys(start)]
                         .map((category) => [category, { ...start[category] }])),
                       participants: new Map() };
    universes.set(id, universe);
    return reply(res, 201, { ...universeJson(universe), role: 'owner', parameters: universe.parameters });
  }
  reply(res, 404, { error: 'not found' });
});

const universeJson = (u) => ({ id: u.id, owner_id: u.owner_id, name: u.name, description: u.description,
                               is_public: u.is_public });
const participantsJson = (u) => [...u.participants.values()].map((p) => ({ id: p.id, username: p.username,
                                                                          status: 'active' }));

// --- Socket.IO --------------------------------------------------------------------------
const io = new Server(httpServer, {
  transports: ['polling', 'websocket'],
  pingInterval: 25000,
  pingTimeout: 20000,
  maxHttpBufferSize: 1e6,
  serveClient: false,
});

io.use((socket, next) => {
  const user = verifyToken(socket.handshake.auth?.token);
  if (!user) return next(new Error('unauthorized'));
  socket.data.user = user;
  next();
});

const systemError = (socket, code, message) => socket.emit('system:error', { code, message, details: {} });

io.on('connection', (socket) => {
  const user = socket.data.user;
  const joined = new Set();

  socket.on('universe:join', (payload) => {
    const universe = universes.get(String(payload?.universe_id));
    if (!universe) return systemError(socket, 'invalid_universe', 'no such universe');
    if (!universe.is_public && universe.owner_id !== user.id) return systemError(socket, 'unauthorized', 'private');
    joined.add(universe.id);
    socket.join(universe.id);
    const entry = universe.participants.get(user.id) ?? { id: user.id, username: user.username, connections: 0 };
    entry.connections++;
    universe.participants.set(user.id, entry);
    const participants = participantsJson(universe);
    io.to(universe.id).emit('universe:joined', { universe: universeJson(universe), participants, user_id: user.id });
    socket.emit('state:initial', { universe: universeJson(universe), parameters: universe.parameters, participants,
                                   history: [], messages: [] });
  });

  socket.on('parameter:update', (payload) => {
    const id = String(payload?.universe_id);
    const universe = universes.get(id);
    if (!universe || !joined.has(id)) return systemError(socket, 'invalid_universe', 'join first');
    if (universe.owner_id !== user.id) return systemError(socket, 'unauthorized', 'read-only');
    const category = payload.category;
    const values = payload.parameters;
    if (!(category in universe.parameters) || typeof values !== 'object' || values === null) {
      return systemError(socket, 'invalid_parameters', 'bad update');
    }
    Object.assign(universe.parameters[category], values);
    universe.seq++;
    io.to(id).emit('parameter:updated', { universe_id: id, category, parameters: values, user_id: user.id,
                                          seq: universe.seq });
  });

  socket.on('collaboration:cursor', (payload) => {
    const id = String(payload?.universe_id);
    const position = payload?.position;
    if (!joined.has(id)) return systemError(socket, 'invalid_universe', 'join first');
    if (typeof position?.x !== 'number' || typeof position?.y !== 'number') {
      return systemError(socket, 'invalid_parameters', 'bad position');
    }
    socket.to(id).emit('collaboration:cursor', { universe_id: id, user_id: user.id, username: user.username,
                                                 position: { x: position.x, y: position.y } });
  });

  socket.on('disconnect', () => {
    for (const id of joined) {
      const universe = universes.get(id);
      const entry = universe?.participants.get(user.id);
      if (!entry) continue;
      if (--entry.connections === 0) {
        universe.participants.delete(user.id);
        io.to(id).emit('universe:left', { universe_id: id, user_id: user.id });
      }
    }
  });
});

httpServer.listen(port, host, () => {
  console.log(`reference-server listening on http://${host}:${httpServer.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
