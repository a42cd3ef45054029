// Route table and path matching with {param} segments (optionally with a literal suffix,
// "{token}.ics"); also the small Request accessors.
#include <algorithm>

#include "http/http.h"

namespace openmso::http {
namespace {
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

// A pattern segment "{name}" or "{name}.ext" (a parameter with a literal suffix, as in
// "/calendar/{calendar_token}.ics"): the parameter's value in `seg`, or nullopt when the
// segment is a literal that does not match, or a literal at all.
struct ParamSegment {
  std::string_view name, suffix;
};
std::optional<ParamSegment> AsParam(std::string_view pat) {
  size_t close = pat.find('}');
  if (pat.size() < 3 || pat.front() != '{' || close == std::string_view::npos || close < 2) return std::nullopt;
  return ParamSegment{pat.substr(1, close - 1), pat.substr(close + 1)};
}
bool SegmentMatches(std::string_view pat, std::string_view seg) {
  auto p = AsParam(pat);
  if (!p) return pat == seg;
  return seg.size() > p->suffix.size() && seg.substr(seg.size() - p->suffix.size()) == p->suffix;
}
}  // namespace

std::string_view Request::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string> Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  std::string_view all = Header("cookie");
  while (!all.empty()) {
    size_t semi = all.find(';');
    std::string_view part = all.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    all.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

void Router::Add(Route route) {
  std::vector<std::string> segs;
  for (auto part : Split(route.pattern)) segs.emplace_back(part);
  segments_.push_back(std::move(segs));
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match best;
  auto segs = Split(path);
  for (size_t ri = 0; ri < routes_.size(); ++ri) {
    const Route& r = routes_[ri];
    const auto& pat = segments_[ri];
    if (pat.size() != segs.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < pat.size() && ok; ++i) ok = SegmentMatches(pat[i], segs[i]);
    if (!ok) continue;
    std::unordered_map<std::string, std::string> params;
    for (size_t i = 0; i < pat.size(); ++i)
      if (auto p = AsParam(pat[i]))
        params.emplace(std::string(p->name), std::string(segs[i].substr(0, segs[i].size() - p->suffix.size())));
    if (r.method == method) {
      best.route = &r;
      best.params = std::move(params);
      return best;
    }
    if (std::find(best.allowed_methods.begin(), best.allowed_methods.end(), r.method) == best.allowed_methods.end())
      best.allowed_methods.push_back(r.method);
  }
  return best;
}

}  // namespace openmso::http

namespace openmso::http {
namespace {
int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexVal(s[i + 1]) >= 0 && HexVal(s[i + 2]) >= 0) {
      out += static_cast<char>(HexVal(s[i + 1]) * 16 + HexVal(s[i + 2]));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

void ParseTarget(Request& req) {
  std::string_view t = req.target;
  size_t q = t.find('?');
  req.path = PercentDecode(t.substr(0, q), false);
  req.query.clear();
  if (q == std::string_view::npos) return;
  std::string_view qs = t.substr(q + 1);
  while (!qs.empty()) {
    size_t amp = qs.find('&');
    std::string_view part = qs.substr(0, amp);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string key = PercentDecode(part.substr(0, eq), true);
      std::string val = eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1), true);
      req.query.emplace(std::move(key), std::move(val));
    }
    if (amp == std::string_view::npos) break;
    qs.remove_prefix(amp + 1);
  }
}

}  // namespace openmso::http
