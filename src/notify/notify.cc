// The pure half of the notify module: message kinds and their text, channel choice,
// backoff, and RFC 5322 / RFC 2047 formatting. No I/O here (senders.cc has it).
#include "notify/notify.h"

#include <algorithm>
#include <cstdio>

#include <date/date.h>

namespace openmso::notify {
namespace {

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// Length of the UTF-8 sequence starting with `lead` (1 for a stray continuation byte).
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Header values must not carry line breaks (header injection).
std::string OneLine(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c == '\r' || c == '\n') c = ' ';
  return out;
}

// Quoted-printable (RFC 2045 §6.7) of UTF-8 text with "\n" line ends; CRLF line ends and
// soft breaks keep every line at most 76 characters.
std::string QuotedPrintable(std::string_view text) {
  std::string out;
  size_t col = 0;
  auto put = [&](std::string_view piece) {
    if (col + piece.size() > 75) {
      out += "=\r\n";
      col = 0;
    }
    out += piece;
    col += piece.size();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\r\n";
      col = 0;
      continue;
    }
    if (c == '\r') continue;
    bool at_line_end = i + 1 == text.size() || text[i + 1] == '\n';
    if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end)) {
      char ch = static_cast<char>(c);
      put(std::string_view(&ch, 1));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "=%02X", c);
      put(buf);
    }
  }
  return out;
}

std::string Field(const std::map<std::string, std::string>& f, const std::string& key, std::string fallback = "") {
  auto it = f.find(key);
  return it == f.end() || it->second.empty() ? fallback : it->second;
}

}  // namespace

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kEmail: return "email";
    case Channel::kSms: return "sms";
    case Channel::kNone: return "none";
  }
  return "email";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (auto c : {Channel::kEmail, Channel::kSms, Channel::kNone})
    if (ChannelName(c) == name) return c;
  return std::nullopt;
}

const std::vector<Kind>& UserKinds() {
  static const std::vector<Kind> kinds = {
      {"credential.expiring", "One of my credentials expires soon"},
      {"credential.expiring.staff", "A clinician's credential expires soon (credentialing staff)"},
      {"credential.verification_decided", "A credential of mine was verified or rejected"},
      {"clinician.status_changed", "My clinician status changed"},
      {"claim.approved", "My claim on a shift was approved"},
      {"claim.declined", "My claim on a shift was declined"},
      {"shift.assigned", "I was assigned a shift"},
      {"shift.cancelled", "A shift I was booked on was cancelled"},
      {"claim.no_show", "A no-show was recorded for me"},
  };
  return kinds;
}

bool IsUserKind(std::string_view name) {
  const auto& k = UserKinds();
  return std::any_of(k.begin(), k.end(), [&](const Kind& x) { return x.name == name; });
}

Channel ChooseChannel(std::string_view kind, std::optional<Channel> preference, bool has_phone) {
  if (!IsUserKind(kind) || !preference) return Channel::kEmail;
  if (*preference == Channel::kSms && !has_phone) return Channel::kEmail;
  return *preference;
}

Composed Compose(std::string_view template_name, const std::map<std::string, std::string>& f,
                 std::string_view base_url) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string sign = "\n\n-- \nOpenMSO\n" + base + "/\n";
  const std::string t(template_name);
  if (t == "signup.confirm") {
    return {"Confirm your OpenMSO sign-up",
            "Welcome to OpenMSO.\n\nConfirm your email address to finish your sign-up:\n\n" + base +
                "/signup/confirm?token=" + Field(f, "token") +
                "\n\nThe link works once and expires in 24 hours. If you did not sign up, ignore this message." + sign};
  }
  if (t == "signup.exists") {
    return {"Your OpenMSO sign-up",
            "Someone (perhaps you) tried to sign up to OpenMSO with this email address, which already has an account.\n\n"
            "Sign in at " + base + "/ instead. If it was not you, you can ignore this message." + sign};
  }
  if (t == "credential.expiring" || t == "credential.expiring.staff") {
    std::string what = Field(f, "type_code", "A credential");
    std::string days = Field(f, "days_left", "?");
    std::string subject = what + " expires in " + days + (days == "1" ? " day" : " days");
    std::string body = t == "credential.expiring"
                           ? "Your " + what + " expires on " + Field(f, "expires_on") + " (" + days +
                                 " days). Upload the renewed credential in your wallet before then; from that date you "
                                 "cannot be offered shifts that require it."
                           : "The " + what + " of clinician " + Field(f, "clinician_name", "#" + Field(f, "clinician_id")) +
                                 " (id " + Field(f, "clinician_id") + ") expires on " + Field(f, "expires_on") + " (" +
                                 days + " days).";
    return {subject, body + sign};
  }
  if (t == "credential.verification_decided") {
    std::string decision = Field(f, "decision", "decided");
    std::string body = "Your " + Field(f, "type_code", "credential") + " was " + decision + ".";
    if (!Field(f, "reason").empty()) body += "\n\nReason: " + Field(f, "reason");
    return {"Your " + Field(f, "type_code", "credential") + " was " + decision, body + sign};
  }
  if (t == "clinician.status_changed") {
    std::string body = "Your OpenMSO clinician status is now: " + Field(f, "status") + ".";
    if (!Field(f, "reason").empty()) body += "\n\nReason: " + Field(f, "reason");
    return {"Your status is now " + Field(f, "status"), body + sign};
  }
  if (t == "claim.approved")
    return {"Your shift claim was approved", "Your claim on shift " + Field(f, "shift_id") + " was approved." + sign};
  if (t == "claim.declined") {
    std::string body = "Your claim on shift " + Field(f, "shift_id") + " was declined.";
    if (!Field(f, "reason").empty()) body += "\n\nReason: " + Field(f, "reason");
    return {"Your shift claim was declined", body + sign};
  }
  if (t == "shift.assigned")
    return {"You were assigned a shift",
            "You were assigned shift " + Field(f, "shift_id") + " from " + Field(f, "start") + " to " + Field(f, "end") + "." + sign};
  if (t == "shift.cancelled") {
    std::string body = "Shift " + Field(f, "shift_id") + " starting " + Field(f, "start") + " was cancelled.";
    if (!Field(f, "reason").empty()) body += "\n\nReason: " + Field(f, "reason");
    if (!Field(f, "cancellation_pay_cents").empty()) body += "\n\nCancellation pay is owed to you for this shift.";
    return {"A shift you were booked on was cancelled", body + sign};
  }
  if (t == "claim.no_show")
    return {"A no-show was recorded", "A no-show was recorded for you on shift " + Field(f, "shift_id") + " starting " +
                                          Field(f, "start") + "." + sign};
  return {"You have a new OpenMSO notification",
          "There is news for you in OpenMSO (" + t + "). Sign in at " + base + "/ to see it." + sign};
}

std::optional<int> ExpiryThreshold(int64_t days_left) {
  if (days_left < 0) return std::nullopt;
  std::optional<int> best;
  for (int t : kExpiryThresholds)
    if (days_left <= t && (!best || t < *best)) best = t;
  return best;
}

std::chrono::milliseconds Backoff(const RetryPolicy& p, int attempts) {
  std::chrono::milliseconds wait = p.base;
  for (int i = 1; i < attempts && wait < p.cap; ++i) wait *= 2;
  return std::min(wait, p.cap);
}

std::string EncodeHeaderWord(std::string_view utf8) {
  std::string s = OneLine(utf8);
  if (IsAscii(s)) return s;
  // Each encoded-word is at most 75 characters: "=?UTF-8?B?" + base64 + "?=" leaves 63
  // base64 characters, i.e. 45 bytes; split only between whole UTF-8 characters.
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t end = i;
    while (end < s.size()) {
      size_t n = Utf8Length(static_cast<unsigned char>(s[end]));
      if (end + n - i > 45) break;
      end += n;
    }
    if (end == i) end = std::min(s.size(), i + Utf8Length(static_cast<unsigned char>(s[i])));
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(std::string_view(s).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string AddressOf(std::string_view from) {
  auto lt = from.rfind('<');
  auto gt = from.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt)
    return std::string(from.substr(lt + 1, gt - lt - 1));
  return OneLine(from);
}

std::string FormatEmail(const EmailMessage& m) {
  std::string from = OneLine(m.from);
  auto lt = from.rfind('<');
  if (lt != std::string::npos && lt > 0) {
    std::string name = from.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    std::string encoded = IsAscii(name) ? "\"" + name + "\"" : EncodeHeaderWord(name);
    from = encoded + " <" + AddressOf(from) + ">";
  }
  std::string out;
  out += "Date: " + date::format("%a, %d %b %Y %H:%M:%S +0000", std::chrono::floor<std::chrono::seconds>(m.date)) + "\r\n";
  out += "Message-ID: <" + OneLine(m.message_id) + ">\r\n";
  out += "From: " + from + "\r\n";
  out += "To: " + OneLine(m.to) + "\r\n";
  out += "Subject: " + EncodeHeaderWord(m.subject) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  bool ascii = IsAscii(m.text);
  // 7bit bodies still need short lines; anything long or non-ASCII goes quoted-printable.
  bool long_line = false;
  size_t col = 0;
  for (char c : m.text) {
    col = c == '\n' ? 0 : col + 1;
    if (col > 76) long_line = true;
  }
  if (ascii && !long_line) {
    out += "Content-Transfer-Encoding: 7bit\r\n\r\n";
    for (char c : m.text) {
      if (c == '\n') out += "\r\n";
      else if (c != '\r') out += c;
    }
  } else {
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += QuotedPrintable(m.text);
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

}  // namespace openmso::notify
