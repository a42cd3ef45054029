// Reads and writes the benchmark's XML "Roster" solution format (FORMAT.md, "Solution").
// The reader is a small tolerant scanner for exactly this vocabulary, with line numbers.
#include <charconv>
#include <cstdio>
#include <sstream>

#include "solver/solver.h"

namespace openmso::solver {
namespace {

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string XmlUnescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      static const std::pair<const char*, char> kEnt[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
      bool done = false;
      for (auto [ent, ch] : kEnt) {
        std::string_view e(ent);
        if (s.substr(i, e.size()) == e) {
          out += ch;
          i += e.size() - 1;
          done = true;
          break;
        }
      }
      if (!done) out += '&';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string_view TrimWs(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Error XmlError(int line, const std::string& what) {
  return Error::Make(ErrorCode::kInvalidArgument, "malformed-roster",
                     "line " + std::to_string(line) + ": " + what);
}

}  // namespace

std::string FormatRosterXml(const Instance& in, const Roster& roster, const RosterXmlMeta& meta) {
  std::ostringstream os;
  os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
     << "<Roster xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:noNamespaceSchemaLocation=\"Roster.xsd\">\n";
  std::string period = meta.scheduling_period_file;
  if (period.empty() && !in.name.empty()) period = in.name + ".ros";
  if (!period.empty()) os << "  <SchedulingPeriodFile>" << XmlEscape(period) << "</SchedulingPeriodFile>\n";
  if (meta.penalty >= 0) os << "  <Penalty>" << meta.penalty << "</Penalty>\n";
  if (meta.cpu_seconds >= 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", meta.cpu_seconds);
    os << "  <CpuTime>" << buf << "</CpuTime>\n";
  }
  if (!meta.algorithm.empty()) os << "  <Algorithm>" << XmlEscape(meta.algorithm) << "</Algorithm>\n";
  for (int e = 0; e < in.num_employees(); ++e) {
    os << "  <Employee ID=\"" << XmlEscape(in.employees[e].id) << "\">\n";
    for (int d = 0; d < in.horizon; ++d) {
      int s = roster.at(e, d);
      if (s == kOff) continue;
      os << "    <Assign><Day>" << d << "</Day><Shift>" << XmlEscape(in.shifts[s].id)
         << "</Shift></Assign>\n";
    }
    os << "  </Employee>\n";
  }
  os << "</Roster>\n";
  return os.str();
}

Result<Roster> ParseRosterXml(const Instance& in, std::string_view xml) {
  Roster roster = Roster::AllOff(in);
  std::vector<std::string> stack;  // open element names
  int line = 1;
  size_t i = 0;
  int employee = -1;
  int assign_day = -1;
  std::string assign_shift;
  bool in_assign = false;
  bool saw_roster = false;
  std::string text;  // character data of the innermost element

  auto count_lines = [&](size_t from, size_t to) {
    for (size_t k = from; k < to && k < xml.size(); ++k)
      if (xml[k] == '\n') ++line;
  };

  while (i < xml.size()) {
    if (xml[i] != '<') {
      size_t next = xml.find('<', i);
      if (next == std::string_view::npos) next = xml.size();
      text += std::string(xml.substr(i, next - i));
      count_lines(i, next);
      i = next;
      continue;
    }
    int tag_line = line;
    if (xml.substr(i, 4) == "<!--") {
      size_t end = xml.find("-->", i + 4);
      if (end == std::string_view::npos) return XmlError(tag_line, "unterminated comment");
      count_lines(i, end + 3);
      i = end + 3;
      continue;
    }
    size_t end = xml.find('>', i);
    if (end == std::string_view::npos) return XmlError(tag_line, "unterminated tag");
    std::string_view tag = xml.substr(i + 1, end - i - 1);
    count_lines(i, end + 1);
    i = end + 1;
    if (!tag.empty() && (tag.front() == '?' || tag.front() == '!')) continue;
    bool closing = !tag.empty() && tag.front() == '/';
    bool self_closing = !tag.empty() && tag.back() == '/';
    if (closing) tag.remove_prefix(1);
    if (self_closing) tag.remove_suffix(1);
    size_t name_end = 0;
    while (name_end < tag.size() && !std::isspace(static_cast<unsigned char>(tag[name_end]))) ++name_end;
    std::string name(tag.substr(0, name_end));
    if (name.empty()) return XmlError(tag_line, "empty tag name");
    std::string_view attrs = tag.substr(name_end);

    if (closing) {
      if (stack.empty() || stack.back() != name)
        return XmlError(tag_line, "unexpected </" + name + ">" +
                                      (stack.empty() ? std::string() : ", expected </" + stack.back() + ">"));
      std::string content = XmlUnescape(TrimWs(text));
      stack.pop_back();
      if (name == "Day" && in_assign) {
        int d = -1;
        auto [p, ec] = std::from_chars(content.data(), content.data() + content.size(), d);
        if (ec != std::errc() || p != content.data() + content.size() || d < 0 || d >= in.horizon)
          return XmlError(tag_line, "day must be an integer in 0.." + std::to_string(in.horizon - 1));
        assign_day = d;
      } else if (name == "Shift" && in_assign) {
        assign_shift = content;
      } else if (name == "Assign") {
        in_assign = false;
        if (employee < 0) return XmlError(tag_line, "<Assign> outside <Employee>");
        if (assign_day < 0) return XmlError(tag_line, "<Assign> without <Day>");
        int s = in.ShiftIndex(assign_shift);
        if (s < 0) return XmlError(tag_line, "unknown shift id '" + assign_shift + "'");
        if (roster.at(employee, assign_day) != kOff)
          return XmlError(tag_line, "employee " + in.employees[employee].id + " has two assignments on day " +
                                        std::to_string(assign_day));
        roster.set(employee, assign_day, s);
      } else if (name == "Employee") {
        employee = -1;
      }
      text.clear();
      continue;
    }

    text.clear();
    if (stack.empty() && name != "Roster") return XmlError(tag_line, "root element must be <Roster>, found <" + name + ">");
    if (name == "Roster") saw_roster = true;
    if (name == "Employee") {
      size_t pos = attrs.find("ID=");
      if (pos == std::string_view::npos || pos + 3 >= attrs.size())
        return XmlError(tag_line, "<Employee> without ID attribute");
      char quote = attrs[pos + 3];
      size_t close = attrs.find(quote, pos + 4);
      if ((quote != '"' && quote != '\'') || close == std::string_view::npos)
        return XmlError(tag_line, "malformed ID attribute");
      std::string id = XmlUnescape(attrs.substr(pos + 4, close - pos - 4));
      employee = in.EmployeeIndex(id);
      if (employee < 0) return XmlError(tag_line, "unknown employee id '" + id + "'");
    } else if (name == "Assign") {
      in_assign = true;
      assign_day = -1;
      assign_shift.clear();
    }
    if (!self_closing) stack.push_back(name);
  }
  if (!saw_roster) return XmlError(line, "no <Roster> element");
  if (!stack.empty()) return XmlError(line, "unexpected end of file inside <" + stack.back() + ">");
  return roster;
}

}  // namespace openmso::solver
