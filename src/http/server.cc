// The HTTP/1.1 + WebSocket server on Boost.Beast with C++20 coroutines: the only
// translation unit that includes Beast. Each I/O thread runs its own single-threaded event
// loop, and a connection stays on one loop, so it needs no locks; the loops parse and
// write, and every request but /healthz is handed to a separate worker pool (database work
// and password hashing never block I/O).
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <array>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <deque>
#include <iostream>
#include <random>
#include <thread>

#include "http/http.h"

namespace openmso::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

struct ServerState {
  const ServerOptions& options;
  Api& api;
  asio::thread_pool& workers;
  std::string request_prefix;  // random per process
  std::atomic<bool> stopping{false};
};

// Runs fn on the worker pool and resumes the awaiting coroutine on `ex`. Deliberately not
// a coroutine itself, and callers pass named locals: GCC 12 can destroy temporaries of a
// co_await expression twice.
template <typename T, typename F>
auto OnWorkers(asio::thread_pool& pool, asio::any_io_executor ex, F fn) {
  return asio::async_initiate<decltype(use_awaitable), void(std::exception_ptr, T)>(
      [&pool, ex](auto handler, F job) {
        asio::post(pool, [ex, job = std::move(job), handler = std::move(handler)]() mutable {
          std::exception_ptr ep;
          T value{};
          try {
            value = job();
          } catch (...) {
            ep = std::current_exception();
          }
          asio::post(ex, [handler = std::move(handler), ep, value = std::move(value)]() mutable {
            std::move(handler)(ep, std::move(value));
          });
        });
      },
      use_awaitable, std::move(fn));
}

// Takes the body out of `in`; its header stays.
Request ToRequest(bhttp::request<bhttp::string_body>& in, const std::string& client_ip, std::string request_id,
                  ServerState& st) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  ParseTarget(r);
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (auto& c : name)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    auto [it, inserted] = r.headers.emplace(name, std::string(f.value()));
    if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + std::string(f.value());
  }
  r.body = std::move(in.body());
  r.client_ip = client_ip;
  r.tls = !st.options.tls_cert_file.empty();
  if (st.api.app().settings.trust_proxy) {
    std::string_view fwd = r.Header("x-forwarded-for");
    if (!fwd.empty()) {
      auto comma = fwd.find(',');
      std::string first(fwd.substr(0, comma));
      while (!first.empty() && first.back() == ' ') first.pop_back();
      while (!first.empty() && first.front() == ' ') first.erase(first.begin());
      if (!first.empty()) r.client_ip = first;
    }
    if (r.Header("x-forwarded-proto") == "https") r.tls = true;
  }
  r.request_id = std::move(request_id);
  return r;
}

// The Date header (RFC 9110 6.6.1), formatted once per second per I/O thread.
std::string_view HttpDate() {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t formatted_at = -1;
  thread_local char text[40];
  thread_local size_t length = 0;
  std::time_t now = std::time(nullptr);
  if (now != formatted_at) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    int n = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                          kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    length = n > 0 ? static_cast<size_t>(n) : 0;
    formatted_at = now;
  }
  return {text, length};
}

bool HasBody(const Response& r) { return !(r.status < 200 || r.status == 204 || r.status == 304); }

// Appends a header line, dropping CR and LF from the value so that no handler can split
// the response.
void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  bool clean = true;
  for (char c : value) clean = clean && c != '\r' && c != '\n';
  if (clean) {
    out += value;
  } else {
    for (char c : value)
      if (c != '\r' && c != '\n') out += c;
  }
  out += "\r\n";
}

// The status line and header of a response, into `head` (cleared first; a connection
// reuses the buffer, so once it has grown the hot path allocates nothing). Framing as
// Beast's prepare_payload and keep_alive would set it: Content-Length except on 1xx/204/304,
// and Connection: close (HTTP/1.1) or keep-alive (HTTP/1.0) where that differs from the
// version's default. The body is written from the Response itself, after the header.
void SerializeHead(const Response& in, unsigned version, bool keep_alive, std::string& head) {
  head.clear();
  const int status = in.status >= 100 && in.status <= 999 ? in.status : 500;
  head += version >= 11 ? "HTTP/1.1 " : "HTTP/1.0 ";
  char digits[24];
  head.append(digits, std::to_chars(digits, digits + sizeof digits, status).ptr);
  head += ' ';
  head += bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  head += "\r\nServer: openmso\r\nDate: ";
  head += HttpDate();
  head += "\r\n";
  if (!in.content_type.empty()) AppendField(head, "Content-Type", in.content_type);
  for (const auto& [k, v] : in.headers) AppendField(head, k, v);
  if (HasBody(in)) {
    head += "Content-Length: ";
    head.append(digits, std::to_chars(digits, digits + sizeof digits, in.body.size()).ptr);
    head += "\r\n";
  }
  if (version >= 11 && !keep_alive) head += "Connection: close\r\n";
  if (version < 11 && keep_alive) head += "Connection: keep-alive\r\n";
  head += "\r\n";
}

// Writes a response: its header from `head` (see SerializeHead), then the body unless
// `is_head_request` (HEAD keeps the Content-Length of the body it leaves out).
template <typename Stream, typename Token>
auto WriteResponse(Stream& stream, const Response& in, unsigned version, bool keep_alive, bool is_head_request,
                   std::string& head, Token token) {
  SerializeHead(in, version, keep_alive, head);
  std::string_view body = is_head_request || !HasBody(in) ? std::string_view() : std::string_view(in.body);
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body.data(), body.size())};
  return asio::async_write(stream, buffers, std::move(token));
}

Response SimpleProblem(ErrorCode code, std::string type, std::string message) {
  return ProblemResponse(Error::Make(code, std::move(type), std::move(message)));
}

// Timeouts without a timer operation per read and write (Beast's tcp_stream arms and
// cancels a timer around every operation, and each cancel is one more completion to run).
// A connection states the deadline of its current phase with a clock read; once per
// kSweepPeriod its I/O context closes the socket of every connection past its deadline, so
// that the pending operation completes with operation_aborted. Timeouts fire up to one
// period late. A DeadlineList and its Deadlines are touched only by their context's thread.
constexpr std::chrono::milliseconds kSweepPeriod{250};
using SteadyClock = std::chrono::steady_clock;

class Deadline;

struct DeadlineList {
  Deadline* first = nullptr;  // an intrusive list: linking and unlinking allocate nothing
  void Sweep(SteadyClock::time_point now);
};

class Deadline {
 public:
  Deadline(DeadlineList& list, tcp::socket& socket) : list_(list), socket_(socket), next_(list.first) {
    if (next_) next_->prev_ = this;
    list_.first = this;
  }
  ~Deadline() {
    (prev_ ? prev_->next_ : list_.first) = next_;
    if (next_) next_->prev_ = prev_;
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void After(SteadyClock::duration d) { at_ = SteadyClock::now() + d; }
  // No timeout: while a worker handles the request, or once a WebSocket stream (which has
  // its own timeouts) owns the connection.
  void Never() { at_ = SteadyClock::time_point::max(); }

 private:
  friend struct DeadlineList;
  DeadlineList& list_;
  tcp::socket& socket_;
  Deadline* prev_ = nullptr;
  Deadline* next_ = nullptr;
  SteadyClock::time_point at_ = SteadyClock::time_point::max();
};

void DeadlineList::Sweep(SteadyClock::time_point now) {
  for (Deadline* d = first; d; d = d->next_) {
    if (d->at_ > now) continue;
    d->at_ = SteadyClock::time_point::max();
    boost::system::error_code ignored;
    d->socket_.close(ignored);  // completions are posted, never run inside this loop
  }
}

awaitable<void> SweepDeadlines(DeadlineList& list) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(kSweepPeriod);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
    list.Sweep(SteadyClock::now());
  }
}

// One I/O thread's share of the server: its single-threaded io_context and what the
// connections on it keep. Only that thread touches it, except `in_flight`, which the drain
// on SIGTERM reads (and which sits on its own cache line, away from the other loops').
struct IoLoop {
  IoLoop(size_t index, size_t count) : index(index), count(count) {}
  DeadlineList deadlines;  // declared before `io`: destroying io destroys sessions, which unlink
  const size_t index;
  const size_t count;
  uint64_t requests = 0;
  alignas(64) std::atomic<int64_t> in_flight{0};
  asio::io_context io{1};  // concurrency hint 1: run by one thread

  // Unique across loops without shared state: loop i of n numbers i+1, i+1+n, i+1+2n, ...
  std::string NextRequestId(const std::string& prefix) {
    return prefix + std::to_string(index + 1 + requests++ * count);
  }
};

// Counts a request as in flight for the drain on SIGTERM while it lives.
class InFlight {
 public:
  explicit InFlight(std::atomic<int64_t>& n) : n_(n) { n_.fetch_add(1, std::memory_order_relaxed); }
  ~InFlight() { n_.fetch_sub(1, std::memory_order_relaxed); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<int64_t>& n_;
};

template <typename Stream>
constexpr bool kIsTls = !std::is_same_v<Stream, tcp::socket>;

// One WebSocket client of /api/v1/events: a reader loop (pings, close) and a writer loop
// fed by the event hub through a queue that only the connection's I/O thread touches.
template <typename Stream>
awaitable<void> RunWebSocket(websocket::stream<Stream> ws, identity::Principal who, ServerState& st) {
  auto ex = co_await asio::this_coro::executor;
  struct Shared {
    std::deque<std::string> queue;
    bool closed = false;
    asio::steady_timer signal;
    explicit Shared(asio::any_io_executor e) : signal(e) { signal.expires_at(asio::steady_timer::time_point::max()); }
  };
  auto shared = std::make_shared<Shared>(ex);
  EventHub& hub = st.api.app().events;
  shared->queue.push_back(R"({"type":"hello","at":")" + FormatInstant(st.api.app().clock.Now()) +
                          R"(","user_id":)" + std::to_string(who.user_id.value) + "}");
  // The hub calls from any thread (a worker, the PostgreSQL listener): post onto the
  // session's own I/O context, which alone touches `shared`.
  int64_t sub = hub.Subscribe(who, [shared, ex](const LiveEvent& e) {
    asio::post(ex, [shared, msg = e.json] {
      if (shared->closed || shared->queue.size() > 1000) return;  // drop for a stalled client
      shared->queue.push_back(msg);
      shared->signal.cancel();
    });
  });
  // Also when the frame is destroyed unfinished (server shutdown), so that the hub never
  // posts to an I/O context that is gone.
  struct Unsubscriber {
    EventHub& hub;
    int64_t id;
    ~Unsubscriber() { hub.Unsubscribe(id); }
  } unsubscribe{hub, sub};
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  auto wsp = std::make_shared<websocket::stream<Stream>>(std::move(ws));
  asio::co_spawn(
      ex,
      [wsp, shared]() -> awaitable<void> {
        try {
          while (!shared->closed) {
            while (!shared->queue.empty()) {
              std::string msg = std::move(shared->queue.front());
              shared->queue.pop_front();
              wsp->text(true);
              co_await wsp->async_write(asio::buffer(msg), use_awaitable);
            }
            if (shared->closed) break;
            shared->signal.expires_at(asio::steady_timer::time_point::max());
            boost::system::error_code ec;
            co_await shared->signal.async_wait(asio::redirect_error(use_awaitable, ec));
          }
        } catch (const std::exception&) {
          shared->closed = true;
        }
      },
      asio::detached);
  try {
    beast::flat_buffer buf;
    for (;;) {
      co_await wsp->async_read(buf, use_awaitable);
      buf.consume(buf.size());  // clients have nothing to say yet; reads keep pings flowing
    }
  } catch (const std::exception&) {
  }
  shared->closed = true;
  shared->signal.cancel();
}

// One HTTP connection over a plain socket or a TLS stream, on the I/O context it was
// handed to: the TLS handshake, requests in a keep-alive loop, or an upgrade to the
// live-events WebSocket.
template <typename Stream>
awaitable<void> RunSession(Stream stream, IoLoop& loop, ServerState& st) {
  auto ex = co_await asio::this_coro::executor;
  tcp::socket& lowest = beast::get_lowest_layer(stream);
  Deadline deadline(loop.deadlines, lowest);  // lives in this frame, as does the stream
  const auto& opt = st.options;
  std::string client_ip;  // formatted once per connection
  {
    boost::system::error_code ec;
    tcp::endpoint remote = lowest.remote_endpoint(ec);
    if (ec) co_return;
    client_ip = remote.address().to_string();
  }
  if constexpr (kIsTls<Stream>) {
    deadline.After(std::chrono::seconds(opt.header_timeout_seconds));
    boost::system::error_code ec;
    co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;  // not TLS, or a failed handshake: nothing to answer
  }
  beast::flat_buffer buffer;
  std::string head;  // the response header, reused across the keep-alive loop
  try {
    for (;;) {
      // Idle wait for the first byte of the next request, then a shorter header timeout.
      boost::system::error_code ec;
      if (buffer.size() == 0) {
        deadline.After(std::chrono::seconds(opt.idle_timeout_seconds));
        size_t n = co_await stream.async_read_some(buffer.prepare(8192), asio::redirect_error(use_awaitable, ec));
        if (ec) break;  // closed, reset or idle too long
        buffer.commit(n);
      }
      deadline.After(std::chrono::seconds(opt.header_timeout_seconds));
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(16 * 1024);
      parser.body_limit(opt.body_limit_bytes);
      // The header is parsed straight from the buffer (a small request arrives whole in the
      // first read), reading more only while the parser needs it; the parser enforces the
      // header limit. Same outcomes as Beast's async_read_header, without a composed operation.
      for (;;) {
        buffer.consume(parser.put(buffer.data(), ec));
        if (ec != bhttp::error::need_more) break;
        ec = {};
        size_t n = co_await stream.async_read_some(buffer.prepare(beast::read_size(buffer, 65536)),
                                                   asio::redirect_error(use_awaitable, ec));
        if (ec == asio::error::eof) ec = parser.got_some() ? bhttp::error::partial_message : bhttp::error::end_of_stream;
        if (ec) break;
        buffer.commit(n);
      }
      if (!ec) {
        // A declared Content-Length over the limit is refused before the body is read.
        auto declared = parser.content_length();
        if (declared && *declared > opt.body_limit_bytes) {
          ec = bhttp::error::body_limit;
        } else if (!parser.is_done()) {  // most GETs have no body: skip the extra read
          deadline.After(std::chrono::seconds(opt.header_timeout_seconds * 3));
          co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        }
      }
      // Closed by the client, or by the deadline sweep (aborted, or closed between reads).
      if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
          ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor)
        break;
      if (ec) {
        Response problem;
        if (ec == bhttp::error::body_limit) {
          problem = SimpleProblem(ErrorCode::kPayloadTooLarge, "payload-too-large",
                                  "The request body exceeds " + std::to_string(opt.body_limit_bytes) + " bytes.");
        } else if (ec == bhttp::error::header_limit) {
          problem = SimpleProblem(ErrorCode::kInvalidArgument, "header-too-large", "Request headers are too large.");
          problem.status = 431;
        } else {
          problem = SimpleProblem(ErrorCode::kInvalidArgument, "bad-request", "The HTTP request is malformed.");
        }
        st.api.CountServerResponse(problem.status);
        deadline.After(std::chrono::seconds(5));
        boost::system::error_code wec;
        co_await WriteResponse(stream, problem, 11, false, false, head, asio::redirect_error(use_awaitable, wec));
        if (!wec && ec == bhttp::error::body_limit) {
          // Lingering close: read and drop what the client is still sending (bounded in bytes
          // and time), so that it gets to read the 413 instead of a connection reset.
          deadline.After(std::chrono::seconds(2));
          std::vector<char> scratch(64 * 1024);
          size_t drained = 0;
          boost::system::error_code rec;
          while (!rec && drained < 8 * opt.body_limit_bytes) {
            drained += co_await lowest.async_read_some(asio::buffer(scratch), asio::redirect_error(use_awaitable, rec));
          }
        }
        break;
      }
      auto req = parser.release();

      if (websocket::is_upgrade(req)) {
        deadline.Never();  // the WebSocket stream keeps its own timeouts
        Request plain = ToRequest(req, client_ip, loop.NextRequestId(st.request_prefix), st);
        if (plain.path != "/api/v1/events") {
          Response problem = SimpleProblem(ErrorCode::kNotFound, "not-found", "No WebSocket endpoint here.");
          co_await WriteResponse(stream, problem, req.version(), false, false, head, use_awaitable);
          break;
        }
        auto shared_req = std::make_shared<Request>(std::move(plain));
        auto auth_job = [&st, shared_req]() { return st.api.AuthenticateUpgrade(*shared_req); };
        auto who = co_await OnWorkers<std::optional<identity::Principal>>(st.workers, ex, std::move(auth_job));
        if (!who) {
          Response problem = SimpleProblem(ErrorCode::kUnauthenticated, "unauthenticated", "Sign in to continue.");
          co_await WriteResponse(stream, problem, req.version(), false, false, head, use_awaitable);
          break;
        }
        websocket::stream<Stream> ws(std::move(stream));
        ws.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(bhttp::field::server, "openmso"); }));
        co_await ws.async_accept(req, use_awaitable);
        co_await RunWebSocket(std::move(ws), *who, st);
        co_return;
      }

      deadline.Never();  // a worker may take its time; the write below has its own deadline
      InFlight counted(loop.in_flight);  // until the response is written, or the connection fails
      Request plain = ToRequest(req, client_ip, loop.NextRequestId(st.request_prefix), st);
      Response resp;
      if (Api::RunsInline(plain)) {
        // Liveness touches no database: answer on the I/O thread, so that a saturated
        // worker pool does not make a live process look dead.
        resp = st.api.Handle(plain);
      } else {
        auto shared_req = std::make_shared<Request>(std::move(plain));
        auto job = [&st, shared_req]() { return st.api.Handle(*shared_req); };
        resp = co_await OnWorkers<Response>(st.workers, ex, std::move(job));
      }
      bool keep_alive = req.keep_alive() && !st.stopping.load();
      bool is_head = req.method() == bhttp::verb::head;
      deadline.After(std::chrono::seconds(30));
      boost::system::error_code wec;
      co_await WriteResponse(stream, resp, req.version(), keep_alive, is_head, head, asio::redirect_error(use_awaitable, wec));
      if (wec || !keep_alive) break;
    }
  } catch (const std::exception&) {
    // connection-level failure: just close
  }
  boost::system::error_code ignored;
  if constexpr (kIsTls<Stream>) {
    deadline.After(std::chrono::seconds(2));
    co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ignored));
  }
  lowest.shutdown(tcp::socket::shutdown_send, ignored);
}

// Accepts on the first I/O context and hands each connection, round-robin, to one of the
// single-threaded I/O contexts, which then runs everything of that connection: no strand.
awaitable<void> Accept(tcp::acceptor& acceptor, std::vector<std::unique_ptr<IoLoop>>& loops, asio::ssl::context* tls,
                       ServerState& st) {
  size_t next = 0;
  for (;;) {
    IoLoop& home = *loops[next++ % loops.size()];
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(home.io, asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || st.stopping) co_return;
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    if (tls)
      asio::co_spawn(home.io, RunSession(beast::ssl_stream<tcp::socket>(std::move(socket), *tls), home, st),
                     asio::detached);
    else
      asio::co_spawn(home.io, RunSession(std::move(socket), home, st), asio::detached);
  }
}

}  // namespace

Result<void> Serve(const ServerOptions& options, Api& api) {
  std::unique_ptr<asio::ssl::context> tls;
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty())
      return Error::Invalid("tls_key_file", "required", "Direct TLS needs both tls_cert_file and tls_key_file.");
    tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                     asio::ssl::context::single_dh_use);
    boost::system::error_code tec;
    tls->use_certificate_chain_file(options.tls_cert_file, tec);
    if (tec) return Error::Invalid("tls_cert_file", "unreadable", "Cannot load the TLS certificate chain: " + tec.message());
    tls->use_private_key_file(options.tls_key_file, asio::ssl::context::pem, tec);
    if (tec) return Error::Invalid("tls_key_file", "unreadable", "Cannot load the TLS private key: " + tec.message());
  }
  asio::thread_pool workers(options.worker_threads);
  std::random_device rd;
  ServerState st{options, api, workers, {}};
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%08x-", rd());
  st.request_prefix = prefix;

  // One single-threaded io_context per I/O thread: a connection lives on one loop, so its
  // coroutine, socket and deadline need no strand. Declared after `st`, so that sessions
  // still pending at the end are destroyed before the state they use.
  const size_t n_io = static_cast<size_t>(std::max(1, options.io_threads));
  std::vector<std::unique_ptr<IoLoop>> loops;
  for (size_t i = 0; i < n_io; ++i) loops.push_back(std::make_unique<IoLoop>(i, n_io));
  asio::io_context& io = loops.front()->io;  // also runs the acceptor, signals and the drain

  tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(options.bind, ec);
  if (ec) return Error::Invalid("bind", "invalid_value", "Not an IP address.");
  tcp::endpoint ep(addr, static_cast<unsigned short>(options.port));
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error::Make(ErrorCode::kUnavailable, "bind-failed",
                       "Cannot listen on " + options.bind + ":" + std::to_string(options.port) + ": " + ec.message());
  std::cout << "openmso listening on " << (tls ? "https://" : "http://") << options.bind << ":" << acceptor.local_endpoint().port() << std::endl;
  log::Info("server started", {{"port", std::to_string(acceptor.local_endpoint().port())},
                               {"io_threads", std::to_string(n_io)}});

  asio::co_spawn(io, Accept(acceptor, loops, tls.get(), st), asio::detached);
  // The sweeps' timers also keep every loop's run() going until stop().
  for (auto& loop : loops) asio::co_spawn(loop->io, SweepDeadlines(loop->deadlines), asio::detached);

  auto in_flight = [&] {
    int64_t n = 0;
    for (auto& loop : loops) n += loop->in_flight.load(std::memory_order_relaxed);
    return n;
  };
  asio::signal_set signals(io, SIGTERM, SIGINT);
  asio::steady_timer drain(io);
  std::chrono::steady_clock::time_point drain_deadline;
  std::function<void()> check_drained = [&] {
    if (in_flight() == 0 || std::chrono::steady_clock::now() > drain_deadline) {
      for (auto& loop : loops) loop->io.stop();
      return;
    }
    drain.expires_after(std::chrono::milliseconds(20));
    drain.async_wait([&](boost::system::error_code) { check_drained(); });
  };
  signals.async_wait([&](boost::system::error_code e, int) {
    if (e) return;
    log::Info("shutting down: no new connections, finishing in-flight requests");
    st.stopping = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.shutdown_grace_seconds);
    check_drained();
  });

  std::vector<std::thread> threads;
  for (size_t i = 1; i < n_io; ++i) threads.emplace_back([loop = loops[i].get()] { loop->io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  workers.join();
  log::Info("server stopped", {{"in_flight_abandoned", std::to_string(in_flight())}});
  return Ok();
}

}  // namespace openmso::http
