// A test WebSocket client that queues every message so tests can await them in order.
import WebSocket from 'ws';

export class TestClient {
  static async connect(port, query = '') {
    const client = new TestClient(new WebSocket(`ws://127.0.0.1:${port}/ws${query}`));
    await new Promise((resolve, reject) => {
      client.socket.once('open', resolve);
      client.socket.once('error', reject);
    });
    return client;
  }

  // Connects and signs in as `user` (an id from server.tokens), waiting for the welcome.
  static async connectAs(server, user, query = '') {
    const client = await TestClient.connect(server.port, query);
    await client.signIn(server.tokens[user]);
    return client;
  }

  async signIn(token) {
    this.send({ v: 1, type: 'hello', token });
    const reply = await this.next((m) => m.type === 'welcome' || (m.type === 'error' && m.code === 'unauthorized'));
    if (reply.type !== 'welcome') throw new Error(`sign-in refused: ${reply.message}`);
    return reply.user;
  }

  constructor(socket) {
    this.socket = socket;
    this.received = [];
    this.waiters = [];
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => {
      resolve({ code, reason: String(reason) });
      this.isClosed = true;
      for (const waiter of this.waiters) waiter.fail(new Error(`connection closed (${code})`));
      this.waiters = [];
    }));
    socket.on('message', (data) => {
      this.received.push(JSON.parse(String(data)));
      this.waiters = this.waiters.filter((waiter) => !waiter.check());
    });
  }

  send(message) {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  // The next message matching `predicate` not yet taken; earlier non-matching ones stay queued.
  next(predicate = () => true, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `no matching message within ${timeoutMs} ms; received: ${JSON.stringify(this.received).slice(0, 2000)}`)), timeoutMs);
      const check = () => {
        const index = this.received.findIndex(predicate);
        if (index < 0) return false;
        clearTimeout(timer);
        resolve(this.received.splice(index, 1)[0]);
        return true;
      };
      if (check()) return;
      if (this.isClosed) {
        clearTimeout(timer);
        reject(new Error('connection closed'));
        return;
      }
      this.waiters.push({ check, fail: (error) => { clearTimeout(timer); reject(error); } });
    });
  }

  nextOfType(type, timeoutMs) {
    return this.next((message) => message.type === type, timeoutMs);
  }

  // Sends a command and waits for its ack or error.
  async command(message, timeoutMs) {
    this.send(message);
    return this.next((reply) => (reply.type === 'ack' || reply.type === 'error') && reply.id === message.id, timeoutMs);
  }

  close() {
    this.socket.close();
    return this.closed;
  }
}

let counter = 0;
export function report(hospital, figures, space = 'live') {
  return { v: 1, type: 'report_capacity', id: `r-${++counter}`, space, hospital, ...figures };
}
