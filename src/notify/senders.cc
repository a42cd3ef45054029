// The senders of the notify module: SMTP and an HTTP(S) webhook over libcurl, and a file
// sender for development. The only file of OpenMSO that includes curl.
#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <date/date.h>

#include "notify/notify.h"

namespace openmso::notify {
namespace {

void GlobalInit() {
  static const bool done = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)done;
}

struct Easy {
  CURL* h = curl_easy_init();
  curl_slist* list = nullptr;
  ~Easy() {
    if (list) curl_slist_free_all(list);
    if (h) curl_easy_cleanup(h);
  }
};

// Reads the upload body for CURLOPT_READFUNCTION.
struct Upload {
  std::string_view data;
  size_t pos = 0;
};
size_t ReadUpload(char* buf, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t take = std::min(size * n, u->data.size() - u->pos);
  std::memcpy(buf, u->data.data() + u->pos, take);
  u->pos += take;
  return take;
}
size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// A failure worth retrying; the text names the curl error and status, never an address.
Error Transient(std::string what, CURLcode code, long status) {
  std::string m = what + ": " + curl_easy_strerror(code);
  if (status > 0) m += " (status " + std::to_string(status) + ")";
  return Error::Make(ErrorCode::kUnavailable, "delivery-failed", m, m);
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string MessageId(const Outgoing& m, std::string_view from) {
  std::string addr = AddressOf(from);
  auto at = addr.find('@');
  std::string domain = at == std::string::npos ? "localhost" : addr.substr(at + 1);
  return m.reference + "." + std::to_string(ToUnixMillis(m.at)) + "@" + domain;
}

class SmtpSender final : public Sender {
 public:
  SmtpSender(std::string url, SenderOptions o) : url_(std::move(url)), o_(std::move(o)) {}
  Result<void> Send(const Outgoing& m) override {
    EmailMessage e{o_.from, m.to, m.content.subject, m.content.text, m.at, MessageId(m, o_.from)};
    std::string text = FormatEmail(e);
    Easy c;
    if (!c.h) return Error::Internal("curl_easy_init failed");
    Upload up{text};
    std::string from = "<" + AddressOf(o_.from) + ">";
    std::string rcpt = "<" + m.to + ">";
    c.list = curl_slist_append(c.list, rcpt.c_str());
    curl_easy_setopt(c.h, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(c.h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c.h, CURLOPT_MAIL_RCPT, c.list);
    curl_easy_setopt(c.h, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(c.h, CURLOPT_READDATA, &up);
    curl_easy_setopt(c.h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c.h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c.h, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout.count()));
    curl_easy_setopt(c.h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o_.timeout.count()));
    // smtp:// upgrades to TLS when the server offers STARTTLS; smtps:// is TLS from the start.
    curl_easy_setopt(c.h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    CURLcode rc = curl_easy_perform(c.h);
    long status = 0;
    curl_easy_getinfo(c.h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) return Transient("smtp", rc, status);
    return Ok();
  }

 private:
  std::string url_;
  SenderOptions o_;
};

class WebhookSender final : public Sender {
 public:
  WebhookSender(std::string url, SenderOptions o) : url_(std::move(url)), o_(std::move(o)) {}
  Result<void> Send(const Outgoing& m) override {
    std::string body = "{\"to\":" + JsonString(m.to) + ",\"text\":" + JsonString(m.content.text) +
                       ",\"reference\":" + JsonString(m.reference) + "}";
    Easy c;
    if (!c.h) return Error::Internal("curl_easy_init failed");
    c.list = curl_slist_append(c.list, "Content-Type: application/json");
    std::string auth;
    if (!o_.bearer_token.empty()) {
      auth = "Authorization: Bearer " + o_.bearer_token;
      c.list = curl_slist_append(c.list, auth.c_str());
    }
    curl_easy_setopt(c.h, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(c.h, CURLOPT_HTTPHEADER, c.list);
    curl_easy_setopt(c.h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c.h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(c.h, CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(c.h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c.h, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout.count()));
    curl_easy_setopt(c.h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o_.timeout.count()));
    curl_easy_setopt(c.h, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(c.h);
    long status = 0;
    curl_easy_getinfo(c.h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) return Transient("sms webhook", rc, status);
    if (status < 200 || status > 299)
      return Error::Make(ErrorCode::kUnavailable, "delivery-failed", "sms webhook: status " + std::to_string(status),
                         "sms webhook: status " + std::to_string(status));
    return Ok();
  }

 private:
  std::string url_;
  SenderOptions o_;
};

// Appends to one file under a mutex, so concurrent messages never interleave.
class FileSender final : public Sender {
 public:
  FileSender(std::string path, SenderOptions o) : path_(std::move(path)), o_(std::move(o)) {}
  Result<void> Send(const Outgoing& m) override {
    std::string block;
    if (m.channel == Channel::kEmail) {
      EmailMessage e{o_.from, m.to, m.content.subject, m.content.text, m.at, MessageId(m, o_.from)};
      block = "From " + AddressOf(o_.from) + " " +
              date::format("%a %b %d %H:%M:%S %Y", std::chrono::floor<std::chrono::seconds>(m.at)) + "\n";
      std::string text = FormatEmail(e);
      for (size_t i = 0; i < text.size(); ++i)
        if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) block += text[i];
      block += "\n";
    } else {
      block = "SMS " + m.reference + " " + FormatInstant(m.at) + " to " + m.to + "\n" + m.content.text + "\n\n";
    }
    std::lock_guard lock(mu_);
    std::error_code ec;
    auto dir = std::filesystem::path(path_).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    std::ofstream out(path_, std::ios::app | std::ios::binary);
    if (!out) return Error::Make(ErrorCode::kUnavailable, "delivery-failed", "file sender: cannot open the file");
    out << block;
    out.flush();
    if (!out) return Error::Make(ErrorCode::kUnavailable, "delivery-failed", "file sender: write failed");
    return Ok();
  }

 private:
  std::string path_;
  SenderOptions o_;
  std::mutex mu_;
};

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

Result<std::unique_ptr<Sender>> MakeSender(std::string_view url, const SenderOptions& options) {
  GlobalInit();
  std::string u(url);
  if (u.empty() || u == "none") return std::unique_ptr<Sender>();
  if (StartsWith(u, "smtp://") || StartsWith(u, "smtps://"))
    return std::unique_ptr<Sender>(std::make_unique<SmtpSender>(u, options));
  if (StartsWith(u, "http://") || StartsWith(u, "https://"))
    return std::unique_ptr<Sender>(std::make_unique<WebhookSender>(u, options));
  if (StartsWith(u, "file:") && u.size() > 5)
    return std::unique_ptr<Sender>(std::make_unique<FileSender>(u.substr(5), options));
  return Error::Invalid("url", "invalid_value", "Expected smtp://, smtps://, http://, https://, file:PATH or none.");
}

}  // namespace openmso::notify
