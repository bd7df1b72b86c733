// Raw HTTP over a TCP socket, for requests no HTTP client library would send.
import net from 'node:net';

// Sends `parts` (strings or Buffers) with `gapMs` between them and resolves with what came back
// once the server closes the connection (or `timeoutMs` passes): the status, the head, the headers
// (lower-case names; repeated ones joined with ", "), the body, and `early`: true if any byte of
// the answer arrived before the last part was sent.
export function rawHttp(port, parts, { gapMs = 0, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    let sentAll = false;
    let early = false;
    let closedAt = null;
    const timer = setTimeout(() => { socket.destroy(); finish(true); }, timeoutMs);
    const finish = (timedOut = false) => {
      clearTimeout(timer);
      const data = Buffer.concat(chunks).toString('latin1');
      const split = data.indexOf('\r\n\r\n');
      const head = split < 0 ? data : data.slice(0, split);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      const headers = {};
      for (const line of head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = headers[name] ? `${headers[name]}, ${value}` : value;
      }
      resolve({ status: status ? Number(status[1]) : null, head, headers, body: split < 0 ? '' : data.slice(split + 4),
        early, timedOut, closedAt, raw: data });
    };
    socket.on('data', (chunk) => {
      if (!sentAll) early = true;
      chunks.push(chunk);
    });
    socket.on('end', () => { closedAt = Date.now(); finish(); });
    socket.on('error', (error) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') { closedAt = Date.now(); finish(); } else reject(error);
    });
    socket.on('connect', async () => {
      for (const [i, part] of parts.entries()) {
        if (socket.destroyed) break;
        socket.write(part);
        if (i === parts.length - 1) sentAll = true;
        else if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}
