// Tests of the notify module: backoff (NOTIFY-BACKOFF), channel choice (NOTIFY-CHANNEL),
// RFC 5322 / RFC 2047 formatting (NOTIFY-EMAIL-RFC5322), message text, and the senders'
// behaviour on a file and on an unreachable SMTP server or webhook.
#include "notify/notify.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace openmso::notify {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

Instant At(int64_t ms) { return FromUnixMillis(ms); }

// Decodes one "=?UTF-8?B?...?=" word (test helper; enough to check round trips).
std::string DecodeWord(const std::string& w) {
  const std::string pre = "=?UTF-8?B?";
  EXPECT_EQ(w.rfind(pre, 0), 0u) << w;
  std::string b64 = w.substr(pre.size(), w.size() - pre.size() - 2);
  static const std::string abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : b64) {
    if (c == '=') break;
    acc = (acc << 6) | static_cast<uint32_t>(abc.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string HeaderOf(const std::string& msg, const std::string& name) {
  auto at = msg.find("\r\n" + name + ": ");
  if (msg.rfind(name + ": ", 0) == 0) at = 0;
  else if (at == std::string::npos) return "";
  else at += 2;
  auto start = at + name.size() + 2;
  std::string value;
  for (auto end = msg.find("\r\n", start);; end = msg.find("\r\n", start)) {
    value += msg.substr(start, end - start);
    if (msg.compare(end + 2, 1, " ") != 0) break;  // folded continuation lines start with a space
    start = end + 2;
  }
  return value;
}

TEST(Backoff, DoublesFromTheBaseUpToTheCap) {
  RetryPolicy p{5, minutes(1), minutes(20)};
  struct Row { int attempts; milliseconds wait; };
  for (const auto& r : std::vector<Row>{{1, minutes(1)}, {2, minutes(2)}, {3, minutes(4)}, {4, minutes(8)},
                                        {5, minutes(16)}, {6, minutes(20)}, {40, minutes(20)}})
    EXPECT_EQ(Backoff(p, r.attempts), r.wait) << "attempts " << r.attempts;
  EXPECT_FALSE(IsDead(p, 4));
  EXPECT_TRUE(IsDead(p, 5));
}

TEST(ExpiryThreshold, TightestThresholdCrossed) {
  struct Row { int64_t days; std::optional<int> want; };
  for (const auto& r : std::vector<Row>{{-1, std::nullopt}, {0, 7}, {7, 7}, {8, 30}, {30, 30}, {31, 60}, {60, 60},
                                        {61, std::nullopt}})
    EXPECT_EQ(ExpiryThreshold(r.days), r.want) << "days_left " << r.days;
}

TEST(ChooseChannel, PreferenceWinsSmsNeedsAPhoneSystemMailIsEmail) {
  struct Row { std::string kind; std::optional<Channel> pref; bool phone; Channel want; };
  for (const auto& r : std::vector<Row>{
           {"credential.expiring", std::nullopt, true, Channel::kEmail},
           {"credential.expiring", Channel::kSms, true, Channel::kSms},
           {"credential.expiring", Channel::kSms, false, Channel::kEmail},
           {"shift.cancelled", Channel::kNone, false, Channel::kNone},
           {"signup.confirm", Channel::kNone, true, Channel::kEmail},
           {"signup.confirm", Channel::kSms, true, Channel::kEmail}})
    EXPECT_EQ(ChooseChannel(r.kind, r.pref, r.phone), r.want) << r.kind << " " << (r.pref ? ChannelName(*r.pref) : "-");
}

TEST(Channel, NamesRoundTrip) {
  for (auto c : {Channel::kEmail, Channel::kSms, Channel::kNone}) EXPECT_EQ(ParseChannel(ChannelName(c)), c);
  EXPECT_FALSE(ParseChannel("fax"));
  EXPECT_TRUE(IsUserKind("credential.expiring"));
  EXPECT_FALSE(IsUserKind("signup.confirm"));
}

TEST(FormatEmail, HasTheRfc5322HeadersAndCrlfLines) {
  EmailMessage m{"OpenMSO <noreply@mso.example>", "nurse@example.org", "BLS expires in 7 days",
                 "Line one\nLine two", At(1796083200000), "outbox-42.1@mso.example"};  // 2026-12-01T00:00:00Z
  std::string s = FormatEmail(m);
  EXPECT_EQ(HeaderOf(s, "Date"), "Tue, 01 Dec 2026 00:00:00 +0000");
  EXPECT_EQ(HeaderOf(s, "Message-ID"), "<outbox-42.1@mso.example>");
  EXPECT_EQ(HeaderOf(s, "From"), "\"OpenMSO\" <noreply@mso.example>");
  EXPECT_EQ(HeaderOf(s, "To"), "nurse@example.org");
  EXPECT_EQ(HeaderOf(s, "Subject"), "BLS expires in 7 days");
  EXPECT_EQ(HeaderOf(s, "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(HeaderOf(s, "Content-Transfer-Encoding"), "7bit");
  EXPECT_NE(s.find("\r\n\r\nLine one\r\nLine two\r\n"), std::string::npos) << s;
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n') {
      EXPECT_EQ(s[i - 1], '\r') << "bare LF at " << i;
    }
}

TEST(FormatEmail, EncodesNonAsciiHeadersAndBody) {
  std::string subject = "Votre certificat expire bientôt — José Nuñez, ça marche très bien aujourd'hui";
  EmailMessage m{"Équipe OpenMSO <noreply@mso.example>", "nurse@example.org", subject, "Prénom: José\n", At(0), "x@y"};
  std::string s = FormatEmail(m);
  std::string subj = HeaderOf(s, "Subject");
  ASSERT_NE(subj.find("=?UTF-8?B?"), std::string::npos) << subj;
  // Every word at most 75 characters, and the words decode back to the subject.
  std::string decoded;
  std::istringstream words(subj);
  for (std::string w; words >> w;) {
    EXPECT_LE(w.size(), 75u);
    decoded += DecodeWord(w);
  }
  EXPECT_EQ(decoded, subject);
  EXPECT_EQ(DecodeWord(HeaderOf(s, "From").substr(0, HeaderOf(s, "From").find(' '))), "Équipe OpenMSO");
  EXPECT_EQ(HeaderOf(s, "Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_NE(s.find("Pr=C3=A9nom: Jos=C3=A9\r\n"), std::string::npos) << s;
}

TEST(FormatEmail, HeaderValuesCannotInjectLines) {
  EmailMessage m{"a@b", "victim@example.org\r\nBcc: all@example.org", "Hi\r\nBcc: x@y", "body", At(0), "id@b"};
  std::string s = FormatEmail(m);
  EXPECT_EQ(s.find("\r\nBcc:"), std::string::npos) << s;
}

TEST(FormatEmail, LongAsciiLinesAreWrappedQuotedPrintable) {
  std::string line(200, 'a');
  EmailMessage m{"a@b", "c@d", "s", line, At(0), "id@b"};
  std::string s = FormatEmail(m);
  EXPECT_EQ(HeaderOf(s, "Content-Transfer-Encoding"), "quoted-printable");
  std::istringstream in(s.substr(s.find("\r\n\r\n") + 4));
  size_t total = 0;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    EXPECT_LE(l.size(), 76u);
    total += l.size() - (l.back() == '=' ? 1 : 0);
  }
  EXPECT_EQ(total, 200u);
}

TEST(Compose, ExpiryNoticesNameTheCredentialTheDateAndTheDays) {
  auto c = Compose("credential.expiring", {{"type_code", "BLS"}, {"expires_on", "2026-12-07"}, {"days_left", "7"}},
                   "https://mso.example/");
  EXPECT_EQ(c.subject, "BLS expires in 7 days");
  EXPECT_NE(c.text.find("2026-12-07"), std::string::npos);
  auto staff = Compose("credential.expiring.staff",
                       {{"type_code", "BLS"}, {"expires_on", "2026-12-07"}, {"days_left", "7"}, {"clinician_id", "12"},
                        {"clinician_name", "Riley Chen"}},
                       "https://mso.example");
  EXPECT_NE(staff.text.find("Riley Chen (id 12)"), std::string::npos) << staff.text;
}

TEST(Compose, SignupLinkCarriesTheTokenAndUnknownTemplatesStillCompose) {
  auto c = Compose("signup.confirm", {{"token", "abc_DEF-1"}}, "https://mso.example/");
  EXPECT_NE(c.text.find("https://mso.example/signup/confirm?token=abc_DEF-1\n"), std::string::npos) << c.text;
  auto g = Compose("screening.something_new", {{"name", "secret person"}}, "http://x");
  EXPECT_FALSE(g.subject.empty());
  EXPECT_EQ(g.text.find("secret person"), std::string::npos);
}

TEST(MakeSender, ParsesSchemes) {
  SenderOptions o;
  EXPECT_TRUE(MakeSender("smtp://127.0.0.1:2525", o).ok());
  EXPECT_TRUE(MakeSender("https://sms.example/hook", o).ok());
  EXPECT_TRUE(MakeSender("file:/tmp/x.log", o).ok());
  auto none = MakeSender("none", o);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->get(), nullptr);
  auto bad = MakeSender("ftp://x", o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(FileSender, AppendsAnMboxMessageAndAnSmsBlock) {
  auto dir = std::filesystem::temp_directory_path() / ("notify_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string path = (dir / "sub" / "outbox.log").string();
  SenderOptions o;
  o.from = "OpenMSO <noreply@mso.example>";
  auto s = MakeSender("file:" + path, o);
  ASSERT_TRUE(s.ok());
  Outgoing m{Channel::kEmail, "nurse@example.org", {"Subject one", "Body one"}, At(1796083200000), "outbox-7"};
  ASSERT_TRUE((*s)->Send(m).ok());
  Outgoing sms{Channel::kSms, "+13125550100", {"ignored", "SMS body"}, At(1796083200000), "outbox-8"};
  ASSERT_TRUE((*s)->Send(sms).ok());
  std::ifstream in(path);
  std::stringstream all;
  all << in.rdbuf();
  std::string text = all.str();
  EXPECT_EQ(text.rfind("From noreply@mso.example Tue Dec 01 00:00:00 2026\n", 0), 0u) << text;
  EXPECT_NE(text.find("Message-ID: <outbox-7.1796083200000@mso.example>\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Subject: Subject one\n"), std::string::npos);
  EXPECT_NE(text.find("SMS outbox-8 2026-12-01T00:00:00Z to +13125550100\nSMS body\n"), std::string::npos) << text;
  std::filesystem::remove_all(dir);
}

// A loopback port nobody listens on: connection refused, a transient failure whose
// message names no address.
TEST(Senders, UnreachableServersAreTransientFailuresWithoutPersonalData) {
  SenderOptions o;
  o.timeout = std::chrono::seconds(5);
  Outgoing m{Channel::kEmail, "nurse@example.org", {"s", "t"}, At(0), "outbox-1"};
  for (std::string url : {"smtp://127.0.0.1:1", "http://127.0.0.1:1/hook"}) {
    auto s = MakeSender(url, o);
    ASSERT_TRUE(s.ok());
    auto r = (*s)->Send(m);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << url;
    EXPECT_EQ(r.error().message.find("nurse@"), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace openmso::notify
