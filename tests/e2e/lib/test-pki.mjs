// A test PKI made with the `openssl` command in a temporary folder (a CA and server
// certificates for 127.0.0.1), and a JSON request over HTTPS that trusts a given CA: the
// TLS tests (transport-tls.test.mjs, desktop/desktop-tls.test.mjs) use them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

// ---------------------------------------------------------------------------
// A test PKI, made with the openssl command
// ---------------------------------------------------------------------------

function openssl(dir, ...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

// A self-signed CA (P-256) in `dir`/<name>.crt and .key.
export function makeCa(dir, name) {
  openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=Harmonic e2e ${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
}

// A server certificate for 127.0.0.1 signed by `ca`, with the given serial (hex).
export function makeServerCert(dir, ca, name, serialHex) {
  fs.writeFileSync(path.join(dir, `${name}.ext`),
    'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
  openssl(dir, 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=127.0.0.1');
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', `0x${serialHex}`,
    '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`), serial: serialHex.toUpperCase() };
}

// ---------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------

export function httpsJson(server, ca, method, urlPath, body, token) {
  return new Promise((resolve, reject) => {
    const headers = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const req = https.request(`${server.url}${urlPath}`, { method, headers, ca, timeout: 10000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

