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
    // A new message goes to the first waiter it matches, else it is queued: each message is
    // looked at once per waiter, so thousands of commands in flight stay cheap.
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      const index = this.waiters.findIndex((waiter) => waiter.predicate(message));
      if (index < 0) {
        this.received.push(message);
        return;
      }
      const [waiter] = this.waiters.splice(index, 1);
      waiter.take(message);
    });
  }

  send(message) {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  // The next message matching `predicate` not yet taken; earlier non-matching ones stay queued.
  next(predicate = () => true, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const index = this.received.findIndex(predicate);
      if (index >= 0) {
        resolve(this.received.splice(index, 1)[0]);
        return;
      }
      if (this.isClosed) {
        reject(new Error('connection closed'));
        return;
      }
      const waiter = {
        predicate,
        take: (message) => { clearTimeout(timer); resolve(message); },
        fail: (error) => { clearTimeout(timer); reject(error); },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching message within ${timeoutMs} ms; last received: ${
          JSON.stringify(this.received.slice(-5)).slice(0, 2000)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
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
