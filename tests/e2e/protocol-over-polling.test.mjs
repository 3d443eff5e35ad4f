// The protocol suites once more with socket.io-client on `transports: ['polling']` only
// (lib/clients.mjs, transportName): every event of docs/protocol.md, every rights rule, rate
// limits and reconnection over HTTP long-polling alone. The raw-frame cases in those
// files stay on WebSocket; transport-polling.test.mjs covers the raw polling transport.

process.env.HARMONIC_E2E_TRANSPORT = 'polling';

await import('./protocol-auth.test.mjs');
await import('./protocol-bad-input.test.mjs');
await import('./protocol-collaboration.test.mjs');
await import('./protocol-connection.test.mjs');
await import('./protocol-parameters.test.mjs');
await import('./protocol-rate-limit.test.mjs');
await import('./protocol-state.test.mjs');
await import('./protocol-universe.test.mjs');
await import('./reconnection.test.mjs');
