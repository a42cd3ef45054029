// The notify module: how a queued notification leaves the building. Message kinds and
// their text, per-user channel choice, retry backoff, RFC 5322 email, and the pluggable
// senders (SMTP and an SMS webhook over libcurl, a file for development).
// Depends on core and libcurl only; the outbox rows themselves live in storage and the
// delivery job in http (RunNotificationJobs), which hand this module plain values.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace openmso::notify {

// ---- Channels and kinds (NOTIFY-CHANNEL) ------------------------------------------------
enum class Channel { kEmail, kSms, kNone };
std::string_view ChannelName(Channel c);  // "email", "sms", "none"
std::optional<Channel> ParseChannel(std::string_view name);

// A kind of message a user can choose a channel for. The kind is the outbox row's
// template name ("credential.expiring").
struct Kind {
  std::string_view name;
  std::string_view title;  // what the preferences page shows
};
// Every kind a user can set a preference for, in display order.
const std::vector<Kind>& UserKinds();
bool IsUserKind(std::string_view name);

// NOTIFY-CHANNEL: the channel a message of `kind` goes by. A stored preference wins; else
// email. SMS without a phone number on file falls back to email (a message is not lost to
// a missing number). Messages of kinds outside UserKinds() (the sign-up confirmation) are
// always email.
Channel ChooseChannel(std::string_view kind, std::optional<Channel> preference, bool has_phone);

// ---- Expiry alerts (NOTIFY-EXPIRY-THRESHOLDS, issue 3 part 8) ----------------------------
inline constexpr int kExpiryThresholds[] = {60, 30, 7};
// The tightest threshold a credential with `days_left` (0 = expires today) has crossed:
// 7 for 0..7, 30 for 8..30, 60 for 31..60, nullopt otherwise. A credential first seen
// at 5 days gets the 7-day notice only; each threshold is sent once (NOTIFY-EXPIRY-ONCE).
std::optional<int> ExpiryThreshold(int64_t days_left);

// ---- Text of a message -------------------------------------------------------------------
struct Composed {
  std::string subject;  // email subject (UTF-8, one line)
  std::string text;     // plain text body (UTF-8, lines joined by "\n")
};

// The subject and body of a message of `template_name` from its payload fields (the
// outbox payload's top-level JSON members as text). `base_url` is the server's public
// URL for links ("https://mso.example.org"). Unknown templates get a generic notice that
// names no personal data, so a new producer never blocks delivery.
Composed Compose(std::string_view template_name, const std::map<std::string, std::string>& fields,
                 std::string_view base_url);

// ---- Retries (NOTIFY-BACKOFF) ------------------------------------------------------------
struct RetryPolicy {
  int max_attempts = 8;                                  // then the row is dead
  std::chrono::milliseconds base = std::chrono::minutes(1);
  std::chrono::milliseconds cap = std::chrono::hours(6);
};
// The wait after failed attempt number `attempts` (1-based): base * 2^(attempts-1), at
// most `cap`. REQUIRES: attempts >= 1.
std::chrono::milliseconds Backoff(const RetryPolicy& p, int attempts);
// True when a row that has now failed `attempts` times must not be tried again.
inline bool IsDead(const RetryPolicy& p, int attempts) { return attempts >= p.max_attempts; }

// ---- Email (RFC 5322) ----------------------------------------------------------------------
struct EmailMessage {
  std::string from;        // "OpenMSO <noreply@example.org>" or a bare address
  std::string to;          // a bare address
  std::string subject;     // UTF-8
  std::string text;        // UTF-8 plain text, "\n" line ends
  Instant date;            // the Date header
  std::string message_id;  // without angle brackets: "outbox-42.1@example.org"
};

// The full message: Date (RFC 5322 §3.3, +0000), Message-ID, From, To, Subject,
// MIME-Version, Content-Type text/plain; charset=UTF-8, Content-Transfer-Encoding
// (7bit when the body is ASCII, else quoted-printable), CRLF line ends. Non-ASCII in
// Subject or in a From display name becomes RFC 2047 encoded-words (=?UTF-8?B?...?=) of
// at most 75 characters each.
std::string FormatEmail(const EmailMessage& m);
// RFC 2047 encoding of one header value; ASCII text is returned unchanged.
std::string EncodeHeaderWord(std::string_view utf8);
// The bare address of a From value ("Name <a@b>" -> "a@b").
std::string AddressOf(std::string_view from);

// ---- Senders ---------------------------------------------------------------------------------
// One message on its way out. `to` is an email address or an E.164-ish phone number.
struct Outgoing {
  Channel channel = Channel::kEmail;
  std::string to;
  Composed content;
  Instant at;             // now
  std::string reference;  // stable id of the outbox row ("outbox-42"), for Message-ID and logs
};

// Delivers messages of one channel. Send errors: kUnavailable for a failure worth
// retrying (connection refused, timeout, a 4xx/5xx answer); the message is safe to log
// (it names the failure and a status code, never an address or the text).
// Implementations are thread-safe.
class Sender {
 public:
  virtual ~Sender() = default;
  virtual Result<void> Send(const Outgoing& m) = 0;
};

struct SenderOptions {
  std::string from = "OpenMSO <noreply@localhost>";   // email From
  std::string bearer_token;                            // SMS webhook Authorization: Bearer
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

// Makes the sender for a URL: "smtp://host:port" or "smtps://host:port" (email; user and
// password may be in the URL), "http://..." or "https://..." (SMS webhook: a JSON POST
// {"to","text","reference"}, any 2xx is success), "file:PATH" (appends each message to
// PATH, creating its directory: the full RFC 5322 text for email after an mbox "From "
// line, one block per SMS), or "none"/"" (nullptr: that channel is off).
// Errors: kInvalidArgument for any other scheme.
Result<std::unique_ptr<Sender>> MakeSender(std::string_view url, const SenderOptions& options);

// The senders of the two channels, built once from configuration.
struct Senders {
  std::unique_ptr<Sender> email;  // null = email off
  std::unique_ptr<Sender> sms;    // null = SMS off
  std::string from;
};

}  // namespace openmso::notify
