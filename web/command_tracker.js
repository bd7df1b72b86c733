// Lägesbild — the commands a page has sent and not yet had answered (protocol.md "ack", "error").
// Shared by the TiB page and the trainer page. Pure: no DOM; the timers can be given (tests).
//
// A command is sent with a client `id`; the server answers it with an `ack` (only once its event is
// durably committed) or an `error` carrying the same id. Until then the command is pending: after
// `timeoutMs` without an answer the page is told (it stays pending: the answer may still come),
// and when the connection is lost every pending command is given up, with the reason. Each
// command has its own onResult(result, entry) callback; `result.state` is one of
//   'refused'  not sent: result.text says why (no connection, not signed in)
//   'pending'  sent, no answer yet
//   'slow'     still no answer after timeoutMs
//   'ok'       the ack (result.answer)
//   'error'    the error (result.answer)
//   'lost'     the connection went before an answer: result.text says so

export class CommandTracker {
  /**
   * @param {object} options
   * @param {(cmd: object) => void} options.send  puts the command on the wire
   * @param {(cmd: object, entry: object) => string|null} [options.refuse]  why it cannot be sent now
   * @param {number} [options.timeoutMs]
   * @param {() => void} [options.onChange]  a command became pending or stopped being so
   * @param {{setTimeout: Function, clearTimeout: Function}} [options.timers]
   */
  constructor({send, refuse = () => null, timeoutMs = 10_000, onChange = () => {}, timers = globalThis}) {
    this.transmit = send;
    this.refuse = refuse;
    this.timeoutMs = timeoutMs;
    this.onChange = onChange;
    this.timers = timers;
    this.pending = new Map();  // command id → entry
  }

  /**
   * Sends `cmd` (which has its `id`) unless refused. `entry` holds what the page needs to handle the
   * answer ({kind, onResult, …}); it gets `cmd` added. Returns whether the command was sent.
   */
  send(cmd, entry = {}) {
    entry.cmd = cmd;
    const why = this.refuse(cmd, entry);
    if (why) {
      entry.onResult?.({state: 'refused', text: why}, entry);
      return false;
    }
    this.transmit(cmd);
    this.pending.set(cmd.id, entry);
    entry.timer = this.timers.setTimeout(() => {
      if (this.pending.get(cmd.id) === entry) entry.onResult?.({state: 'slow'}, entry);
    }, this.timeoutMs);
    entry.onResult?.({state: 'pending'}, entry);
    this.onChange();
    return true;
  }

  has(id) { return this.pending.has(id); }

  /** Is a command of this kind (and matching `test`, if given) waiting for its answer? */
  busy(kind, test = () => true) {
    for (const e of this.pending.values()) if (e.kind === kind && test(e)) return true;
    return false;
  }

  /** An `ack` or `error` frame: handled (and true) when it answers a pending command. */
  answer(msg) {
    if (!msg || (msg.type !== 'ack' && msg.type !== 'error') || !this.pending.has(msg.id)) return false;
    const entry = this.pending.get(msg.id);
    this.finish(msg.id, entry);
    entry.onResult?.({state: msg.type === 'ack' ? 'ok' : 'error', answer: msg}, entry);
    this.onChange();
    return true;
  }

  /** The connection is gone: every pending command is given up, saying why. */
  dropAll(text) {
    const entries = [...this.pending];
    for (const [id, entry] of entries) this.finish(id, entry);
    for (const [, entry] of entries) entry.onResult?.({state: 'lost', text}, entry);
    if (entries.length) this.onChange();
  }

  finish(id, entry) {
    this.timers.clearTimeout(entry.timer);
    this.pending.delete(id);
  }
}
