// Fuzz target: notify::FormatEmail over From, To, Subject and body text that users and
// data supply (names, reasons typed on a phone). The input is split at NUL bytes into
// the four fields. Properties (NOTIFY-EMAIL-RFC5322): CRLF line ends only; no header
// injection (exactly one To and one Subject, every header line is a known header or a
// folded continuation); encoded-words at most 75 characters; body lines at most 78.
#include <string>
#include <vector>

#include "fuzz.h"
#include "notify/notify.h"

using namespace openmso;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> parts(4);
  size_t k = 0;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0 && k < 3) ++k;
    else parts[k] += static_cast<char>(data[i]);
  }
  notify::EmailMessage m{parts[0], parts[1], parts[2], parts[3], FromUnixMillis(1796083200000), "outbox-1.1@x"};
  std::string s = notify::FormatEmail(m);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') FUZZ_CHECK(i > 0 && s[i - 1] == '\r');
    if (s[i] == '\r') FUZZ_CHECK(i + 1 < s.size() && s[i + 1] == '\n');
  }
  size_t end = s.find("\r\n\r\n");
  FUZZ_CHECK(end != std::string::npos);
  static const char* kHeaders[] = {"Date: ", "Message-ID: ", "From: ", "To: ", "Subject: ", "MIME-Version: ",
                                   "Content-Type: ", "Content-Transfer-Encoding: "};
  bool ascii_subject = true;
  for (unsigned char c : parts[2]) ascii_subject = ascii_subject && c < 0x80;
  int to = 0, subject = 0;
  size_t pos = 0;
  while (pos < end + 2) {
    size_t eol = s.find("\r\n", pos);
    std::string line = s.substr(pos, eol - pos);
    bool known = !line.empty() && line[0] == ' ';
    for (const char* h : kHeaders)
      if (line.rfind(h, 0) == 0) known = true;
    FUZZ_CHECK(known);
    if (line.rfind("To: ", 0) == 0) ++to;
    if (line.rfind("Subject: ", 0) == 0) {
      ++subject;
      // An encoded subject is made of words of at most 75 characters.
      if (!ascii_subject) FUZZ_CHECK(line.rfind("Subject: =?UTF-8?B?", 0) == 0 && line.size() - 9 <= 75);
    }
    if (line[0] == ' ' && line.find("=?UTF-8?B?") == 1) FUZZ_CHECK(line.size() - 1 <= 75);
    pos = eol + 2;
  }
  FUZZ_CHECK(to == 1 && subject == 1);
  for (size_t p = end + 4; p < s.size();) {
    size_t eol = s.find("\r\n", p);
    FUZZ_CHECK(eol != std::string::npos);
    FUZZ_CHECK(eol - p <= 78);
    p = eol + 2;
  }
  return 0;
}
