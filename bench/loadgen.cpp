// Lägesbild load generator: one thread, epoll, no JSON library.
//
//   loadgen --port P --mode latency    --boards N --reports M [--window W] --token T [--server-pid PID]
//   loadgen --port P --mode throughput --boards N --window W --seconds S --token T [--server-pid PID]
//   loadgen --port P --mode idle       --boards N --server-pid PID
//
// Boards are plain WebSocket clients on ws://HOST:PORT/ws; each first receives a snapshot. One
// reporter connection signs in with `hello` and sends report_capacity commands. Report k is
// expected to get seq base+k (base = the snapshot's seq + 1; nothing else writes), which the ack
// confirms. Latency = time from writing report k to a board parsing the delta with that seq.
// Output: human-readable lines, then one line `RESULT {json}`.
//
// Build: g++ -O2 -std=c++17 -o build/bench/loadgen bench/loadgen.cpp
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double NowMs() {
  return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count();
}

const char* kHospitals[] = {"falun",     "mora",        "gavle",      "hudiksvall", "bollnas",
                            "eskilstuna", "nykoping",   "katrineholm", "akademiska", "enkoping",
                            "karlstad",  "arvika",      "torsby",     "vasteras",   "koping",
                            "uso",       "karlskoga",   "lindesberg"};

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string mode = "latency";
  int boards = 100;
  int reports = 1000;
  int window = 1;
  double seconds = 10;
  std::string token;
  int server_pid = 0;
  int ramp = 256;          // connections being opened at once
  int source_addrs = 8;    // 127.0.0.2 .. 127.0.0.(1+n) as source addresses
  double timeout_s = 120;  // per phase
  std::string label;
};

enum class State { kConnecting, kHandshake, kOpen, kClosed };

struct Conn {
  int fd = -1;
  int index = 0;  // board index, -1 for the reporter
  State state = State::kConnecting;
  std::string in;
  std::string out;  // unsent bytes
  bool got_snapshot = false;
  long long snapshot_seq = -1;
  long long last_seq = -1;
  int snapshots = 0;
  long long deltas = 0, missing = 0, duplicates = 0, out_of_range = 0, fragmented = 0;
  std::vector<uint8_t> seen;  // per expected seq: times received
};

struct Stats {
  long long connect_errors = 0, closed_early = 0, bad_handshake = 0;
};

Options opt;
int ep = -1;
std::vector<Conn*> conns;  // by fd
Stats stats;
uint32_t rng = 0x12345678;
uint32_t Rand() {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

// Run-wide measurement state.
long long base_seq = -1;  // seq of report 0
int total_reports = 0;
std::vector<double> sent_at;       // per report index
std::vector<double> latencies;     // ms, one per (board, delta)
std::vector<uint8_t> acked;        // per report index
long long acks = 0, ack_seq_mismatch = 0, errors_received = 0;
int sent = 0;
int open_boards = 0, snapshot_boards = 0;
long long deltas_received = 0, bytes_received = 0;
std::string last_error;

void Fail(const char* what) {
  perror(what);
  std::exit(2);
}

void SetEvents(Conn* c, bool want_write) {
  epoll_event ev{};
  ev.events = EPOLLIN | (want_write ? uint32_t(EPOLLOUT) : 0u);
  ev.data.ptr = c;
  epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

void CloseConn(Conn* c) {
  if (c->state == State::kClosed) return;
  if (c->state == State::kOpen && c->index >= 0) --open_boards;
  c->state = State::kClosed;
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, nullptr);
  close(c->fd);
  ++stats.closed_early;
}

void Flush(Conn* c) {
  while (!c->out.empty()) {
    ssize_t n = send(c->fd, c->out.data(), c->out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c->out.erase(0, static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      SetEvents(c, true);
      return;
    } else {
      CloseConn(c);
      return;
    }
  }
  SetEvents(c, false);
}

// A masked client frame.
void QueueFrame(Conn* c, int opcode, const std::string& payload) {
  std::string f;
  f.push_back(static_cast<char>(0x80 | opcode));
  size_t n = payload.size();
  if (n < 126) {
    f.push_back(static_cast<char>(0x80 | n));
  } else if (n < 65536) {
    f.push_back(static_cast<char>(0x80 | 126));
    f.push_back(static_cast<char>(n >> 8));
    f.push_back(static_cast<char>(n & 0xff));
  } else {
    f.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  }
  uint32_t key = Rand();
  unsigned char m[4] = {static_cast<unsigned char>(key), static_cast<unsigned char>(key >> 8),
                        static_cast<unsigned char>(key >> 16), static_cast<unsigned char>(key >> 24)};
  f.append(reinterpret_cast<char*>(m), 4);
  size_t start = f.size();
  f.append(payload);
  for (size_t i = 0; i < n; ++i) f[start + i] = static_cast<char>(f[start + i] ^ m[i & 3]);
  c->out.append(f);
}

Conn* OpenConn(int index) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) Fail("socket");
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (opt.source_addrs > 0 && opt.host == "127.0.0.1") {
    // Spread the connections over several loopback source addresses so ephemeral ports
    // never run out; the kernel picks the port at connect time.
#ifdef IP_BIND_ADDRESS_NO_PORT
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
    sockaddr_in src{};
    src.sin_family = AF_INET;
    int slot = (index < 0 ? 0 : index) % opt.source_addrs;
    src.sin_addr.s_addr = htonl((127u << 24) | static_cast<uint32_t>(2 + slot));
    if (bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) Fail("bind source");
  }
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<uint16_t>(opt.port));
  inet_pton(AF_INET, opt.host.c_str(), &dst.sin_addr);
  int r = connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst);
  if (r != 0 && errno != EINPROGRESS) {
    ++stats.connect_errors;
    close(fd);
    return nullptr;
  }
  Conn* c = new Conn();
  c->fd = fd;
  c->index = index;
  if (static_cast<size_t>(fd) >= conns.size()) conns.resize(fd + 1024, nullptr);
  conns[fd] = c;
  c->out = "GET /ws HTTP/1.1\r\nHost: " + opt.host + ":" + std::to_string(opt.port) +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT;
  ev.data.ptr = c;
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) Fail("epoll_ctl");
  return c;
}

long long SeqAfter(const char* p, size_t n, const char* key) {
  const char* hit = static_cast<const char*>(memmem(p, n, key, strlen(key)));
  if (!hit) return -1;
  const char* q = hit + strlen(key);
  const char* end = p + n;
  while (q < end && *q == ' ') ++q;
  long long v = 0;
  bool any = false;
  while (q < end && *q >= '0' && *q <= '9') {
    v = v * 10 + (*q - '0');
    ++q;
    any = true;
  }
  return any ? v : -1;
}

bool Has(const char* p, size_t n, const char* needle) {
  return memmem(p, n, needle, strlen(needle)) != nullptr;
}

void OnReporterMessage(Conn* c, const char* p, size_t n);

void OnText(Conn* c, const char* p, size_t n) {
  double now = NowMs();
  if (c->index < 0) {
    OnReporterMessage(c, p, n);
    return;
  }
  if (Has(p, n, "\"type\":\"delta\"")) {
    ++c->deltas;
    ++deltas_received;
    long long seq = SeqAfter(p, n, "\"seq\":");
    if (opt.mode != "latency") {
      // Throughput: no per-seq bookkeeping; a repeated or older seq is a duplicate (a resync
      // snapshot legitimately skips ahead, so gaps are not counted here).
      if (seq <= c->last_seq) ++c->duplicates;
      c->last_seq = seq;
      return;
    }
    if (base_seq < 0 || seq < base_seq || seq >= base_seq + total_reports) {
      ++c->out_of_range;
      return;
    }
    size_t k = static_cast<size_t>(seq - base_seq);
    if (c->seen.empty()) c->seen.assign(total_reports, 0);
    if (c->seen[k]++) {
      ++c->duplicates;
      return;
    }
    if (k < sent_at.size() && sent_at[k] > 0) latencies.push_back(now - sent_at[k]);
  } else if (Has(p, n, "\"type\":\"snapshot\"")) {
    ++c->snapshots;
    c->last_seq = SeqAfter(p, n, "\"seq\":");
    if (!c->got_snapshot) {
      c->got_snapshot = true;
      c->snapshot_seq = SeqAfter(p, n, "\"seq\":");
      ++snapshot_boards;
    }
  }
}

// Parses as many complete server frames as `in` holds.
void ParseFrames(Conn* c) {
  size_t pos = 0;
  std::string& in = c->in;
  while (true) {
    size_t avail = in.size() - pos;
    if (avail < 2) break;
    const unsigned char* h = reinterpret_cast<const unsigned char*>(in.data() + pos);
    bool fin = h[0] & 0x80;
    int opcode = h[0] & 0x0f;
    bool masked = h[1] & 0x80;
    uint64_t len = h[1] & 0x7f;
    size_t hl = 2;
    if (len == 126) {
      if (avail < 4) break;
      len = (uint64_t(h[2]) << 8) | h[3];
      hl = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | h[2 + i];
      hl = 10;
    }
    if (masked) hl += 4;  // servers must not mask; tolerate it anyway
    if (avail < hl + len) break;
    char* payload = &in[pos + hl];
    if (masked) {
      const unsigned char* m = h + hl - 4;
      for (uint64_t i = 0; i < len; ++i) payload[i] = static_cast<char>(payload[i] ^ m[i & 3]);
    }
    if (!fin || opcode == 0) ++c->fragmented;  // not expected from either server
    if (opcode == 1 || opcode == 0) {
      OnText(c, payload, len);
    } else if (opcode == 9) {
      QueueFrame(c, 10, std::string(payload, len));
      Flush(c);
    } else if (opcode == 8) {
      pos += hl + len;
      CloseConn(c);
      return;
    }
    pos += hl + len;
    if (c->state == State::kClosed) return;
  }
  if (pos) in.erase(0, pos);
}

void OnReadable(Conn* c) {
  static std::vector<char> buf(1 << 18);
  for (int rounds = 0; rounds < 4; ++rounds) {
    ssize_t n = recv(c->fd, buf.data(), buf.size(), 0);
    if (n > 0) {
      bytes_received += n;
      c->in.append(buf.data(), static_cast<size_t>(n));
      if (static_cast<size_t>(n) < buf.size()) break;
    } else if (n == 0) {
      CloseConn(c);
      return;
    } else {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      CloseConn(c);
      return;
    }
  }
  if (c->state == State::kHandshake || c->state == State::kConnecting) {
    size_t end = c->in.find("\r\n\r\n");
    if (end == std::string::npos) return;
    if (c->in.compare(0, 12, "HTTP/1.1 101") != 0) {
      ++stats.bad_handshake;
      last_error = c->in.substr(0, std::min<size_t>(end, 200));
      CloseConn(c);
      return;
    }
    c->in.erase(0, end + 4);
    c->state = State::kOpen;
    if (c->index >= 0) ++open_boards;
  }
  if (c->state == State::kOpen) ParseFrames(c);
}

void Poll(int timeout_ms) {
  static epoll_event events[1024];
  int n = epoll_wait(ep, events, 1024, timeout_ms);
  for (int i = 0; i < n; ++i) {
    Conn* c = static_cast<Conn*>(events[i].data.ptr);
    if (c->state == State::kClosed) continue;
    if (events[i].events & (EPOLLERR | EPOLLHUP)) {
      if (c->state == State::kConnecting) ++stats.connect_errors;
      CloseConn(c);
      continue;
    }
    if (events[i].events & EPOLLOUT) {
      if (c->state == State::kConnecting) c->state = State::kHandshake;
      Flush(c);
      if (c->state == State::kClosed) continue;
    }
    if (events[i].events & EPOLLIN) OnReadable(c);
  }
}

// ---- measurements of processes ----
double CpuSeconds(int pid) {  // utime + stime of a process, from /proc/PID/stat
  if (pid <= 0) return -1;
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t close = s.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(s.substr(close + 2));
  std::string field;
  long long ut = 0, st = 0;
  for (int i = 3; i <= 15; ++i) {  // field 3 is state; 14 utime, 15 stime
    rest >> field;
    if (i == 14) ut = std::atoll(field.c_str());
    if (i == 15) st = std::atoll(field.c_str());
  }
  return double(ut + st) / double(sysconf(_SC_CLK_TCK));
}

long long RssKiB(int pid) {
  if (pid <= 0) return -1;
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return -1;
}

double SelfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return -1;
  size_t k = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

// ---- the reporter ----
Conn* reporter = nullptr;
bool welcomed = false;

void SendReport(int k) {
  char msg[256];
  snprintf(msg, sizeof msg,
           "{\"v\":1,\"type\":\"report_capacity\",\"id\":\"r%d\",\"space\":\"live\",\"hospital\":\"%s\","
           "\"beds\":{\"MedicalSurgical\":{\"available\":%d}}}",
           k, kHospitals[k % 18], k % 51);
  QueueFrame(reporter, 1, msg);
  if (static_cast<size_t>(k) < sent_at.size()) sent_at[k] = NowMs();
  ++sent;
  Flush(reporter);
}

void OnReporterMessage(Conn* c, const char* p, size_t n) {
  (void)c;
  if (Has(p, n, "\"type\":\"ack\"")) {
    long long id = SeqAfter(p, n, "\"id\":\"r");
    long long seq = SeqAfter(p, n, "\"seq\":");
    ++acks;
    if (id >= 0 && id < static_cast<long long>(acked.size())) acked[id] = 1;
    if (base_seq >= 0 && id >= 0 && seq != base_seq + id) ++ack_seq_mismatch;
  } else if (Has(p, n, "\"type\":\"welcome\"")) {
    welcomed = true;
  } else if (Has(p, n, "\"type\":\"snapshot\"")) {
    if (!c->got_snapshot) {
      c->got_snapshot = true;
      c->snapshot_seq = SeqAfter(p, n, "\"seq\":");
    }
  } else if (Has(p, n, "\"type\":\"error\"")) {
    ++errors_received;
    if (last_error.empty()) last_error.assign(p, std::min<size_t>(n, 300));
  }
}

void RaiseNofile() {
  rlimit r{};
  getrlimit(RLIMIT_NOFILE, &r);
  r.rlim_cur = r.rlim_max;
  setrlimit(RLIMIT_NOFILE, &r);
}

// Opens `n` boards, `ramp` at a time, and waits for every snapshot. Returns seconds taken.
double ConnectBoards(int n, std::vector<Conn*>* boards) {
  double t0 = NowMs();
  int next = 0;
  double deadline = t0 + opt.timeout_s * 1000;
  while (NowMs() < deadline) {
    int pending = next - snapshot_boards - static_cast<int>(stats.closed_early);
    while (next < n && pending < opt.ramp) {
      Conn* c = OpenConn(next);
      if (c) boards->push_back(c);
      ++next;
      ++pending;
    }
    if (snapshot_boards + stats.closed_early + stats.connect_errors >= n && next >= n) break;
    Poll(5);
  }
  return (NowMs() - t0) / 1000;
}

std::string Json(const std::string& k, double v) {
  char b[64];
  if (v == static_cast<long long>(v)) snprintf(b, sizeof b, "%lld", static_cast<long long>(v));
  else snprintf(b, sizeof b, "%.3f", v);
  return "\"" + k + "\":" + b;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        fprintf(stderr, "missing value for %s\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--host") opt.host = val();
    else if (a == "--port") opt.port = std::atoi(val().c_str());
    else if (a == "--mode") opt.mode = val();
    else if (a == "--boards") opt.boards = std::atoi(val().c_str());
    else if (a == "--reports") opt.reports = std::atoi(val().c_str());
    else if (a == "--window") opt.window = std::atoi(val().c_str());
    else if (a == "--seconds") opt.seconds = std::atof(val().c_str());
    else if (a == "--token") opt.token = val();
    else if (a == "--server-pid") opt.server_pid = std::atoi(val().c_str());
    else if (a == "--ramp") opt.ramp = std::atoi(val().c_str());
    else if (a == "--source-addrs") opt.source_addrs = std::atoi(val().c_str());
    else if (a == "--timeout") opt.timeout_s = std::atof(val().c_str());
    else if (a == "--label") opt.label = val();
    else {
      fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (opt.port <= 0) {
    fprintf(stderr, "--port is required\n");
    return 2;
  }
  RaiseNofile();
  signal(SIGPIPE, SIG_IGN);
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) Fail("epoll_create1");

  std::vector<Conn*> boards;
  std::string result = "{" + Json("boards_requested", opt.boards) + ",\"mode\":\"" + opt.mode +
                       "\",\"label\":\"" + opt.label + "\"";

  if (opt.mode == "idle") {
    long long rss0 = RssKiB(opt.server_pid);
    double secs = ConnectBoards(opt.boards, &boards);
    // Let the server release what it held for the snapshots, then settle.
    double until = NowMs() + 2000;
    while (NowMs() < until) Poll(50);
    long long rss1 = RssKiB(opt.server_pid);
    double per = open_boards > 0 ? double(rss1 - rss0) / open_boards : -1;
    printf("idle: %d/%d connections open (%d snapshots) in %.1f s; server VmRSS %lld -> %lld KiB: %.2f KiB per connection\n",
           open_boards, opt.boards, snapshot_boards, secs, rss0, rss1, per);
    result += "," + Json("open", open_boards) + "," + Json("snapshots", snapshot_boards) + "," +
              Json("rss_before_kib", rss0) + "," + Json("rss_after_kib", rss1) + "," +
              Json("kib_per_connection", per) + "," + Json("connect_seconds", secs) + "}";
    printf("RESULT %s\n", result.c_str());
    return 0;
  }

  // latency / throughput
  total_reports = opt.mode == "latency" ? opt.reports : 50000000;
  if (opt.mode == "latency") {
    sent_at.assign(total_reports, 0);
  }
  acked.assign(opt.mode == "latency" ? total_reports : 0, 0);
  double connect_s = ConnectBoards(opt.boards, &boards);
  printf("%s: %d/%d boards open, %d snapshots, in %.1f s (connect errors %lld, closed %lld, bad handshakes %lld)\n",
         opt.mode.c_str(), open_boards, opt.boards, snapshot_boards, connect_s, stats.connect_errors,
         stats.closed_early, stats.bad_handshake);
  if (!last_error.empty()) printf("  last error: %s\n", last_error.c_str());

  reporter = OpenConn(-1);
  if (!reporter) Fail("reporter connect");
  QueueFrame(reporter, 1, "{\"v\":1,\"type\":\"hello\",\"token\":\"" + opt.token + "\"}");
  double deadline = NowMs() + 10000;
  while ((!welcomed || !reporter->got_snapshot) && NowMs() < deadline) Poll(5);
  if (!welcomed) {
    printf("reporter was not welcomed (%s)\n", last_error.c_str());
    return 1;
  }
  long long snap = reporter->got_snapshot ? reporter->snapshot_seq : -1;
  for (Conn* b : boards)
    if (b->got_snapshot && b->snapshot_seq > snap) snap = b->snapshot_seq;
  base_seq = snap + 1;

  double cpu0 = SelfCpuSeconds(), scpu0 = CpuSeconds(opt.server_pid);
  double t0 = NowMs();
  if (opt.mode == "latency") {
    // Window W: at most W reports sent and not yet acknowledged. With W=1 the loop is closed on
    // delivery: the next report goes once every board has the previous delta (or after 1 s), so
    // the figures are fan-out latency without queueing, whether a server acks before or after
    // it fans out.
    int next = 0;
    deadline = t0 + opt.timeout_s * 1000;
    long long expected = static_cast<long long>(open_boards) * total_reports;
    double last_sent = 0;
    auto delivered = [&] {
      return opt.window > 1 || deltas_received >= static_cast<long long>(open_boards) * next ||
             NowMs() - last_sent > 1000;
    };
    while (NowMs() < deadline) {
      while (next < total_reports && next - acks < opt.window && delivered()) {
        SendReport(next++);
        last_sent = NowMs();
      }
      if (acks >= total_reports && (deltas_received >= expected)) break;
      if (reporter->state == State::kClosed) break;
      Poll(10);
    }
    // Stragglers: allow a short grace for the last deltas.
    double grace = NowMs() + 2000;
    while (deltas_received < expected && NowMs() < grace) Poll(10);
  } else {
    int window = std::max(1, opt.window);
    double end = t0 + opt.seconds * 1000;
    int next = 0;
    while (NowMs() < end && reporter->state != State::kClosed) {
      while (next - acks < window) SendReport(next++);
      Poll(1);
    }
  }
  double elapsed_s = (NowMs() - t0) / 1000;
  double cpu1 = SelfCpuSeconds(), scpu1 = CpuSeconds(opt.server_pid);

  long long missing = 0, dups = 0, oor = 0, frag = 0, resnap = 0;
  int boards_open_end = 0, boards_with_missing = 0;
  for (Conn* b : boards) {
    if (b->state == State::kOpen) ++boards_open_end;
    dups += b->duplicates;
    oor += b->out_of_range;
    frag += b->fragmented;
    resnap += b->snapshots > 1 ? b->snapshots - 1 : 0;
    if (opt.mode == "latency" && b->got_snapshot) {
      long long got = 0;
      for (uint8_t s : b->seen) got += s ? 1 : 0;
      long long miss = total_reports - got;
      missing += miss;
      if (miss) ++boards_with_missing;
    }
  }
  double p50 = Percentile(latencies, 0.50), p95 = Percentile(latencies, 0.95),
         p99 = Percentile(latencies, 0.99);
  double mx = latencies.empty() ? -1 : *std::max_element(latencies.begin(), latencies.end());
  long long unacked = 0;
  for (uint8_t a : acked) unacked += a ? 0 : 1;

  result += "," + Json("boards_open", boards_open_end) + "," + Json("reports_sent", sent) + "," +
            Json("acks", acks) + "," + Json("ack_seq_mismatch", ack_seq_mismatch) + "," +
            Json("errors", errors_received) + "," + Json("window", opt.window) + "," +
            Json("seconds", elapsed_s) + "," + Json("deltas", deltas_received) + "," +
            Json("deltas_per_s", deltas_received / elapsed_s) + "," +
            Json("acks_per_s", acks / elapsed_s) + "," + Json("duplicates", dups) + "," +
            Json("out_of_range", oor) + "," + Json("fragmented", frag) + "," +
            Json("resync_snapshots", resnap) + "," + Json("loadgen_cpu_s", cpu1 - cpu0) + "," +
            Json("server_cpu_s", opt.server_pid > 0 ? scpu1 - scpu0 : -1) + "," +
            Json("connect_seconds", connect_s) + "," +
            Json("server_rss_kib", RssKiB(opt.server_pid));
  printf("  %d reports sent, %lld acked (%.0f/s), ack seq mismatches %lld, errors %lld, in %.2f s\n", sent,
         acks, acks / elapsed_s, ack_seq_mismatch, errors_received, elapsed_s);
  printf("  deltas received %lld (%.0f/s), duplicates %lld, out-of-range %lld, fragmented %lld, resync snapshots %lld\n",
         deltas_received, deltas_received / elapsed_s, dups, oor, frag, resnap);
  if (opt.mode == "latency") {
    printf("  missing %lld (boards with gaps %d), unacked %lld, boards open at end %d\n", missing,
           boards_with_missing, unacked, boards_open_end);
    printf("  latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f  (n=%zu)\n", p50, p95, p99, mx,
           latencies.size());
    result += "," + Json("missing", missing) + "," + Json("unacked", unacked) + "," +
              Json("samples", latencies.size()) + "," + Json("p50_ms", p50) + "," +
              Json("p95_ms", p95) + "," + Json("p99_ms", p99) + "," + Json("max_ms", mx);
  }
  printf("  cpu s: loadgen %.2f, server %.2f\n", cpu1 - cpu0, scpu1 - scpu0);
  result += "}";
  printf("RESULT %s\n", result.c_str());
  fflush(stdout);
  return 0;
}
