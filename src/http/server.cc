// The HTTP/1.1 + WebSocket server on Boost.Beast with C++20 coroutines: the only
// translation unit that includes Beast. I/O threads parse and write; every request is
// handed to a separate worker pool (database work and password hashing never block I/O).
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <atomic>
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
  std::atomic<bool> stopping{false};
  std::atomic<int64_t> in_flight{0};
  std::atomic<uint64_t> next_request{0};
  std::string request_prefix;

  std::string NextRequestId() { return request_prefix + std::to_string(++next_request); }
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

Request ToRequest(const bhttp::request<bhttp::string_body>& in, const tcp::endpoint& remote, ServerState& st) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  ParseTarget(r);
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = r.headers.emplace(name, std::string(f.value()));
    if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + std::string(f.value());
  }
  r.body = in.body();
  r.client_ip = remote.address().to_string();
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
  r.request_id = st.NextRequestId();
  return r;
}

bhttp::response<bhttp::string_body> ToBeast(const Response& in, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(in.status), version};
  out.set(bhttp::field::server, "openmso");
  if (!in.content_type.empty()) out.set(bhttp::field::content_type, in.content_type);
  for (const auto& [k, v] : in.headers) out.insert(k, v);
  out.body() = in.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

Response SimpleProblem(ErrorCode code, std::string type, std::string message) {
  return ProblemResponse(Error::Make(code, std::move(type), std::move(message)));
}

// One WebSocket client of /api/v1/events: a reader loop (pings, close) and a writer loop
// fed by the event hub through a queue on the connection's strand.
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
  int64_t sub = hub.Subscribe([shared, ex, who](const LiveEvent& e) {
    if (!EventHub::MayReceive(who, e)) return;
    asio::post(ex, [shared, msg = e.json] {
      if (shared->closed || shared->queue.size() > 1000) return;  // drop for a stalled client
      shared->queue.push_back(msg);
      shared->signal.cancel();
    });
  });
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
  hub.Unsubscribe(sub);
}

// One HTTP connection over a plain or TLS stream: requests in a keep-alive loop, or an
// upgrade to the live-events WebSocket.
template <typename Stream>
awaitable<void> RunSession(Stream stream, ServerState& st) {
  auto ex = co_await asio::this_coro::executor;
  auto& lowest = beast::get_lowest_layer(stream);
  beast::flat_buffer buffer;
  tcp::endpoint remote;
  try {
    remote = lowest.socket().remote_endpoint();
  } catch (...) {
    co_return;
  }
  const auto& opt = st.options;
  try {
    for (;;) {
      // Idle wait for the first byte of the next request, then a shorter header timeout.
      if (buffer.size() == 0) {
        lowest.expires_after(std::chrono::seconds(opt.idle_timeout_seconds));
        size_t n = co_await stream.async_read_some(buffer.prepare(8192), use_awaitable);
        buffer.commit(n);
      }
      lowest.expires_after(std::chrono::seconds(opt.header_timeout_seconds));
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(16 * 1024);
      parser.body_limit(opt.body_limit_bytes);
      boost::system::error_code ec;
      co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
      if (!ec) {
        // A declared Content-Length over the limit is refused before the body is read.
        auto declared = parser.content_length();
        if (declared && *declared > opt.body_limit_bytes) {
          ec = bhttp::error::body_limit;
        } else if (!parser.is_done()) {  // most GETs have no body: skip the extra read
          lowest.expires_after(std::chrono::seconds(opt.header_timeout_seconds * 3));
          co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        }
      }
      if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == beast::error::timeout ||
          ec == asio::error::connection_reset || ec == asio::error::operation_aborted)
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
        auto res = ToBeast(problem, 11, false);
        lowest.expires_after(std::chrono::seconds(5));
        boost::system::error_code wec;
        co_await bhttp::async_write(stream, res, asio::redirect_error(use_awaitable, wec));
        if (!wec && ec == bhttp::error::body_limit) {
          // Lingering close: read and drop what the client is still sending (bounded in bytes
          // and time), so that it gets to read the 413 instead of a connection reset.
          lowest.expires_after(std::chrono::seconds(2));
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
        lowest.expires_never();  // the WebSocket stream keeps its own timeouts
        Request plain = ToRequest(req, remote, st);
        if (plain.path != "/api/v1/events") {
          auto res = ToBeast(SimpleProblem(ErrorCode::kNotFound, "not-found", "No WebSocket endpoint here."), req.version(), false);
          co_await bhttp::async_write(stream, res, use_awaitable);
          break;
        }
        auto shared_req = std::make_shared<Request>(std::move(plain));
        auto auth_job = [&st, shared_req]() { return st.api.AuthenticateUpgrade(*shared_req); };
        auto who = co_await OnWorkers<std::optional<identity::Principal>>(st.workers, ex, std::move(auth_job));
        if (!who) {
          auto res = ToBeast(SimpleProblem(ErrorCode::kUnauthenticated, "unauthenticated", "Sign in to continue."), req.version(), false);
          co_await bhttp::async_write(stream, res, use_awaitable);
          break;
        }
        websocket::stream<Stream> ws(std::move(stream));
        ws.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(bhttp::field::server, "openmso"); }));
        co_await ws.async_accept(req, use_awaitable);
        co_await RunWebSocket(std::move(ws), *who, st);
        co_return;
      }

      ++st.in_flight;
      auto shared_req = std::make_shared<Request>(ToRequest(req, remote, st));
      Response resp;
      if (Api::RunsInline(*shared_req)) {
        // Liveness touches no database: answer on the I/O thread, so that a saturated
        // worker pool does not make a live process look dead.
        resp = st.api.Handle(*shared_req);
      } else {
        auto job = [&st, shared_req]() { return st.api.Handle(*shared_req); };
        resp = co_await OnWorkers<Response>(st.workers, ex, std::move(job));
      }
      bool keep_alive = req.keep_alive() && !st.stopping.load();
      auto res = ToBeast(resp, req.version(), keep_alive);
      if (req.method() == bhttp::verb::head) res.body().clear();
      lowest.expires_after(std::chrono::seconds(30));
      boost::system::error_code wec;
      co_await bhttp::async_write(stream, res, asio::redirect_error(use_awaitable, wec));
      --st.in_flight;
      if (wec || !keep_alive) break;
    }
  } catch (const std::exception&) {
    // connection-level failure: just close
  }
  boost::system::error_code ignored;
  if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
    lowest.expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ignored));
  }
  lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

awaitable<void> RunTlsSession(tcp::socket socket, asio::ssl::context& tls, ServerState& st) {
  beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), tls);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(st.options.header_timeout_seconds));
  boost::system::error_code ec;
  co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return;  // not TLS, or a failed handshake: nothing to answer
  co_await RunSession(std::move(stream), st);
}

awaitable<void> Accept(tcp::acceptor& acceptor, asio::ssl::context* tls, ServerState& st) {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || st.stopping) co_return;
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto strand = asio::make_strand(acceptor.get_executor());
    if (tls)
      asio::co_spawn(strand, RunTlsSession(std::move(socket), *tls, st), asio::detached);
    else
      asio::co_spawn(strand, RunSession(beast::tcp_stream(std::move(socket)), st), asio::detached);
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
  asio::io_context io(options.io_threads);
  asio::thread_pool workers(options.worker_threads);
  std::random_device rd;
  ServerState st{options, api, workers};
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%08x-", rd());
  st.request_prefix = prefix;

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
  log::Info("server started", {{"port", std::to_string(acceptor.local_endpoint().port())}});

  asio::co_spawn(io, Accept(acceptor, tls.get(), st), asio::detached);

  asio::signal_set signals(io, SIGTERM, SIGINT);
  asio::steady_timer drain(io);
  std::chrono::steady_clock::time_point deadline;
  std::function<void()> check_drained = [&] {
    if (st.in_flight.load() == 0 || std::chrono::steady_clock::now() > deadline) {
      io.stop();
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
    deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.shutdown_grace_seconds);
    check_drained();
  });

  std::vector<std::thread> threads;
  for (int i = 1; i < options.io_threads; ++i) threads.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  workers.join();
  log::Info("server stopped", {{"in_flight_abandoned", std::to_string(st.in_flight.load())}});
  return Ok();
}

}  // namespace openmso::http
